// A simulated guest driver for device tests: it lays out split rings in a GuestMemory the way
// Linux's virtio_ring does (descriptor table, avail ring, used ring on the next 4 KiB boundary),
// performs the virtio-mmio handshake through the transport's registers, builds chained and
// indirect descriptors, and also writes the broken and malicious rings the fuzz test needs.
//
// Public API (tests only):
//   new TestGuest(size?, base?)          RAM in one region at `base`, with a bump allocator
//   new SimDriver(guest, transport)      reg()/setReg(), config(), init({ accept?, queues? })
//   driver.queue(i): DriverQueue         add(), addIndirect(), kick(), usedElems(), and raw setDesc(),
//                                        pushAvail(), setAvailIdx() for malformed input
//   waitFor(cond, ms)                    poll an async condition with a deadline
import type { BusDevice } from "../bus.ts";
import { GuestMemory } from "../memory.ts";
import { REG } from "../virtio/mmio.ts";
import { STATUS } from "../virtio/device.ts";
import { VRING_DESC_F_INDIRECT, VRING_DESC_F_NEXT, VRING_DESC_F_WRITE } from "../virtio/queue.ts";

export class TestGuest {
  readonly ram: Uint8Array;
  readonly mem: GuestMemory;
  private next: number;

  constructor(
    size = 1 << 20,
    readonly base = 0x4000_0000,
  ) {
    this.ram = new Uint8Array(size);
    this.mem = new GuestMemory([{ gpa: base, bytes: this.ram }]);
    this.next = base;
  }

  /** A fresh guest-physical range, zeroed. */
  alloc(len: number, align = 16): number {
    const at = Math.ceil(this.next / align) * align;
    if (at + len > this.base + this.ram.length) throw new Error(`test guest out of memory (${len} bytes)`);
    this.next = at + len;
    this.mem.slice(at, len).fill(0);
    return at;
  }
}

/** A buffer the device reads (data) or writes (writable: its length). */
export type BufferSpec = { data: Uint8Array } | { writable: number };

export interface Posted {
  head: number;
  /** Guest addresses of the buffers, in order; read device-written bytes with guest.mem. */
  buffers: { addr: number; len: number; writable: boolean }[];
}

export class DriverQueue {
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
  private nextDesc = 0;
  private availIdx = 0;
  private lastUsed = 0;

  constructor(
    private readonly driver: SimDriver,
    readonly index: number,
    readonly size: number,
  ) {
    const g = driver.guest;
    this.desc = g.alloc(16 * size, 4096);
    this.avail = g.alloc(6 + 2 * size, 2);
    this.used = g.alloc(6 + 8 * size, 4096);
  }

  private get mem(): GuestMemory {
    return this.driver.guest.mem;
  }

  /** The same rings, emptied, for a driver starting over after a device reset. */
  fresh(): this {
    this.nextDesc = this.availIdx = this.lastUsed = 0;
    this.mem.slice(this.desc, 16 * this.size).fill(0);
    this.mem.slice(this.avail, 6 + 2 * this.size).fill(0);
    this.mem.slice(this.used, 6 + 8 * this.size).fill(0);
    return this;
  }

  setDesc(i: number, d: { addr: number | bigint; len: number; flags: number; next: number }, table = this.desc): void {
    const at = table + 16 * i;
    this.mem.writeU64(at, BigInt(d.addr));
    this.mem.writeU32(at + 8, d.len);
    this.mem.writeU16(at + 12, d.flags);
    this.mem.writeU16(at + 14, d.next);
  }

  /** Allocates guest buffers for `specs` (copying readable data in). */
  private buffers(specs: BufferSpec[]): Posted["buffers"] {
    return specs.map((s) => {
      const writable = "writable" in s;
      const len = writable ? s.writable : s.data.length;
      const addr = this.driver.guest.alloc(Math.max(len, 1));
      if (!writable) this.mem.write(addr, s.data);
      return { addr, len, writable };
    });
  }

  /** Writes `buffers` as one NEXT-linked chain into `table` at indices `ids`. */
  private link(buffers: Posted["buffers"], ids: number[], table: number): void {
    buffers.forEach((b, k) => {
      const last = k === buffers.length - 1;
      const flags = (b.writable ? VRING_DESC_F_WRITE : 0) | (last ? 0 : VRING_DESC_F_NEXT);
      this.setDesc(ids[k]!, { addr: b.addr, len: b.len, flags, next: last ? 0 : ids[k + 1]! }, table);
    });
  }

  private takeDesc(): number {
    const i = this.nextDesc;
    this.nextDesc = (this.nextDesc + 1) % this.size;
    return i;
  }

  /** A chain of direct descriptors, published on the avail ring (not kicked). */
  add(specs: BufferSpec[]): Posted {
    const buffers = this.buffers(specs);
    const ids = buffers.map(() => this.takeDesc());
    this.link(buffers, ids, this.desc);
    this.pushAvail(ids[0]!);
    return { head: ids[0]!, buffers };
  }

