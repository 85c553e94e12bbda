// Layouts of the <linux/kvm.h> structs the backend passes to ioctls (x86-64).
// Sizes and offsets are written once here and checked against the C header by
// structs.test.ts (a gcc probe prints sizeof/offsetof).
import type { CpuidEntry, DescriptorTable, GeneralRegs, Msr, Segment, SpecialRegs } from "../hypervisor.ts";

export const SIZE = {
  kvm_regs: 144,
  kvm_segment: 24,
  kvm_dtable: 16,
  kvm_sregs: 312,
  kvm_userspace_memory_region: 32,
  kvm_cpuid_entry2: 40,
  kvm_cpuid2: 8, // header; entries follow
  kvm_msr_entry: 16,
  kvm_msrs: 8, // header; entries follow
  kvm_pit_config: 64,
  kvm_irq_level: 8,
  kvm_irqfd: 32,
  kvm_vcpu_events: 64,
} as const;

/** Offsets inside struct kvm_run (the per-vCPU shared page). */
export const RUN = {
  immediate_exit: 1,
  exit_reason: 8,
  if_flag: 13,
  union: 32,
  io_direction: 32,
  io_size: 33,
  io_port: 34,
  io_count: 36,
  io_data_offset: 40,
  mmio_phys_addr: 32,
  mmio_data: 40,
  mmio_len: 48,
  mmio_is_write: 52,
  system_event_type: 32,
  system_event_ndata: 36,
  system_event_data: 40,
  internal_suberror: 32,
  internal_ndata: 36,
  internal_data: 40,
  emulation_insn_size: 48,
  emulation_insn_bytes: 49,
  debug_exception: 32,
  debug_pc: 40,
  fail_entry_reason: 32,
} as const;

/** Offsets inside struct kvm_vcpu_events. */
export const EVENTS = { exception_injected: 0, exception_nr: 1, exception_has_error_code: 2, exception_pending: 3, exception_error_code: 4, flags: 20 } as const;

const GPR_ORDER = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"] as const;
const SEGMENTS = ["cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"] as const;
const SREGS_CONTROL = ["cr0", "cr2", "cr3", "cr4", "cr8", "efer", "apicBase"] as const;
/** kvm_sregs: 8 segments, gdt, idt, then the control registers at this offset. */
const SREGS_CR_OFFSET = 8 * SIZE.kvm_segment + 2 * SIZE.kvm_dtable;

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

export function encodeRegs(r: GeneralRegs): Uint8Array {
  const b = new Uint8Array(SIZE.kvm_regs);
  const v = view(b);
  GPR_ORDER.forEach((k, i) => v.setBigUint64(i * 8, BigInt.asUintN(64, r[k]), true));
  return b;
}

export function decodeRegs(b: Uint8Array): GeneralRegs {
  const v = view(b);
  return Object.fromEntries(GPR_ORDER.map((k, i) => [k, v.getBigUint64(i * 8, true)])) as unknown as GeneralRegs;
}

function writeSegment(v: DataView, o: number, s: Segment): void {
  v.setBigUint64(o, s.base, true);
  v.setUint32(o + 8, s.limit >>> 0, true);
  v.setUint16(o + 12, s.selector, true);
  const bytes = [s.type, +s.present, s.dpl, +s.db, +s.s, +s.l, +s.g, +s.avl, +s.unusable];
  bytes.forEach((x, i) => v.setUint8(o + 14 + i, x));
}

function readSegment(v: DataView, o: number): Segment {
  const u = (i: number) => v.getUint8(o + 14 + i);
  return { base: v.getBigUint64(o, true), limit: v.getUint32(o + 8, true), selector: v.getUint16(o + 12, true), type: u(0), present: !!u(1), dpl: u(2), db: !!u(3), s: !!u(4), l: !!u(5), g: !!u(6), avl: !!u(7), unusable: !!u(8) };
}

function writeDtable(v: DataView, o: number, t: DescriptorTable): void {
  v.setBigUint64(o, t.base, true);
  v.setUint16(o + 8, t.limit, true);
}

const readDtable = (v: DataView, o: number): DescriptorTable => ({ base: v.getBigUint64(o, true), limit: v.getUint16(o + 8, true) });

/** Encode special registers; interrupt_bitmap is left zero (no pending external interrupt). */
export function encodeSregs(s: SpecialRegs): Uint8Array {
  const b = new Uint8Array(SIZE.kvm_sregs);
  const v = view(b);
  SEGMENTS.forEach((k, i) => writeSegment(v, i * SIZE.kvm_segment, s[k]));
  writeDtable(v, 8 * SIZE.kvm_segment, s.gdt);
  writeDtable(v, 8 * SIZE.kvm_segment + SIZE.kvm_dtable, s.idt);
  SREGS_CONTROL.forEach((k, i) => v.setBigUint64(SREGS_CR_OFFSET + i * 8, s[k], true));
  return b;
}

