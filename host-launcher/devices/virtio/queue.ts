// The split virtqueue of virtio 1.x (spec 2.7), device side. Every guest-supplied index,
// length and address goes through GuestMemory's checks; a malformed ring or chain becomes a
// VirtqueueError, which the transport turns into "skip the chain" or DEVICE_NEEDS_RESET.
//
// Public API (stable):
//   new Virtqueue(maxSize)          registers (size, ready, descAddr, driverAddr, deviceAddr)
//                                   are set by the transport; activate() picks ring features
//   q.validate(mem)                 ring geometry check at DRIVER_OK / QueueReady
//   q.pop(mem): DescriptorChain | undefined      next available chain (walks NEXT and INDIRECT)
//   q.pushUsed(mem, head, len)      return a chain to the driver
//   q.needsInterrupt(mem): boolean  after a batch of pushUsed (honours EVENT_IDX / NO_INTERRUPT)
//   chainSpans(mem, bufs, offset, len): Uint8Array[]   views of a byte range of a buffer list
//   readChain(mem, bufs, offset, max), class ChainWriter   copy helpers over chainSpans
import type { GuestMemory } from "../memory.ts";

export const VRING_DESC_F_NEXT = 1;
export const VRING_DESC_F_WRITE = 2;
export const VRING_DESC_F_INDIRECT = 4;
export const VRING_AVAIL_F_NO_INTERRUPT = 1;
export const VIRTIO_RING_F_INDIRECT_DESC = 28;
export const VIRTIO_RING_F_EVENT_IDX = 29;
export const MAX_QUEUE_SIZE = 32768;

/** One guest buffer named by a descriptor: already checked to lie inside one RAM region. */
export interface GuestBuffer {
  addr: number;
  len: number;
}

export interface DescriptorChain {
  head: number;
  /** Device-readable buffers, in chain order (they all come before the writable ones). */
  readable: GuestBuffer[];
  writable: GuestBuffer[];
  readableLen: number;
  writableLen: number;
}

/**
 * fatal: the ring itself is unusable (device must be reset).
 * Otherwise one chain is bad; `head` is the chain to hand back with length 0 when it is a valid index.
 */
export class VirtqueueError extends Error {
  readonly code = "EVIRTQUEUE";
  constructor(
    message: string,
    readonly fatal: boolean,
    readonly head?: number,
  ) {
    super(message);
  }
}

export class Virtqueue {
  size: number;
  ready = false;
  descAddr = 0n;
  driverAddr = 0n;
  deviceAddr = 0n;
  /** Index of the next avail ring entry to consume, and of the next used entry to fill. */
  nextAvail = 0;
  nextUsed = 0;
  private signalledUsed = 0;
  private indirect = false;
  private eventIdx = false;

  constructor(readonly maxSize: number) {
    if (maxSize < 1 || maxSize > MAX_QUEUE_SIZE || (maxSize & (maxSize - 1)) !== 0) throw new Error(`queue size ${maxSize} is not a power of two up to ${MAX_QUEUE_SIZE}`);
    this.size = maxSize;
  }

  reset(): void {
    this.size = this.maxSize;
    this.ready = false;
    this.descAddr = this.driverAddr = this.deviceAddr = 0n;
    this.nextAvail = this.nextUsed = this.signalledUsed = 0;
    this.indirect = this.eventIdx = false;
  }

  /** Ring features come from the negotiated feature bits. */
  activate(features: bigint): void {
    this.indirect = ((features >> BigInt(VIRTIO_RING_F_INDIRECT_DESC)) & 1n) === 1n;
    this.eventIdx = ((features >> BigInt(VIRTIO_RING_F_EVENT_IDX)) & 1n) === 1n;
  }

  /** Throws a fatal VirtqueueError unless the size is legal and all three rings lie in RAM, aligned. */
  validate(mem: GuestMemory): void {
    const s = this.size;
    if (s < 1 || s > this.maxSize || (s & (s - 1)) !== 0) throw new VirtqueueError(`queue size ${s} is not a power of two up to ${this.maxSize}`, true);
    const rings: [string, bigint, number, bigint][] = [
      ["descriptor table", this.descAddr, 16 * s, 16n],
      ["driver (avail) ring", this.driverAddr, 6 + 2 * s, 2n],
      ["device (used) ring", this.deviceAddr, 6 + 8 * s, 4n],
    ];
    for (const [what, addr, len, align] of rings) {
      if (addr % align !== 0n) throw new VirtqueueError(`${what} at 0x${addr.toString(16)} is not ${align}-byte aligned`, true);
      try {
        mem.check(addr, len);
      } catch (e) {
        throw new VirtqueueError(`${what}: ${(e as Error).message}`, true);
      }
    }
  }

  private get avail(): number {
    return Number(this.driverAddr);
  }
  private get used(): number {
    return Number(this.deviceAddr);
  }

  /** The next available chain, or undefined when the driver has published nothing new. */
  pop(mem: GuestMemory): DescriptorChain | undefined {
    if (!this.ready) return undefined;
    const availIdx = this.guard(() => mem.readU16(this.avail + 2));
    const pending = (availIdx - this.nextAvail) & 0xffff;
    if (pending === 0) return undefined;
    if (pending > this.size) throw new VirtqueueError(`driver's avail index ${availIdx} is ${pending} ahead of ours (${this.nextAvail}), more than the queue size ${this.size}`, true);
    const head = this.guard(() => mem.readU16(this.avail + 4 + 2 * (this.nextAvail % this.size)));
    this.nextAvail = (this.nextAvail + 1) & 0xffff;
    // With EVENT_IDX the driver kicks when it publishes the entry we will read next.
    if (this.eventIdx) this.guard(() => mem.writeU16(this.used + 4 + 8 * this.size, this.nextAvail));
    const chain: DescriptorChain = { head, readable: [], writable: [], readableLen: 0, writableLen: 0 };
    try {
      this.walk(mem, chain);
    } catch (e) {
      if (e instanceof VirtqueueError) throw e;
      throw new VirtqueueError(`chain ${head}: ${(e as Error).message}`, false, head < this.size ? head : undefined);
    }
    return chain;
  }