  /** One descriptor pointing at an indirect table holding the chain (VIRTIO_RING_F_INDIRECT_DESC). */
  addIndirect(specs: BufferSpec[]): Posted {
    const buffers = this.buffers(specs);
    const table = this.driver.guest.alloc(16 * buffers.length);
    this.link(buffers, buffers.map((_, k) => k), table);
    const head = this.takeDesc();
    this.setDesc(head, { addr: table, len: 16 * buffers.length, flags: VRING_DESC_F_INDIRECT, next: 0 });
    this.pushAvail(head);
    return { head, buffers };
  }

  pushAvail(head: number): void {
    this.mem.writeU16(this.avail + 4 + 2 * (this.availIdx % this.size), head);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.mem.writeU16(this.avail + 2, this.availIdx);
  }

  setAvailIdx(idx: number): void {
    this.availIdx = idx & 0xffff;
    this.mem.writeU16(this.avail + 2, this.availIdx);
  }

  kick(): void {
    this.driver.setReg(REG.QUEUE_NOTIFY, this.index);
  }

  /** Used elements published since the last call; also moves used_event on (EVENT_IDX). */
  usedElems(): { id: number; len: number }[] {
    const idx = this.mem.readU16(this.used + 2);
    const out: { id: number; len: number }[] = [];
    for (; this.lastUsed !== idx; this.lastUsed = (this.lastUsed + 1) & 0xffff) {
      const at = this.used + 4 + 8 * (this.lastUsed % this.size);
      out.push({ id: this.mem.readU32(at), len: this.mem.readU32(at + 4) });
    }
    this.mem.writeU16(this.avail + 4 + 2 * this.size, this.lastUsed);
    return out;
  }
}

export class SimDriver {
  private readonly queues: DriverQueue[] = [];
  private previous: DriverQueue[] = [];
  /** Features the device offered at init(). */
  offered = 0n;

  constructor(
    readonly guest: TestGuest,
    readonly transport: BusDevice,
  ) {}

  reg(offset: number): number {
    const b = new Uint8Array(4);
    this.transport.read(offset, b);
    return new DataView(b.buffer).getUint32(0, true);
  }

  setReg(offset: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.transport.write(offset, b);
  }

  config(offset: number, len: number): Uint8Array {
    const b = new Uint8Array(len);
    this.transport.read(0x100 + offset, b);
    return b;
  }

  setConfig(offset: number, data: Uint8Array): void {
    this.transport.write(0x100 + offset, data);
  }

  /**
   * The Linux probe sequence: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK.
   * `accept` filters the offered features (default: take them all). Returns the final status.
   */
  init(opts: { accept?: (offered: bigint) => bigint; queueSizes?: number[] } = {}): number {
    this.setReg(REG.STATUS, 0);
    this.setReg(REG.STATUS, STATUS.ACKNOWLEDGE);
    this.setReg(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER);
    this.offered = 0n;
    for (const sel of [0, 1]) {
      this.setReg(REG.DEVICE_FEATURES_SEL, sel);
      this.offered |= BigInt(this.reg(REG.DEVICE_FEATURES)) << BigInt(32 * sel);
    }
    const want = opts.accept ? opts.accept(this.offered) : this.offered;
    for (const sel of [0, 1]) {
      this.setReg(REG.DRIVER_FEATURES_SEL, sel);
      this.setReg(REG.DRIVER_FEATURES, Number((want >> BigInt(32 * sel)) & 0xffffffffn));
    }
    this.setReg(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK);
    if (!(this.reg(REG.STATUS) & STATUS.FEATURES_OK)) return this.reg(REG.STATUS);
    this.previous = [...this.queues];
    this.queues.length = 0;
    for (let i = 0; ; i++) {
      this.setReg(REG.QUEUE_SEL, i);
      const max = this.reg(REG.QUEUE_NUM_MAX);
      if (max === 0) break;
      const size = Math.min(max, opts.queueSizes?.[i] ?? max);
      // A second init() (after a reset) reuses the rings instead of allocating new ones.
      const old = this.previous[i];
      const q = old && old.size === size ? old.fresh() : new DriverQueue(this, i, size);
      this.setReg(REG.QUEUE_NUM, size);
      const addr = (lo: number, v: number) => {
        this.setReg(lo, v % 2 ** 32);
        this.setReg(lo + 4, Math.floor(v / 2 ** 32));
      };
      addr(REG.QUEUE_DESC_LOW, q.desc);
      addr(REG.QUEUE_DRIVER_LOW, q.avail);
      addr(REG.QUEUE_DEVICE_LOW, q.used);
      this.setReg(REG.QUEUE_READY, 1);
      this.queues.push(q);
    }
    this.setReg(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK | STATUS.DRIVER_OK);
    return this.reg(REG.STATUS);
  }

  queue(i: number): DriverQueue {
    const q = this.queues[i];
    if (!q) throw new Error(`no queue ${i}`);
    return q;
  }
}

/** Polls `cond` until it holds (async devices: sockets, child processes); throws after `ms`. */
export async function waitFor(cond: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(5);
  }
}
