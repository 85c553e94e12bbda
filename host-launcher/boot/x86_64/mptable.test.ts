// Read the MP table back the way Linux's arch/x86/kernel/mpparse.c does: scan the EBDA's first KiB
// for "_MP_" on 16-byte boundaries, check both checksums, then walk the typed entries.
import { test, expect } from "bun:test";
import { mptable, mptableSize, MPTABLE_ADDR, MPTABLE_MAX_CPUS, IOAPIC_PINS } from "./mptable.ts";
import { byteSum } from "./bytes.ts";
import { APIC_ADDR, IOAPIC_ADDR, EBDA_START } from "./layout.ts";

const ENTRY_SIZE: Record<number, number> = { 0: 20, 1: 8, 2: 8, 3: 8, 4: 8 };

function parse(ebda: Uint8Array) {
  const dv = new DataView(ebda.buffer, ebda.byteOffset);
  let mpf = -1;
  for (let o = 0; o + 16 <= ebda.length; o += 16) {
    if (String.fromCharCode(...ebda.subarray(o, o + 4)) === "_MP_" && byteSum(ebda.subarray(o, o + 16)) === 0) {
      mpf = o;
      break;
    }
  }
  if (mpf < 0) throw new Error("no MP floating pointer");
  const cfg = dv.getUint32(mpf + 4, true) - EBDA_START;
  const length = dv.getUint16(cfg + 4, true);
  const count = dv.getUint16(cfg + 34, true);
  const header = {
    signature: String.fromCharCode(...ebda.subarray(cfg, cfg + 4)),
    checksumOk: byteSum(ebda.subarray(cfg, cfg + length)) === 0,
    spec: dv.getUint8(cfg + 6),
    lapic: dv.getUint32(cfg + 36, true),
    length,
  };
  const entries: { type: number; bytes: Uint8Array }[] = [];
  let o = cfg + 44;
  for (let i = 0; i < count; i++) {
    const type = ebda[o]!;
    const size = ENTRY_SIZE[type];
    if (size === undefined) throw new Error(`unknown MP entry type ${type}`);
    entries.push({ type, bytes: ebda.subarray(o, o + size) });
    o += size;
  }
  return { header, entries, end: o - cfg, mpfSpec: ebda[mpf + 9] };
}

for (const cpus of [1, 2, 4]) {
  test(`${cpus} vCPU(s): checksums hold, one enabled processor per APIC id, BSP first, IOAPIC with 24 ISA pins`, () => {
    const ebda = new Uint8Array(0x400);
    ebda.set(mptable(cpus), MPTABLE_ADDR - EBDA_START);
    const t = parse(ebda);
    expect(t.header).toMatchObject({ signature: "PCMP", checksumOk: true, spec: 4, lapic: APIC_ADDR });
    expect(t.end).toBe(t.header.length);
    expect(t.mpfSpec).toBe(4);
    const procs = t.entries.filter((e) => e.type === 0);
    expect(procs.map((p) => p.bytes[1])).toEqual([...Array(cpus).keys()]);
    expect(procs.map((p) => p.bytes[3])).toEqual([3, ...Array(cpus - 1).fill(1)]);
    const ioapic = t.entries.find((e) => e.type === 2)!;
    expect(ioapic.bytes[1]).toBe(cpus + 1);
    expect(new DataView(ioapic.bytes.buffer, ioapic.bytes.byteOffset).getUint32(4, true)).toBe(IOAPIC_ADDR);
    const irqs = t.entries.filter((e) => e.type === 3);
    expect(irqs.length).toBe(IOAPIC_PINS);
    expect(irqs.every((e) => e.bytes[5] === e.bytes[7] && e.bytes[6] === cpus + 1)).toBe(true);
    expect(String.fromCharCode(...t.entries.find((e) => e.type === 1)!.bytes.subarray(2, 8))).toBe("ISA   ");
    expect(t.entries.filter((e) => e.type === 4).map((e) => e.bytes[1])).toEqual([3, 1]); // ExtINT, NMI
  });
}

test("a corrupted byte breaks the checksum", () => {
  const t = mptable(2);
  t[40]! ^= 1;
  expect(byteSum(t.subarray(16))).not.toBe(0);
});

test("the table fits the EBDA for the largest count; 0 and too many vCPUs are errors", () => {
  expect(MPTABLE_ADDR + mptableSize(MPTABLE_MAX_CPUS)).toBeLessThanOrEqual(0xa0000);
  expect(MPTABLE_MAX_CPUS).toBeGreaterThanOrEqual(4);
  expect(() => mptable(0)).toThrow(/vCPUs/);
  expect(() => mptable(MPTABLE_MAX_CPUS + 1)).toThrow(/vCPUs/);
});
