import { test, expect, describe } from "bun:test";
import { e820Map, e820RamBytes, E820_RAM, E820_RESERVED } from "./e820.ts";
import { ramRegions, GiB, MiB, MMIO_HOLE_START, MMIO_HOLE_END, FRAMEBUFFER_BASE, EBDA_START, HIMEM_START, virtioMmioSlot, IOAPIC_ADDR } from "./layout.ts";
import { guestRam } from "./memory.ts";
import { placeInitrd } from "./initrd.ts";
import { BootError } from "./errors.ts";

function noOverlap(entries: { addr: number; size: number }[]): void {
  for (let i = 0; i + 1 < entries.length; i++) expect(entries[i]!.addr + entries[i]!.size).toBeLessThanOrEqual(entries[i + 1]!.addr);
}

describe("e820", () => {
  test("256 MiB: low RAM, reserved EBDA, RAM from 1 MiB to the end; every RAM byte accounted for", () => {
    const m = e820Map(256 * MiB);
    expect(m).toEqual([
      { addr: 0, size: EBDA_START, type: E820_RAM },
      { addr: EBDA_START, size: 0x400, type: E820_RESERVED },
      { addr: HIMEM_START, size: 255 * MiB, type: E820_RAM },
    ]);
    expect(e820RamBytes(m)).toBe(256 * MiB - (HIMEM_START - EBDA_START));
  });

  test("6 GiB: RAM stops at the MMIO hole and resumes at 4 GiB; the framebuffer is reserved inside the hole", () => {
    const m = e820Map(6 * GiB, { base: FRAMEBUFFER_BASE, size: 8 * MiB });
    noOverlap(m);
    const ram = m.filter((e) => e.type === E820_RAM);
    expect(ram.at(-2)!.addr + ram.at(-2)!.size).toBe(MMIO_HOLE_START);
    expect(ram.at(-1)).toEqual({ addr: MMIO_HOLE_END, size: 3 * GiB, type: E820_RAM });
    expect(m).toContainEqual({ addr: FRAMEBUFFER_BASE, size: 8 * MiB, type: E820_RESERVED });
    // Nothing listed as RAM overlaps the device windows.
    for (const dev of [virtioMmioSlot(0).base, virtioMmioSlot(63).base, IOAPIC_ADDR, FRAMEBUFFER_BASE]) {
      expect(ram.some((e) => dev >= e.addr && dev < e.addr + e.size)).toBe(false);
    }
  });

  test("bad sizes and a framebuffer outside its window are errors", () => {
    expect(() => e820Map(512 * 1024)).toThrow(BootError);
    expect(() => e820Map(64 * MiB, { base: 0x1000_0000, size: MiB })).toThrow(/framebuffer/);
    expect(() => e820Map(64 * MiB, { base: FRAMEBUFFER_BASE, size: 0 })).toThrow(/framebuffer/);
  });
});

describe("guest RAM", () => {
  test("regions split at the hole and map to one host buffer", () => {
    expect(ramRegions(3 * GiB + 4096)).toEqual([
      { gpa: 0, size: 3 * GiB, hostOffset: 0 },
      { gpa: 4 * GiB, size: 4096, hostOffset: 3 * GiB },
    ]);
  });

  test("writes land at their offset; ranges outside RAM or across its end are refused", () => {
    const bytes = new Uint8Array(2 * MiB);
    const mem = guestRam(bytes);
    mem.write(0x1000, Uint8Array.of(1, 2, 3));
    expect([...bytes.subarray(0x1000, 0x1003)]).toEqual([1, 2, 3]);
    expect(() => mem.write(2 * MiB - 1, Uint8Array.of(1, 2))).toThrow(/not inside guest RAM/);
    expect(() => mem.write(-1, Uint8Array.of(1))).toThrow(BootError);
    expect(() => mem.view(MMIO_HOLE_START, 1)).toThrow(BootError);
  });
});

describe("initrd placement", () => {
  test("top of low RAM, page aligned, under initrd_addr_max", () => {
    expect(placeInitrd(256 * MiB, 10 * MiB + 5, 0x7fffffff, 32 * MiB)).toBe(alignDownPage(256 * MiB - 10 * MiB - 5));
    expect(placeInitrd(4 * GiB, MiB, 0x7fffffff, 32 * MiB)).toBe(0x8000_0000 - MiB);
  });

  test("no room above the kernel is a clear error", () => {
    expect(() => placeInitrd(64 * MiB, 40 * MiB, 0x7fffffff, 32 * MiB)).toThrow(/more memory/);
  });
});

function alignDownPage(n: number): number {
  return n - (n % 4096);
}
