// The BIOS-style e820 memory map handed to Linux in the zero page: which guest-physical ranges are RAM,
// and which must not be touched (the EBDA holding the MP table, the framebuffer in the MMIO hole).
import { BootError, hex } from "./errors.ts";
import { EBDA_START, FRAMEBUFFER_BASE, FRAMEBUFFER_MAX_SIZE, HIMEM_START, LOW_RAM_END, ramRegions } from "./layout.ts";

export const E820_RAM = 1;
export const E820_RESERVED = 2;
/** boot_params.e820_table holds at most this many entries (E820_MAX_ENTRIES_ZEROPAGE). */
export const E820_MAX_ENTRIES = 128;

export interface E820Entry {
  addr: number;
  size: number;
  type: number;
}

export interface FramebufferRegion {
  base: number;
  size: number;
}

/** The map for `memSize` bytes of RAM (laid out as ramRegions says) and an optional framebuffer. */
export function e820Map(memSize: number, framebuffer?: FramebufferRegion): E820Entry[] {
  if (!Number.isSafeInteger(memSize) || memSize <= HIMEM_START) {
    throw new BootError("memory-layout", `guest memory ${memSize} bytes is too small: it must extend past 1 MiB`);
  }
  const [low, high] = ramRegions(memSize);
  const entries: E820Entry[] = [
    { addr: 0, size: EBDA_START, type: E820_RAM },
    { addr: EBDA_START, size: LOW_RAM_END - EBDA_START, type: E820_RESERVED },
    { addr: HIMEM_START, size: low!.size - HIMEM_START, type: E820_RAM },
  ];
  if (framebuffer) {
    checkFramebuffer(framebuffer);
    entries.push({ addr: framebuffer.base, size: framebuffer.size, type: E820_RESERVED });
  }
  if (high) entries.push({ addr: high.gpa, size: high.size, type: E820_RAM });
  return entries.sort((a, b) => a.addr - b.addr);
}

function checkFramebuffer(fb: FramebufferRegion): void {
  const end = FRAMEBUFFER_BASE + FRAMEBUFFER_MAX_SIZE;
  if (!Number.isSafeInteger(fb.base) || !Number.isSafeInteger(fb.size) || fb.size <= 0 || fb.base < FRAMEBUFFER_BASE || fb.base + fb.size > end) {
    throw new BootError("memory-layout", `framebuffer ${hex(fb.base)}+${hex(fb.size)} must lie inside ${hex(FRAMEBUFFER_BASE)}..${hex(end)}`);
  }
}

/** Total RAM the map describes (for reports and tests). */
export function e820RamBytes(entries: readonly E820Entry[]): number {
  return entries.filter((e) => e.type === E820_RAM).reduce((n, e) => n + e.size, 0);
}
