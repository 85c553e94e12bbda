// The transport and the split queue, driven through the simulated driver with virtio-rng
// (the simplest device) behind them.
import { describe, expect, test } from "bun:test";
import { RecordingLine } from "../bus.ts";
import { SimDriver, TestGuest } from "../testing/driver.ts";
import { bit, STATUS, VIRTIO_F_VERSION_1 } from "./device.ts";
import { INT_CONFIG_CHANGE, INT_USED_BUFFER, REG, VIRTIO_MMIO_MAGIC, VirtioMmioTransport, virtioMmioCmdline } from "./mmio.ts";
import { VIRTIO_RING_F_EVENT_IDX, VIRTIO_RING_F_INDIRECT_DESC, VRING_DESC_F_NEXT } from "./queue.ts";
import { VirtioRng } from "./rng.ts";

function setup() {
  const guest = new TestGuest();
  const irq = new RecordingLine();
  const logs: string[] = [];
  const rng = new VirtioRng();
  const t = new VirtioMmioTransport(rng, { mem: guest.mem, irq, log: (l, m) => logs.push(`${l}: ${m}`) });
  return { guest, irq, logs, rng, t, d: new SimDriver(guest, t) };
}

const OK = STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK | STATUS.DRIVER_OK;

describe("virtio-mmio transport", () => {
  test("identifies itself as a version 2 device", () => {
    const { d } = setup();
    expect(d.reg(REG.MAGIC)).toBe(VIRTIO_MMIO_MAGIC);
    expect(d.reg(REG.VERSION)).toBe(2);
    expect(d.reg(REG.DEVICE_ID)).toBe(4);
    expect(d.reg(REG.VENDOR_ID)).not.toBe(0);
    d.setReg(REG.SHM_SEL, 0);
    expect([d.reg(REG.SHM_LEN_LOW), d.reg(REG.SHM_LEN_HIGH)]).toEqual([0xffffffff, 0xffffffff]);
  });

  test("negotiates VERSION_1 and the ring features", () => {
    const { d, t } = setup();
    expect(d.init()).toBe(OK);
    expect(d.offered & bit(VIRTIO_F_VERSION_1)).toBeTruthy();
    expect(d.offered & bit(VIRTIO_RING_F_INDIRECT_DESC)).toBeTruthy();
    expect(t.driverFeatures).toBe(d.offered);
  });

  test("refuses FEATURES_OK without VERSION_1 (legacy drivers) or with unknown bits", () => {
    const a = setup();
    expect(a.d.init({ accept: (f) => f & ~bit(VIRTIO_F_VERSION_1) }) & STATUS.FEATURES_OK).toBe(0);
    const b = setup();
    expect(b.d.init({ accept: (f) => f | bit(40) }) & STATUS.FEATURES_OK).toBe(0);
  });

  test("DRIVER_OK without FEATURES_OK marks DEVICE_NEEDS_RESET; writing 0 resets", () => {
    const { d } = setup();
    d.setReg(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.DRIVER_OK);
    expect(d.reg(REG.STATUS) & STATUS.DEVICE_NEEDS_RESET).toBeTruthy();
    d.setReg(REG.STATUS, 0);
    expect(d.reg(REG.STATUS)).toBe(0);
    expect(d.init()).toBe(OK);
  });

  test("rings outside guest RAM at DRIVER_OK mark DEVICE_NEEDS_RESET", () => {
    const { d } = setup();
    d.setReg(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER);
    d.setReg(REG.DRIVER_FEATURES_SEL, 1);
    d.setReg(REG.DRIVER_FEATURES, 1);
    d.setReg(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK);
    d.setReg(REG.QUEUE_SEL, 0);
    d.setReg(REG.QUEUE_DESC_LOW, 0x1000); // below the test guest's RAM
    d.setReg(REG.QUEUE_READY, 1);
    d.setReg(REG.STATUS, OK);
    expect(d.reg(REG.STATUS) & STATUS.DEVICE_NEEDS_RESET).toBeTruthy();
  });

  test("narrow register accesses are ignored, not fatal", () => {
    const { t, logs } = setup();
    const b = new Uint8Array(2).fill(0xff);
    t.read(REG.MAGIC, b);
    expect([...b]).toEqual([0, 0]);
    t.write(REG.STATUS, new Uint8Array([1, 0]));
    expect(logs.length).toBe(1);
  });

  test("a guest spraying bad chains cannot flood the host log", () => {
    const { d, logs } = setup();
    d.init();
    const q = d.queue(0);
    for (let i = 0; i < 200; i++) {
      q.setDesc(0, { addr: 0x10, len: 1, flags: 2, next: 0 });
      q.pushAvail(0);
      q.kick();
    }
    expect(q.usedElems().length).toBe(200);
    expect(logs.length).toBeLessThanOrEqual(20);
  });

  test("cmdline announces the device the way Linux parses it", () => {
    expect(virtioMmioCmdline(0xd0000000, 0x1000, 5)).toBe("virtio_mmio.device=4K@0xd0000000:5");
    expect(virtioMmioCmdline(0xfeb00000, 512, 12)).toBe("virtio_mmio.device=512@0xfeb00000:12");
  });
});

