// The vCPU state at the kernel's 64-bit entry (boot.rst "64-bit BOOT PROTOCOL"): long mode with paging,
// flat segments, interrupts off, RSI = zero page. Plain data: each backend copies it into its own
// register structures (KVM sregs/regs, WHP register names, HVF vcpu fields).
import { bootSegments, BOOT_GDT, type Segment } from "./gdt.ts";
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
  const { cs, data, tr } = bootSegments();
  return {
    rip: entry,
    rsp: BOOT_STACK_POINTER,
    rbp: BOOT_STACK_POINTER,
    rsi: ZERO_PAGE_ADDR,
    rflags: RFLAGS_RESERVED,
    // CR0 is a u32-sized value in the upper bit: keep it as an unsigned number.
    cr0: (CR0_PE | CR0_ET | CR0_PG) >>> 0,
    cr3: PML4_ADDR,
    cr4: CR4_PAE,
    efer: EFER_LME | EFER_LMA,
    cs,
    ds: data,
    es: data,
    fs: data,
    gs: data,
    ss: data,
    tr,
    gdt: { base: GDT_ADDR, limit: BOOT_GDT.length * 8 - 1 },
    // An empty IDT: an exception before the kernel installs its own is a triple fault, which the backend reports.
    idt: { base: IDT_ADDR, limit: 7 },
  };
}
