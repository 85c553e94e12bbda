// The Intel MultiProcessor tables (MP spec 1.4), the way Firecracker's mptable.rs writes them: a
// floating pointer at the EBDA (which Linux scans), then a config table listing the CPUs, an ISA bus,
// one IOAPIC with its 24 pins wired 1:1 to ISA IRQs, and the local ExtINT/NMI lines. No ACPI needed.
import { BootError } from "./errors.ts";
import { Fields, byteSum } from "./bytes.ts";
import { APIC_ADDR, EBDA_START, IOAPIC_ADDR, LOW_RAM_END } from "./layout.ts";

export const MPTABLE_ADDR = EBDA_START;
const MPF_SIZE = 16;
const HEADER_SIZE = 44;
const CPU_ENTRY = 20;
const SMALL_ENTRY = 8;
export const IOAPIC_PINS = 24;
const APIC_VERSION = 0x14;
const IOAPIC_VERSION = 0x11;
const CPU_ENABLED = 1;
const CPU_BOOTPROCESSOR = 2;
const CPU_STEPPING = 0x600;
const CPU_FEATURE_FPU = 1 << 0;
const CPU_FEATURE_APIC = 1 << 9;
const MP_INT = 0;
const MP_NMI = 1;
const MP_EXTINT = 3;

export function mptableSize(cpus: number): number {
  return MPF_SIZE + HEADER_SIZE + cpus * CPU_ENTRY + 2 * SMALL_ENTRY + IOAPIC_PINS * SMALL_ENTRY + 2 * SMALL_ENTRY;
}

/** The largest vCPU count whose table still fits the 1 KiB the EBDA gives it. */
export const MPTABLE_MAX_CPUS = Math.floor((LOW_RAM_END - EBDA_START - mptableSize(0)) / CPU_ENTRY);

/** The bytes to place at MPTABLE_ADDR for `cpus` vCPUs (APIC ids 0..cpus-1; the IOAPIC gets id cpus+1). */
export function mptable(cpus: number): Uint8Array {
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > MPTABLE_MAX_CPUS) {
    throw new BootError("cpus", `${cpus} vCPUs: the MP table describes 1..${MPTABLE_MAX_CPUS}`);
  }
  const f = new Fields(new Uint8Array(mptableSize(cpus)), "MP table", "memory-layout");
  const ioapicId = cpus + 1;
  // Floating pointer.
  f.setAscii(0, "_MP_");
  f.set32(4, MPTABLE_ADDR + MPF_SIZE);
  f.set8(8, 1); // length in 16-byte units
  f.set8(9, 4); // spec revision 1.4
  // Config table entries, after the 44-byte header.
  let o = MPF_SIZE + HEADER_SIZE;
  let count = 0;
  const entry = (bytes: number[]) => {
    f.slice(o, bytes.length).set(bytes);
    o += bytes.length;
    count++;
  };
  for (let id = 0; id < cpus; id++) {
    const p = o;
    entry(new Array(CPU_ENTRY).fill(0));
    f.set8(p, 0); // processor
    f.set8(p + 1, id);
    f.set8(p + 2, APIC_VERSION);
    f.set8(p + 3, CPU_ENABLED | (id === 0 ? CPU_BOOTPROCESSOR : 0));
    f.set32(p + 4, CPU_STEPPING);
    f.set32(p + 8, CPU_FEATURE_APIC | CPU_FEATURE_FPU);
  }
  entry([1, 0, ..."ISA   ".split("").map((c) => c.charCodeAt(0))]); // bus 0 is ISA
  entry([2, ioapicId, IOAPIC_VERSION, 1, ...le32(IOAPIC_ADDR)]);
  for (let pin = 0; pin < IOAPIC_PINS; pin++) entry([3, MP_INT, 0, 0, 0, pin, ioapicId, pin]);
  entry([4, MP_EXTINT, 0, 0, 0, 0, 0, 0]); // LINT0 of every CPU: ExtINT from the PIC
  entry([4, MP_NMI, 0, 0, 0, 0, 0xff, 1]); // LINT1 of every CPU: NMI
  // Config table header.
  const h = MPF_SIZE;
  f.setAscii(h, "PCMP");
  f.set16(h + 4, o - h);
  f.set8(h + 6, 4);
  f.setAscii(h + 8, "TSOS", 8);
  f.setAscii(h + 16, "000000000000", 12);
  f.set16(h + 34, count);
  f.set32(h + 36, APIC_ADDR);
  f.set8(h + 7, (256 - byteSum(f.slice(h, o - h))) & 0xff);
  f.set8(10, (256 - byteSum(f.slice(0, MPF_SIZE))) & 0xff);
  return f.bytes;
}

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