describe("split virtqueue through virtio-rng", () => {
  test("fills a chained buffer, raises and acknowledges the interrupt", () => {
    const { d, guest, irq } = setup();
    d.init();
    const q = d.queue(0);
    const p = q.add([{ writable: 100 }, { writable: 28 }]);
    q.kick();
    expect(q.usedElems()).toEqual([{ id: p.head, len: 128 }]);
    const bytes = guest.mem.read(p.buffers[0]!.addr, 100);
    expect(bytes.some((b) => b !== 0)).toBe(true);
    expect(irq.asserts).toBe(1);
    expect(d.reg(REG.INTERRUPT_STATUS)).toBe(INT_USED_BUFFER);
    d.setReg(REG.INTERRUPT_ACK, INT_USED_BUFFER);
    expect(d.reg(REG.INTERRUPT_STATUS)).toBe(0);
    expect(irq.level).toBe(false);
  });

  test("indirect descriptors", () => {
    const { d, guest } = setup();
    d.init();
    const q = d.queue(0);
    const p = q.addIndirect([{ writable: 16 }, { writable: 16 }, { writable: 32 }]);
    q.kick();
    expect(q.usedElems()).toEqual([{ id: p.head, len: 64 }]);
    expect(guest.mem.read(p.buffers[2]!.addr, 32).some((b) => b !== 0)).toBe(true);
  });

  test("indirect is refused when the driver did not accept it", () => {
    const { d, logs } = setup();
    d.init({ accept: (f) => f & ~bit(VIRTIO_RING_F_INDIRECT_DESC) });
    const q = d.queue(0);
    const p = q.addIndirect([{ writable: 16 }]);
    q.kick();
    expect(q.usedElems()).toEqual([{ id: p.head, len: 0 }]);
    expect(logs.join()).toContain("VIRTIO_RING_F_INDIRECT_DESC");
  });

  test("EVENT_IDX: no interrupt until used_event is reached", () => {
    const { d, irq } = setup();
    d.init();
    expect(d.offered & bit(VIRTIO_RING_F_EVENT_IDX)).toBeTruthy();
    const q = d.queue(0);
    q.usedElems(); // used_event = 0: interrupt when used idx passes 0
    q.add([{ writable: 8 }]);
    q.kick();
    expect(irq.asserts).toBe(1);
    // Ask for an interrupt only after 3 more used entries.
    guestWriteUsedEvent(d, 3);
    q.add([{ writable: 8 }]);
    q.kick();
    q.add([{ writable: 8 }]);
    q.kick();
    expect(irq.asserts).toBe(1);
    q.add([{ writable: 8 }]);
    q.kick();
    expect(irq.asserts).toBe(2);
  });

  test("a looping chain is skipped and the queue keeps working", () => {
    const { d, guest, logs } = setup();
    d.init();
    const q = d.queue(0);
    const buf = guest.alloc(16);
    q.setDesc(0, { addr: buf, len: 16, flags: VRING_DESC_F_NEXT | 2, next: 1 });
    q.setDesc(1, { addr: buf, len: 16, flags: VRING_DESC_F_NEXT | 2, next: 0 });
    q.pushAvail(0);
    q.kick();
    expect(q.usedElems()).toEqual([{ id: 0, len: 0 }]);
    expect(logs.join()).toContain("loop");
    const p = q.add([{ writable: 4 }]);
    q.kick();
    expect(q.usedElems()).toEqual([{ id: p.head, len: 4 }]);
  });

  test("an avail index too far ahead marks DEVICE_NEEDS_RESET with a config interrupt", () => {
    const { d } = setup();
    d.init();
    const q = d.queue(0);
    q.setAvailIdx(q.size + 1);
    q.kick();
    expect(d.reg(REG.STATUS) & STATUS.DEVICE_NEEDS_RESET).toBeTruthy();
    expect(d.reg(REG.INTERRUPT_STATUS) & INT_CONFIG_CHANGE).toBeTruthy();
    // Further notifies are ignored until the driver resets.
    q.kick();
    expect(d.init()).toBe(OK);
  });
});

function guestWriteUsedEvent(d: SimDriver, v: number) {
  const q = d.queue(0);
  d.guest.mem.writeU16(q.avail + 4 + 2 * q.size, v);
}
