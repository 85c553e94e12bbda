// Identity-map the low 4 GiB with 2 MiB pages so the kernel's 64-bit entry runs with paging on:
// PML4[0] -> PDPT, PDPT[i] -> PD i, each PD maps 1 GiB. The kernel replaces these tables early.
import { BootError, hex } from "./errors.ts";
import { Fields } from "./bytes.ts";
import { IDENTITY_MAP_GIB, PD_ADDR, PDPT_ADDR, PML4_ADDR } from "./layout.ts";

export const PTE_PRESENT = 1n << 0n;
export const PTE_WRITABLE = 1n << 1n;
export const PTE_PAGE_SIZE = 1n << 7n; // PS: this PD entry maps a 2 MiB page
const ENTRIES = 512;
const TWO_MIB = 0x200000;
const PAGE = 4096;

export interface PageTableWrite {
  gpa: number;
  bytes: Uint8Array;
}

/** The tables as (address, 4 KiB page) pairs; CR3 = PML4_ADDR. */
export function identityPageTables(gib = IDENTITY_MAP_GIB): PageTableWrite[] {
  if (!Number.isInteger(gib) || gib < 1 || gib > ENTRIES) throw new BootError("memory-layout", `identity map of ${gib} GiB out of range`);
  const pml4 = new Fields(new Uint8Array(PAGE), "PML4", "memory-layout");
  const pdpt = new Fields(new Uint8Array(PAGE), "PDPT", "memory-layout");
  pml4.set64(0, BigInt(PDPT_ADDR) | PTE_PRESENT | PTE_WRITABLE);
  const writes: PageTableWrite[] = [{ gpa: PML4_ADDR, bytes: pml4.bytes }, { gpa: PDPT_ADDR, bytes: pdpt.bytes }];
  for (let g = 0; g < gib; g++) {
    const pdAddr = PD_ADDR + g * PAGE;
    pdpt.set64(g * 8, BigInt(pdAddr) | PTE_PRESENT | PTE_WRITABLE);
    const pd = new Fields(new Uint8Array(PAGE), `PD ${g}`, "memory-layout");
    for (let i = 0; i < ENTRIES; i++) {
      const phys = BigInt(g) * BigInt(ENTRIES * TWO_MIB) + BigInt(i * TWO_MIB);
      pd.set64(i * 8, phys | PTE_PRESENT | PTE_WRITABLE | PTE_PAGE_SIZE);
    }
    writes.push({ gpa: pdAddr, bytes: pd.bytes });
  }
  return writes;
}

/**
 * Translate a virtual address the way the MMU does with 4-level paging, reading tables through `read`
 * (a guest-physical reader). Returns undefined for a not-present entry. Used by tests and diagnostics.
 */
export function translate(read: (gpa: number) => bigint, cr3: number, va: bigint): bigint | undefined {
  const index = (shift: bigint) => Number((va >> shift) & 0x1ffn);
  const addrMask = 0x000ffffffffff000n;
  let table = BigInt(cr3) & addrMask;
  for (const [level, shift] of [[4, 39n], [3, 30n], [2, 21n], [1, 12n]] as const) {
    const entry = read(Number(table) + index(shift) * 8);
    if (!(entry & PTE_PRESENT)) return undefined;
    if ((level === 3 || level === 2) && entry & PTE_PAGE_SIZE) {
      const pageMask = (1n << shift) - 1n;
      return (entry & addrMask & ~pageMask) | (va & pageMask);
    }
    table = entry & addrMask;
    if (level === 1) return table | (va & 0xfffn);
  }
  throw new BootError("memory-layout", `page walk for ${hex(va)} fell through`);
}
