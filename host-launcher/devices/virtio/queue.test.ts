// Hostile chains, one by one: each is skipped with a logged reason and a zero-length used entry
// (or the device is marked DEVICE_NEEDS_RESET when the ring itself is unusable), and the queue
// keeps serving well-formed chains afterwards.
import { describe, expect, test } from "bun:test";
import { RecordingLine } from "../bus.ts";
import { SimDriver, TestGuest, type DriverQueue } from "../testing/driver.ts";
import { STATUS } from "./device.ts";
import { REG, VirtioMmioTransport } from "./mmio.ts";
import { VRING_DESC_F_INDIRECT as INDIRECT, VRING_DESC_F_NEXT as NEXT, VRING_DESC_F_WRITE as WRITE } from "./queue.ts";
import { VirtioRng } from "./rng.ts";

function setup() {
  const guest = new TestGuest();
  const logs: string[] = [];
  const d = new SimDriver(guest, new VirtioMmioTransport(new VirtioRng(), { mem: guest.mem, irq: new RecordingLine(), log: (_l, m) => logs.push(m) }));
  d.init();
  return { guest, d, q: d.queue(0), logs };
}

type Desc = { addr: number | bigint; len: number; flags: number; next: number };
const cases: [string, (g: TestGuest, q: DriverQueue) => Desc[], string][] = [
  ["a buffer outside guest RAM", () => [{ addr: 0x1000, len: 16, flags: WRITE, next: 0 }], "not guest RAM"],
  ["a buffer running off the end of RAM", (g) => [{ addr: g.base + g.ram.length - 8, len: 16, flags: WRITE, next: 0 }], "past the end"],
  ["a 4 GiB length", (g) => [{ addr: g.base, len: 2 ** 32 - 1, flags: WRITE, next: 0 }], "past the end"],
  ["an address of 2^64-1", () => [{ addr: 0xffffffffffffffffn, len: 1, flags: WRITE, next: 0 }], "out of range"],
  ["next beyond the table", (g) => [{ addr: g.alloc(8), len: 8, flags: WRITE | NEXT, next: 999 }], "outside a table"],
  ["a self loop", (g) => [{ addr: g.alloc(8), len: 8, flags: WRITE | NEXT, next: 0 }], "loop"],
  ["readable after writable", (g) => [{ addr: g.alloc(8), len: 8, flags: WRITE | NEXT, next: 1 }, { addr: g.alloc(8), len: 8, flags: 0, next: 0 }], "after a device-writable"],
  ["indirect with NEXT", (g) => [{ addr: g.alloc(16), len: 16, flags: INDIRECT | NEXT, next: 1 }], "NEXT set"],
  ["an indirect table of 15 bytes", (g) => [{ addr: g.alloc(16), len: 15, flags: INDIRECT, next: 0 }], "multiple of 16"],
  ["an indirect table of 2^28 entries", (g) => [{ addr: g.base, len: 2 ** 32 - 16, flags: INDIRECT, next: 0 }], "multiple of 16"],
  [
    "a nested indirect table",
    (g, q) => {
      const inner = g.alloc(16);
      q.setDesc(0, { addr: inner, len: 16, flags: INDIRECT, next: 0 }, inner);
      return [{ addr: inner, len: 16, flags: INDIRECT, next: 0 }];
    },
    "nested",
  ],
  [
    "a loop inside an indirect table",
    (g, q) => {
      const table = g.alloc(32);
      const buf = g.alloc(8);
      q.setDesc(0, { addr: buf, len: 8, flags: WRITE | NEXT, next: 1 }, table);
      q.setDesc(1, { addr: buf, len: 8, flags: WRITE | NEXT, next: 0 }, table);
      return [{ addr: table, len: 32, flags: INDIRECT, next: 0 }];
    },
    "loop",
  ],
];

describe("hostile descriptor chains", () => {
  for (const [what, build, reason] of cases) {
    test(`${what} is skipped and logged`, () => {
      const { guest, q, d, logs } = setup();
      build(guest, q).forEach((desc, i) => q.setDesc(i, desc));
      q.pushAvail(0);
      q.kick();
      expect(q.usedElems()).toEqual([{ id: 0, len: 0 }]);
      expect(logs.join("\n")).toContain(reason);
      expect(d.reg(REG.STATUS) & STATUS.DEVICE_NEEDS_RESET).toBe(0);
      // The queue still works.
      const p = q.add([{ writable: 8 }]);
      q.kick();
      expect(q.usedElems()).toEqual([{ id: p.head, len: 8 }]);
    });
  }

  test("an indirect table as long as the queue (Linux's seg_max + 2) is accepted", () => {
    const { q } = setup();
    const specs = Array.from({ length: q.size }, () => ({ writable: 1 }));
    const p = q.addIndirect(specs);
    q.kick();
    expect(q.usedElems()).toEqual([{ id: p.head, len: q.size }]);
  });

  test("a head index beyond the queue is skipped without a used entry", () => {
    const { q, logs } = setup();
    q.pushAvail(q.size + 5);
    q.kick();
    expect(q.usedElems()).toEqual([]);
    expect(logs.join()).toContain("outside a table");
  });

  test("a live queue's rings cannot be moved by register writes", () => {
    const { d, q } = setup();
    d.setReg(REG.QUEUE_DEVICE_LOW, 0x10);
    q.add([{ writable: 8 }]);
    q.kick();
    expect(q.usedElems().length).toBe(1);
    expect(d.reg(REG.STATUS) & STATUS.DEVICE_NEEDS_RESET).toBe(0);
  });
});
