import { test, expect } from "bun:test";
import { BOOT_GDT, decodeDescriptor, gdtBytes, gdtEntry, bootSegments, BOOT_CS, BOOT_DS } from "./gdt.ts";
import { longModeRegisters, CR0_PE, CR0_PG, CR4_PAE, EFER_LMA, EFER_LME } from "./registers.ts";
import { PML4_ADDR, ZERO_PAGE_ADDR, GDT_ADDR, IDT_ADDR } from "./layout.ts";

test("descriptors are Firecracker's values", () => {
  expect(BOOT_GDT.map((d) => d.toString(16))).toEqual(["0", "af9b000000ffff", "cf93000000ffff", "8f8b000000ffff"]);
  expect(gdtBytes().length).toBe(32);
  expect([...gdtBytes().subarray(8, 16)]).toEqual([0xff, 0xff, 0, 0, 0, 0x9b, 0xaf, 0]);
});

test("code decodes to a flat 64-bit ring-0 execute/read segment, data to a flat 4 GiB read/write one", () => {
  const { cs, data, tr } = bootSegments();
  expect(cs).toMatchObject({ base: 0, limit: 0xffffffff, selector: BOOT_CS, type: 0xb, present: true, dpl: 0, s: true, l: true, db: false, g: true });
  expect(data).toMatchObject({ base: 0, limit: 0xffffffff, selector: BOOT_DS, type: 3, present: true, s: true, l: false, db: true, g: true });
  expect(tr).toMatchObject({ type: 0xb, s: false, present: true, selector: 0x18 }); // a busy 64-bit TSS
});

test("encode/decode round-trip for base and limit bits in every position", () => {
  const d = decodeDescriptor(gdtEntry(0x4092, 0x12345678, 0xabcde), 0x28);
  expect(d).toMatchObject({ base: 0x12345678, limit: 0xabcde, type: 2, present: true, db: true, g: false });
});

test("long-mode entry state", () => {
  const r = longModeRegisters(0x1000200);
  expect(r.rip).toBe(0x1000200);
  expect(r.rsi).toBe(ZERO_PAGE_ADDR);
  expect(r.rflags).toBe(2);
  expect(r.cr0 & CR0_PE).toBeTruthy();
  expect((r.cr0 & CR0_PG) !== 0).toBe(true);
  expect(r.cr0).toBe(0x80000011); // stored unsigned: PG | ET | PE
  expect(r.cr3).toBe(PML4_ADDR);
  expect(r.cr4 & CR4_PAE).toBe(CR4_PAE);
  expect(r.efer).toBe(EFER_LME | EFER_LMA);
  expect([r.ds, r.es, r.fs, r.gs, r.ss].every((s) => s.selector === BOOT_DS)).toBe(true);
  expect(r.gdt).toEqual({ base: GDT_ADDR, limit: 31 });
  expect(r.idt.base).toBe(IDT_ADDR);
});
