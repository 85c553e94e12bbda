import { test, expect } from "bun:test";
import { identityPageTables, translate } from "./pagetables.ts";
import { guestRam } from "./memory.ts";
import { PML4_ADDR, MiB } from "./layout.ts";

function tablesInRam() {
  const bytes = new Uint8Array(16 * MiB);
  const mem = guestRam(bytes);
  for (const t of identityPageTables()) mem.write(t.gpa, t.bytes);
  const view = new DataView(bytes.buffer);
  return (gpa: number) => view.getBigUint64(gpa, true);
}

test("the MMU walk maps sample addresses across the first 4 GiB to themselves", () => {
  const read = tablesInRam();
  for (const va of [0n, 0x7000n, 0x1000000n + 0x200n, 0x3fff_ffffn, 0x4000_0000n, 0xbfff_f123n, 0xfee0_0000n, 0xffff_ffffn]) {
    expect(translate(read, PML4_ADDR, va)).toBe(va);
  }
});

test("nothing at or above 4 GiB is mapped", () => {
  const read = tablesInRam();
  expect(translate(read, PML4_ADDR, 0x1_0000_0000n)).toBeUndefined();
  expect(translate(read, PML4_ADDR, 0xffff_ffff_8100_0000n)).toBeUndefined();
});

test("a 1 GiB map covers exactly 1 GiB; the tables are five 4 KiB pages for 4 GiB", () => {
  expect(identityPageTables().length).toBe(6);
  expect(identityPageTables().every((t) => t.bytes.length === 4096)).toBe(true);
  const bytes = new Uint8Array(MiB);
  for (const t of identityPageTables(1)) bytes.set(t.bytes, t.gpa);
  const view = new DataView(bytes.buffer);
  const read = (gpa: number) => view.getBigUint64(gpa, true);
  expect(translate(read, PML4_ADDR, 0x3fe0_0000n)).toBe(0x3fe0_0000n);
  expect(translate(read, PML4_ADDR, 0x4000_0000n)).toBeUndefined();
  expect(() => identityPageTables(0)).toThrow(/out of range/);
});