export function decodeSregs(b: Uint8Array): SpecialRegs {
  const v = view(b);
  const out = Object.fromEntries(SEGMENTS.map((k, i) => [k, readSegment(v, i * SIZE.kvm_segment)])) as Record<string, unknown>;
  out.gdt = readDtable(v, 8 * SIZE.kvm_segment);
  out.idt = readDtable(v, 8 * SIZE.kvm_segment + SIZE.kvm_dtable);
  SREGS_CONTROL.forEach((k, i) => (out[k] = v.getBigUint64(SREGS_CR_OFFSET + i * 8, true)));
  return out as unknown as SpecialRegs;
}

export function encodeMemoryRegion(slot: number, flags: number, guestAddr: bigint, size: number, hostAddr: number): Uint8Array {
  const b = new Uint8Array(SIZE.kvm_userspace_memory_region);
  const v = view(b);
  v.setUint32(0, slot, true);
  v.setUint32(4, flags, true);
  v.setBigUint64(8, guestAddr, true);
  v.setBigUint64(16, BigInt(size), true);
  v.setBigUint64(24, BigInt(hostAddr), true);
  return b;
}

/** A kvm_cpuid2 with room for `max` entries (the kernel fills nent). */
export function cpuidBuffer(max: number): Uint8Array {
  const b = new Uint8Array(SIZE.kvm_cpuid2 + max * SIZE.kvm_cpuid_entry2);
  view(b).setUint32(0, max, true);
  return b;
}

const CPUID_FIELDS = ["function", "index", "flags", "eax", "ebx", "ecx", "edx"] as const;

export function decodeCpuid(b: Uint8Array): CpuidEntry[] {
  const v = view(b);
  const n = v.getUint32(0, true);
  if (SIZE.kvm_cpuid2 + n * SIZE.kvm_cpuid_entry2 > b.length) throw new Error(`kvm_cpuid2 claims ${n} entries, buffer holds fewer`);
  const out: CpuidEntry[] = [];
  for (let i = 0; i < n; i++) {
    const o = SIZE.kvm_cpuid2 + i * SIZE.kvm_cpuid_entry2;
    out.push(Object.fromEntries(CPUID_FIELDS.map((k, j) => [k, v.getUint32(o + j * 4, true)])) as unknown as CpuidEntry);
  }
  return out;
}

export function encodeCpuid(entries: CpuidEntry[]): Uint8Array {
  const b = cpuidBuffer(entries.length);
  const v = view(b);
  entries.forEach((e, i) => CPUID_FIELDS.forEach((k, j) => v.setUint32(SIZE.kvm_cpuid2 + i * SIZE.kvm_cpuid_entry2 + j * 4, e[k] >>> 0, true)));
  return b;
}

export function encodeMsrs(msrs: Msr[]): Uint8Array {
  const b = new Uint8Array(SIZE.kvm_msrs + msrs.length * SIZE.kvm_msr_entry);
  const v = view(b);
  v.setUint32(0, msrs.length, true);
  msrs.forEach((m, i) => {
    v.setUint32(SIZE.kvm_msrs + i * SIZE.kvm_msr_entry, m.index, true);
    v.setBigUint64(SIZE.kvm_msrs + i * SIZE.kvm_msr_entry + 8, BigInt.asUintN(64, m.value), true);
  });
  return b;
}

export function decodeMsrs(b: Uint8Array, count: number): Msr[] {
  const v = view(b);
  return Array.from({ length: count }, (_, i) => ({ index: v.getUint32(SIZE.kvm_msrs + i * SIZE.kvm_msr_entry, true), value: v.getBigUint64(SIZE.kvm_msrs + i * SIZE.kvm_msr_entry + 8, true) }));
}

export function encodeIrqLevel(irq: number, level: boolean): Uint8Array {
  const b = new Uint8Array(SIZE.kvm_irq_level);
  view(b).setUint32(0, irq, true);
  view(b).setUint32(4, level ? 1 : 0, true);
  return b;
}

/** kvm_pit_config with KVM_PIT_SPEAKER_DUMMY (flags bit 0): port 0x61 reads are answered in the kernel. */
export function encodePitConfig(): Uint8Array {
  const b = new Uint8Array(SIZE.kvm_pit_config);
  view(b).setUint32(0, 1, true);
  return b;
}