  /**
   * Follows NEXT links and one level of INDIRECT. A loop shows as a chain longer than its table:
   * at most `size` direct descriptors, at most the table's length inside an indirect table (Linux
   * puts seg_max + 2 entries there, which may equal the queue size on its own).
   */
  private walk(mem: GuestMemory, chain: DescriptorChain): void {
    const bad = (why: string) => new VirtqueueError(`chain ${chain.head}: ${why}`, false, chain.head < this.size ? chain.head : undefined);
    let table = Number(this.descAddr);
    let tableLen = this.size;
    let i = chain.head;
    let inIndirect = false;
    for (let count = 1; ; count++) {
      if (i >= tableLen) throw bad(`descriptor index ${i} outside a table of ${tableLen}`);
      if (count > tableLen) throw bad(`more than ${tableLen} descriptors (a loop?)`);
      const d = table + 16 * i;
      const addr = mem.readU64(d);
      const len = mem.readU32(d + 8);
      const flags = mem.readU16(d + 12);
      const next = mem.readU16(d + 14);
      if (flags & VRING_DESC_F_INDIRECT) {
        if (!this.indirect) throw bad("indirect descriptor without VIRTIO_RING_F_INDIRECT_DESC");
        if (inIndirect) throw bad("nested indirect descriptor");
        if (flags & VRING_DESC_F_NEXT) throw bad("indirect descriptor with NEXT set");
        if (len === 0 || len % 16 !== 0 || len / 16 > MAX_QUEUE_SIZE) throw bad(`indirect table length ${len} is not a multiple of 16 up to ${16 * MAX_QUEUE_SIZE}`);
        mem.check(addr, len);
        table = Number(addr);
        tableLen = len / 16;
        i = 0;
        count = 0;
        inIndirect = true;
        continue;
      }
      mem.check(addr, len);
      const buf = { addr: Number(addr), len };
      if (flags & VRING_DESC_F_WRITE) {
        chain.writable.push(buf);
        chain.writableLen += len;
      } else {
        if (chain.writable.length) throw bad("device-readable descriptor after a device-writable one");
        chain.readable.push(buf);
        chain.readableLen += len;
      }
      if (!(flags & VRING_DESC_F_NEXT)) return;
      i = next;
    }
  }

  /** Publish a used element. `len` is the number of bytes the device wrote. */
  pushUsed(mem: GuestMemory, head: number, len: number): void {
    const slot = this.used + 4 + 8 * (this.nextUsed % this.size);
    this.guard(() => {
      mem.writeU32(slot, head);
      mem.writeU32(slot + 4, len);
      this.nextUsed = (this.nextUsed + 1) & 0xffff;
      // The element must be visible before the index; JS stores to one buffer are not reordered.
      mem.writeU16(this.used + 2, this.nextUsed);
    });
  }

  /** Whether the driver wants an interrupt for what was pushed since the last call. */
  needsInterrupt(mem: GuestMemory): boolean {
    const now = this.nextUsed;
    const old = this.signalledUsed;
    if (now === old) return false;
    this.signalledUsed = now;
    return this.guard(() => {
      if (this.eventIdx) {
        const usedEvent = mem.readU16(this.avail + 4 + 2 * this.size);
        return ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
      }
      return (mem.readU16(this.avail) & VRING_AVAIL_F_NO_INTERRUPT) === 0;
    });
  }

  /** Ring memory vanished under us (validate() passed earlier): the device needs a reset. */
  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw new VirtqueueError(`ring access: ${(e as Error).message}`, true);
    }
  }
}

/** Views of bytes [offset, offset+len) of the concatenation of `bufs`; shorter if the buffers end first. */
export function chainSpans(mem: GuestMemory, bufs: GuestBuffer[], offset: number, len: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let skip = offset;
  let want = len;
  for (const b of bufs) {
    if (want <= 0) break;
    if (skip >= b.len) {
      skip -= b.len;
      continue;
    }
    const n = Math.min(b.len - skip, want);
    out.push(mem.slice(b.addr + skip, n));
    want -= n;
    skip = 0;
  }
  return out;
}

/** A copy of up to `max` bytes of the buffers starting at `offset`. */
export function readChain(mem: GuestMemory, bufs: GuestBuffer[], offset = 0, max = Number.MAX_SAFE_INTEGER): Uint8Array {
  const spans = chainSpans(mem, bufs, offset, max);
  const out = new Uint8Array(spans.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of spans) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}

/** Sequential writes into device-writable buffers; stops (short count) when they are full. */
export class ChainWriter {
  written = 0;
  readonly capacity: number;
  constructor(
    private readonly mem: GuestMemory,
    private readonly bufs: GuestBuffer[],
  ) {
    this.capacity = bufs.reduce((n, b) => n + b.len, 0);
  }

  write(data: Uint8Array): number {
    let at = 0;
    for (const span of chainSpans(this.mem, this.bufs, this.written, data.length)) {
      span.set(data.subarray(at, at + span.length));
      at += span.length;
    }
    this.written += at;
    return at;
  }
}
