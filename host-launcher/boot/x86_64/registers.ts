// The vCPU state at the kernel's 64-bit entry (boot.rst "64-bit BOOT PROTOCOL"): long mode with paging,
// flat segments, interrupts off, RSI = zero page. Plain data: each backend copies it into its own
// register structures (KVM sregs/regs, WHP register names, HVF vcpu fields).
import { bootSegments, BOOT_GDT, PVH_GDT, type Segment } from "./gdt.ts";
import { BOOT_STACK_POINTER, GDT_ADDR, IDT_ADDR, PML4_ADDR, ZERO_PAGE_ADDR } from "./layout.ts";

export const CR0_PE = 1 << 0;
export const CR0_ET = 1 << 4;
export const CR0_PG = 0x80000000;
export const CR4_PAE = 1 << 5;
export const EFER_LME = 1 << 8;
export const EFER_LMA = 1 << 10;
export const RFLAGS_RESERVED = 0x2;

export interface DescriptorTable {
  base: number;
  limit: number;
}

export interface BootRegisters {
  rip: number;
  /** PVH: the hvm_start_info address; 0 for the 64-bit protocol. */
  rbx: number;
  rsp: number;
  rbp: number;
  rsi: number;
  rflags: number;
  cr0: number;
  cr3: number;
  cr4: number;
  efer: number;
  cs: Segment;
  ds: Segment;
  es: Segment;
  fs: Segment;
  gs: Segment;
  ss: Segment;
  tr: Segment;
  gdt: DescriptorTable;
  idt: DescriptorTable;
}

/** Registers for entering a 64-bit kernel at `entry` (boot CPU; APs start in real mode via INIT/SIPI). */
export function longModeRegisters(entry: number): BootRegisters {
  return {
    ...flatSegments(BOOT_GDT),
    rip: entry,
    rbx: 0,
    rsi: ZERO_PAGE_ADDR,
    // CR0 is a u32-sized value in the upper bit: keep it as an unsigned number.
    cr0: (CR0_PE | CR0_ET | CR0_PG) >>> 0,
    cr3: PML4_ADDR,
    cr4: CR4_PAE,
    efer: EFER_LME | EFER_LMA,
  };
}

/** PVH entry: 32-bit protected mode, paging off, EBX = hvm_start_info (arch/x86/platform/pvh/head.S). */
export function pvhRegisters(entry: number, startInfo: number): BootRegisters {
  return { ...flatSegments(PVH_GDT), rip: entry, rbx: startInfo, rsi: 0, cr0: CR0_PE | CR0_ET, cr3: 0, cr4: 0, efer: 0 };
}

type ModeIndependent = Omit<BootRegisters, "rip" | "rbx" | "rsi" | "cr0" | "cr3" | "cr4" | "efer">;

function flatSegments(gdt: readonly bigint[]): ModeIndependent {
  const { cs, data, tr } = bootSegments(gdt);
  return {
    rsp: BOOT_STACK_POINTER,
    rbp: BOOT_STACK_POINTER,
    rflags: RFLAGS_RESERVED,
    cs,
    ds: data,
    es: data,
    fs: data,
    gs: data,
    ss: data,
    tr,
    gdt: { base: GDT_ADDR, limit: gdt.length * 8 - 1 },
    // An empty IDT: an exception before the kernel installs its own is a triple fault, which the backend reports.
    idt: { base: IDT_ADDR, limit: 7 },
  };
}
