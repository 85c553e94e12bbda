// Load an uncompressed vmlinux (ELF64, x86-64) the way Firecracker does: copy each PT_LOAD segment to
// its physical address and enter at the physical entry point. No decompression, which matters where
// guest code runs slowly. Every header field is checked against the file before it is used.
import { BootError, hex } from "./errors.ts";
import { Fields } from "./bytes.ts";

const ELF_MAGIC = 0x464c457f; // "\x7fELF"
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const EM_X86_64 = 62;
const ET_EXEC = 2;
const PT_LOAD = 1;
const PT_NOTE = 4;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const MAX_PHDRS = 64;
/** Xen's note: the 32-bit physical entry used by PVH boot (arch/x86/platform/pvh/head.S). */
export const XEN_ELFNOTE_PHYS32_ENTRY = 18;
/** Where the x86-64 kernel's text is mapped (__START_KERNEL_map). */
export const START_KERNEL_MAP = 0xffffffff80000000n;

export interface ElfSegment {
  paddr: number;
  /** The file bytes; memSize - data.length bytes of zeros follow (.bss). */
  data: Uint8Array;
  memSize: number;
}

export interface ElfKernel {
  segments: ElfSegment[];
  /** Physical address of startup_64, entered in long mode with RSI = zero page. */
  entry64: number;
  /** Physical PVH entry (32-bit protected mode, EBX = hvm_start_info) if the kernel has the Xen note. */
  pvhEntry32?: number;
  /** Lowest and highest physical byte the segments occupy. */
  start: number;
  end: number;
}

export function isElf(image: Uint8Array): boolean {
  return image.length >= 4 && new DataView(image.buffer, image.byteOffset).getUint32(0, true) === ELF_MAGIC;
}

export function parseElfKernel(image: Uint8Array): ElfKernel {
  const f = new Fields(image, "vmlinux ELF");
  if (image.length < EHDR_SIZE) throw new BootError("kernel-truncated", `vmlinux is ${image.length} bytes: too short for an ELF header`);
  if (f.u32(0) !== ELF_MAGIC) throw new BootError("kernel-format", "not an ELF file: no \\x7fELF magic");
  if (f.u8(4) !== ELFCLASS64 || f.u8(5) !== ELFDATA2LSB) throw new BootError("kernel-format", "vmlinux is not a little-endian ELF64 file");
  if (f.u16(18) !== EM_X86_64) throw new BootError("kernel-format", `vmlinux is for machine ${f.u16(18)}, not x86-64 (62)`);
  if (f.u16(16) !== ET_EXEC) throw new BootError("kernel-format", `vmlinux has ELF type ${f.u16(16)}, not an executable (2)`);
  const phoff = f.u64(32);
  const phentsize = f.u16(54);
  const phnum = f.u16(56);
  if (phentsize !== PHDR_SIZE) throw new BootError("kernel-format", `vmlinux program header size ${phentsize}, expected ${PHDR_SIZE}`);
  if (phnum === 0 || phnum > MAX_PHDRS) throw new BootError("kernel-format", `vmlinux has ${phnum} program headers (1..${MAX_PHDRS} allowed)`);
  if (phoff + phnum * PHDR_SIZE > image.length) {
    throw new BootError("kernel-truncated", `vmlinux program headers end at ${hex(phoff + phnum * PHDR_SIZE)}, past the file's ${hex(image.length)} bytes`);
  }
  const segments: ElfSegment[] = [];
  const loads: { vaddr: bigint; paddr: number; memSize: number }[] = [];
  let pvhEntry32: number | undefined;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * PHDR_SIZE;
    const type = f.u32(ph);
    const offset = f.u64(ph + 8);
    const fileSize = f.u64(ph + 32);
    if (type !== PT_LOAD && type !== PT_NOTE) continue;
    if (offset + fileSize > image.length) {
      throw new BootError("kernel-truncated", `vmlinux segment ${i} (file ${hex(offset)}+${hex(fileSize)}) runs past the end of the ${hex(image.length)}-byte file`);
    }
    const data = image.subarray(offset, offset + fileSize);
    if (type === PT_NOTE) {
      pvhEntry32 ??= findPvhEntry(data);
      continue;
    }
    const paddr = f.u64(ph + 24);
    const memSize = f.u64(ph + 40);
    if (memSize < fileSize) throw new BootError("kernel-format", `vmlinux segment ${i} has p_memsz ${hex(memSize)} < p_filesz ${hex(fileSize)}`);
    if (!Number.isSafeInteger(paddr + memSize)) throw new BootError("kernel-format", `vmlinux segment ${i} physical address ${hex(paddr)} is out of range`);
    segments.push({ paddr, data, memSize });
    loads.push({ vaddr: f.u64n(ph + 16), paddr, memSize });
  }
  if (segments.length === 0) throw new BootError("kernel-format", "vmlinux has no PT_LOAD segments");
  const entry64 = physicalEntry(f.u64n(24), loads);
  const start = Math.min(...segments.map((s) => s.paddr));
  const end = Math.max(...segments.map((s) => s.paddr + s.memSize));
  return { segments, entry64, ...(pvhEntry32 !== undefined ? { pvhEntry32 } : {}), start, end };
}

/** e_entry of a vmlinux is already physical (ENTRY(phys_startup_64)); a virtual one is translated through its segment. */
function physicalEntry(entry: bigint, loads: { vaddr: bigint; paddr: number; memSize: number }[]): number {
  for (const l of loads) {
    if (entry >= BigInt(l.paddr) && entry < BigInt(l.paddr + l.memSize)) return Number(entry);
  }
  for (const l of loads) {
    if (entry >= l.vaddr && entry < l.vaddr + BigInt(l.memSize)) return l.paddr + Number(entry - l.vaddr);
  }
  if (entry >= START_KERNEL_MAP) return Number(entry - START_KERNEL_MAP);
  throw new BootError("kernel-format", `vmlinux entry point ${hex(entry)} lies in no loadable segment`);
}

/** Walk the notes of one PT_NOTE segment for Xen's PHYS32_ENTRY (name "Xen", 4-byte descriptor). */
function findPvhEntry(notes: Uint8Array): number | undefined {
  const f = new Fields(notes, "vmlinux note segment", "kernel-format");
  let o = 0;
  while (o + 12 <= notes.length) {
    const nameSize = f.u32(o);
    const descSize = f.u32(o + 4);
    const type = f.u32(o + 8);
    const nameOff = o + 12;
    const descOff = nameOff + align4(nameSize);
    const next = descOff + align4(descSize);
    if (next > notes.length) throw new BootError("kernel-format", `vmlinux note at ${hex(o)} runs past its segment`);
    if (type === XEN_ELFNOTE_PHYS32_ENTRY && nameSize === 4 && f.ascii(nameOff, 3) === "Xen" && descSize >= 4) return f.u32(descOff);
    o = next;
  }
  return undefined;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
