// The PVH boot protocol (Xen's hvm_start_info, include/xen/interface/hvm/start_info.h): the kernel's
// pvh_start_xen entry from the ELF note, in 32-bit protected mode with EBX = start_info. The kernel
// builds its own boot_params from this, and that path has no screen_info: PVH boots have no
// simple-framebuffer, so the 64-bit zero-page protocol stays the default.
import { BootError } from "./errors.ts";
import { Fields } from "./bytes.ts";
import type { E820Entry } from "./e820.ts";

export const XEN_HVM_START_MAGIC = 0x336ec578;
export const START_INFO_ADDR = 0x6000;
export const START_INFO_SIZE = 56;
export const MODLIST_ADDR = 0x6040;
export const MODLIST_ENTRY_SIZE = 32;
export const MEMMAP_ADDR = 0x6100;
export const MEMMAP_ENTRY_SIZE = 24;
/** The memory map must end before the zero page area at 0x7000. */
export const MEMMAP_MAX_ENTRIES = Math.floor((0x7000 - MEMMAP_ADDR) / MEMMAP_ENTRY_SIZE);

/** Offsets inside struct hvm_start_info (version 1). */
export const HSI = {
  magic: 0,
  version: 4,
  flags: 8,
  nr_modules: 12,
  modlist_paddr: 16,
  cmdline_paddr: 24,
  rsdp_paddr: 32,
  memmap_paddr: 40,
  memmap_entries: 48,
  reserved: 52,
} as const;

export interface PvhInput {
  cmdlineAddr: number;
  initrd?: { addr: number; size: number };
  e820: readonly E820Entry[];
}

/** start_info, the module list (the initrd) and the memory map, as (address, bytes) pairs. */
export function pvhStartInfo(input: PvhInput): { gpa: number; bytes: Uint8Array; what: string }[] {
  if (input.e820.length > MEMMAP_MAX_ENTRIES) throw new BootError("memory-layout", `${input.e820.length} memory map entries; PVH start_info holds ${MEMMAP_MAX_ENTRIES}`);
  const info = new Fields(new Uint8Array(START_INFO_SIZE), "hvm_start_info", "memory-layout");
  info.set32(HSI.magic, XEN_HVM_START_MAGIC);
  info.set32(HSI.version, 1);
  info.set64(HSI.cmdline_paddr, input.cmdlineAddr);
  info.set64(HSI.memmap_paddr, MEMMAP_ADDR);
  info.set32(HSI.memmap_entries, input.e820.length);
  const out = [{ gpa: START_INFO_ADDR, bytes: info.bytes, what: "pvh start_info" }];
  if (input.initrd) {
    const mod = new Fields(new Uint8Array(MODLIST_ENTRY_SIZE), "hvm_modlist_entry", "memory-layout");
    mod.set64(0, input.initrd.addr);
    mod.set64(8, input.initrd.size);
    info.set32(HSI.nr_modules, 1);
    info.set64(HSI.modlist_paddr, MODLIST_ADDR);
    out.push({ gpa: MODLIST_ADDR, bytes: mod.bytes, what: "pvh module list" });
  }
  const map = new Fields(new Uint8Array(input.e820.length * MEMMAP_ENTRY_SIZE), "hvm_memmap_table", "memory-layout");
  input.e820.forEach((e, i) => {
    map.set64(i * MEMMAP_ENTRY_SIZE, e.addr);
    map.set64(i * MEMMAP_ENTRY_SIZE + 8, e.size);
    map.set32(i * MEMMAP_ENTRY_SIZE + 16, e.type); // XEN_HVM_MEMMAP_TYPE_* equal the e820 types
  });
  out.push({ gpa: MEMMAP_ADDR, bytes: map.bytes, what: "pvh memory map" });
  return out;
}
