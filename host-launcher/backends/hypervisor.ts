// The backend-neutral hypervisor interface. KVM implements it today; WHP and HVF
// plug in behind the same shape, so nothing here names a Linux ioctl or struct.
// Registers travel as plain data; guest memory is host memory the backend maps.
import type { Segment as BootSegment } from "../boot/x86_64/gdt.ts";
import type { CpuidEntry } from "../boot/x86_64/cpuid.ts";

export type { CpuidEntry };

/** General-purpose registers of an x86-64 vCPU, as 64-bit values. */
export interface GeneralRegs {
  rax: bigint; rbx: bigint; rcx: bigint; rdx: bigint;
  rsi: bigint; rdi: bigint; rsp: bigint; rbp: bigint;
  r8: bigint; r9: bigint; r10: bigint; r11: bigint;
  r12: bigint; r13: bigint; r14: bigint; r15: bigint;
  rip: bigint; rflags: bigint;
}

/** A segment register in its hidden (descriptor-cache) form; the fields are boot/x86_64's, with a 64-bit base (FS/GS). */
export type Segment = Omit<BootSegment, "base"> & { base: bigint };

export interface DescriptorTable {
  base: bigint;
  limit: number;
}

/** Segment, descriptor-table and control registers. */
export interface SpecialRegs {
  cs: Segment; ds: Segment; es: Segment; fs: Segment; gs: Segment; ss: Segment; tr: Segment; ldt: Segment;
  gdt: DescriptorTable;
  idt: DescriptorTable;
  cr0: bigint; cr2: bigint; cr3: bigint; cr4: bigint; cr8: bigint;
  efer: bigint;
  apicBase: bigint;
}

export interface Msr {
  index: number;
  value: bigint;
}

/** Why a vCPU stopped running guest code. Data of I/O and MMIO writes is included; reads are answered with complete(). */
export type VcpuExit =
  | { kind: "io"; port: number; size: 1 | 2 | 4; write: boolean; count: number; data: Uint8Array }
  | { kind: "mmio"; addr: bigint; size: number; write: boolean; data: Uint8Array }
  | { kind: "halt" }
  | { kind: "shutdown"; reason: string } // triple fault or equivalent
  | { kind: "system-event"; event: "shutdown" | "reset" | "crash" | "other"; code: number }
  | { kind: "interrupted" } // a signal or an explicit kick
  | { kind: "debug"; exception: number; pc: bigint }
  | { kind: "internal-error"; suberror: number; detail: bigint[]; /** For an emulation failure: the instruction bytes at RIP, when the hypervisor reports them. */ instruction?: Uint8Array; /** Where the guest was, filled in by the VMM for its report. */ rip?: bigint }
  | { kind: "fail-entry"; reason: bigint }
  | { kind: "unknown"; code: number };

export interface Vcpu {
  readonly index: number;
  getRegs(): GeneralRegs;
  setRegs(r: GeneralRegs): void;
  getSpecialRegs(): SpecialRegs;
  setSpecialRegs(s: SpecialRegs): void;
  setMsrs(msrs: Msr[]): void;
  getMsrs(indices: number[]): Msr[];
  /** Give the guest the host's CPU features, filtered by `filter` (leaf, subleaf, registers in, registers out). */
  setCpuFeatures(filter?: CpuidFilter): void;
  /** Run until the next exit the caller must handle. */
  run(): VcpuExit;
  /** Answer the data of the last I/O or MMIO read (the bytes the guest sees). */
  complete(data: Uint8Array): void;
  destroy(): void;
}

export type CpuidFilter = (entries: CpuidEntry[], vcpuIndex: number, vcpuCount: number) => CpuidEntry[];

export interface MemoryRegion {
  slot: number;
  guestAddr: bigint;
  host: { address: number; length: number };
  readonly?: boolean;
}

export interface Partition {
  /** Make host memory visible to the guest at guestAddr. */
  mapMemory(region: MemoryRegion): void;
  unmapMemory(slot: number): void;
  createVcpu(index: number): Vcpu;
  /** Drive a line of the platform interrupt controller (an ISA IRQ or IOAPIC pin). */
  setIrqLine(irq: number, level: boolean): void;
  destroy(): void;
}

export interface PartitionOptions {
  /** An in-hypervisor interrupt controller and timer (PIC/IOAPIC/LAPIC + PIT). */
  irqchip: boolean;
}

export interface Hypervisor {
  readonly name: string;
  createPartition(opts: PartitionOptions): Partition;
  /** Release the hypervisor handle (partitions must be destroyed first). */
  close(): void;
}
