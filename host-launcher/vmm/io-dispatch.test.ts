// Exit dispatch to the buses: string I/O element by element, all-ones for nothing mapped, MMIO by address.
import { expect, test } from "bun:test";
import { Bus, type BusDevice } from "../devices/bus.ts";
import { dispatchExit } from "./io-dispatch.ts";

class Log implements BusDevice {
  writes: [number, number[]][] = [];
  read(offset: number, data: Uint8Array): void {
    data.fill(0x40 + offset);
  }
  write(offset: number, data: Uint8Array): void {
    this.writes.push([offset, [...data]]);
  }
}

function buses() {
  const dev = new Log();
  const pio = new Bus("pio");
  const mmio = new Bus("mmio");
  pio.insert(0x3f8, 8, dev, "uart");
  mmio.insert(0xd0000000, 0x1000, dev, "virtio");
  return { dev, b: { pio, mmio } };
}

test("REP OUTSB arrives as one exit and reaches the device byte by byte", () => {
  const { dev, b } = buses();
  expect(dispatchExit(b, { kind: "io", port: 0x3f8, size: 1, write: true, count: 3, data: Uint8Array.of(1, 2, 3) })).toHaveLength(0);
  expect(dev.writes).toEqual([[0, [1]], [0, [2]], [0, [3]]]);
});

test("reads return the device's bytes; unclaimed ports and addresses read all-ones", () => {
  const { b } = buses();
  expect([...dispatchExit(b, { kind: "io", port: 0x3fd, size: 1, write: false, count: 2, data: new Uint8Array(2) })]).toEqual([0x45, 0x45]);
  expect([...dispatchExit(b, { kind: "io", port: 0x2f8, size: 2, write: false, count: 1, data: new Uint8Array(2) })]).toEqual([0xff, 0xff]);
  expect([...dispatchExit(b, { kind: "mmio", addr: 0xd0000004n, size: 4, write: false, data: new Uint8Array(4) })]).toEqual([0x44, 0x44, 0x44, 0x44]);
  expect([...dispatchExit(b, { kind: "mmio", addr: 0xfee00000n, size: 4, write: false, data: new Uint8Array(4) })]).toEqual([0xff, 0xff, 0xff, 0xff]);
});

test("an MMIO write straddling the end of a window is dropped, not passed on", () => {
  const { dev, b } = buses();
  dispatchExit(b, { kind: "mmio", addr: 0xd0000ffen, size: 4, write: true, data: Uint8Array.of(1, 2, 3, 4) });
  expect(dev.writes).toEqual([]);
});
