import { describe, expect, test } from "bun:test";
import { GuestMemory, GuestMemoryError } from "./memory.ts";
import { Bus, BusError, RecordingLine, type BusDevice } from "./bus.ts";
import { MAP, mmap, munmap, PROT } from "../../lib/ffi/libc.ts";

describe("GuestMemory", () => {
  const low = new Uint8Array(0x1000);
  const high = new Uint8Array(0x1000);
  const mem = new GuestMemory([{ gpa: 0x10000, bytes: high }, { gpa: 0, bytes: low }]);

  test("little-endian round trips land in the right region", () => {
    mem.writeU16(0x10, 0xbeef);
    mem.writeU32(0x10002, 0xdeadbeef);
    mem.writeU64(0x10ff8, 0x0102030405060708n);
    expect(low[0x10]).toBe(0xef);
    expect(mem.readU16(0x10)).toBe(0xbeef);
    expect(mem.readU32(0x10002)).toBe(0xdeadbeef);
    expect(high[0xff8]).toBe(8);
    expect(mem.readU64(0x10ff8n)).toBe(0x0102030405060708n);
    expect(mem.size).toBe(0x2000);
  });

  test("slice is a live view", () => {
    mem.slice(0x20, 4).set([1, 2, 3, 4]);
    expect(mem.read(0x20, 4)).toEqual(new Uint8Array([1, 2, 3, 4]));
  });

  const bad: [string, number | bigint, number | bigint][] = [
    ["past the end", 0xfff, 2],
    ["between regions", 0x1000, 1],
    ["straddling into a gap", 0xff0, 0x20],
    ["beyond everything", 0x20000, 1],
    ["length 2^32", 0, 2 ** 32],
    ["length 2^32-1", 0x10000, 2 ** 32 - 1],
    ["negative address", -1, 1],
    ["fractional address", 0.5, 1],
    ["u64 max address", 0xffffffffffffffffn, 1],
    ["address that would wrap to 0", 0xfffffffffffffff0n, 0x20],
    ["NaN length", 0, Number.NaN],
  ];
  for (const [what, gpa, len] of bad) {
    test(`rejects ${what}`, () => {
      expect(() => mem.slice(gpa, len)).toThrow(GuestMemoryError);
    });
  }

  test("works over an mmap'd Mapping, as the KVM backend provides RAM", () => {
    const ram = mmap(2 << 20, PROT.READ | PROT.WRITE, MAP.PRIVATE | MAP.ANONYMOUS | MAP.NORESERVE);
    try {
      const m = new GuestMemory([{ gpa: 0x100000, bytes: ram.bytes }]);
      m.writeU64(0x100000 + (2 << 20) - 8, 0xfeedfacecafebeefn);
      expect(new DataView(ram.bytes.buffer, ram.bytes.byteOffset).getBigUint64((2 << 20) - 8, true)).toBe(0xfeedfacecafebeefn);
      expect(() => m.readU64(0x100000 + (2 << 20) - 4)).toThrow(GuestMemoryError);
    } finally {
      munmap(ram);
    }
  });

  test("overlapping regions are refused", () => {
    expect(() => new GuestMemory([{ gpa: 0, bytes: new Uint8Array(16) }, { gpa: 8, bytes: new Uint8Array(16) }])).toThrow(GuestMemoryError);
  });
});

describe("Bus", () => {
  class Rec implements BusDevice {
    log: string[] = [];
    read(offset: number, data: Uint8Array) {
      data.fill(offset);
      this.log.push(`r${offset}/${data.length}`);
    }
    write(offset: number, data: Uint8Array) {
      this.log.push(`w${offset}=${data[0]}`);
    }
  }
  test("dispatches by range with the offset relative to the base", () => {
    const bus = new Bus("mmio");
    const a = new Rec();
    const b = new Rec();
    bus.insert(0xd000_0000, 0x1000, a, "a");
    bus.insert(0xd000_1000, 0x1000, b, "b");
    const d = new Uint8Array(4);
    expect(bus.read(0xd000_1004, d)).toBe(true);
    expect(d[0]).toBe(4);
    expect(bus.write(0xd000_0010, new Uint8Array([7]))).toBe(true);
    expect(bus.read(0xd000_2000, d)).toBe(false);
    // An access that runs off the end of a device's range reaches nobody.
    expect(bus.read(0xd000_0ffe, d)).toBe(false);
    expect(a.log).toEqual(["w16=7"]);
    expect(b.log).toEqual(["r4/4"]);
    expect(() => bus.insert(0xd000_0800, 0x1000, a, "c")).toThrow(BusError);
    expect(bus.remove(0xd000_0000)).toBe(true);
    expect(bus.ranges().map((r) => r.name)).toEqual(["b"]);
  });

  test("RecordingLine counts edges and tracks the level", () => {
    const l = new RecordingLine();
    l.assert();
    l.assert();
    l.deassert();
    expect([l.asserts, l.deasserts, l.level]).toEqual([2, 1, false]);
  });
});
