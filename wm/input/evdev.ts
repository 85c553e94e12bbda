// evdev: struct input_event decoding, capability queries, and a reader that
// turns one /dev/input/eventN into key and pointer events.
import { closeSync, constants, openSync } from "node:fs";
import { ioctlBuf } from "../../lib/ffi/libc.ts";

export const EV = { SYN: 0, KEY: 1, REL: 2, ABS: 3, REP: 0x14 } as const;
export const BTN = { LEFT: 0x110, RIGHT: 0x111, MIDDLE: 0x112 } as const;
export const REL = { X: 0, Y: 1, WHEEL: 8 } as const;
export const ABS = { X: 0, Y: 1 } as const;
/** sizeof(struct input_event) on 64-bit: struct timeval (16) + type, code (u16) + value (s32). */
export const INPUT_EVENT_SIZE = 24;
/** Not in node:fs constants on every platform; Linux value. */
const O_CLOEXEC = 0o2000000;

export interface RawEvent {
  type: number;
  code: number;
  value: number;
}

/** Decode whole events from a chunk; a trailing partial event is returned for the next chunk. */
export function decodeEvents(chunk: Uint8Array): { events: RawEvent[]; rest: Uint8Array } {
  const n = Math.floor(chunk.length / INPUT_EVENT_SIZE);
  const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const events: RawEvent[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * INPUT_EVENT_SIZE;
    events.push({ type: dv.getUint16(o + 16, true), code: dv.getUint16(o + 18, true), value: dv.getInt32(o + 20, true) });
  }
  return { events, rest: chunk.slice(n * INPUT_EVENT_SIZE) };
}

const IOC_READ = 2;
const IOC_WRITE = 1;
const ioc = (dir: number, nr: number, size: number) => ((dir << 30) | (size << 16) | (0x45 << 8) | nr) >>> 0;
export const EVIOCGBIT = (ev: number, len: number) => ioc(IOC_READ, 0x20 + ev, len);
export const EVIOCGABS = (abs: number) => ioc(IOC_READ, 0x40 + abs, 24);
export const EVIOCSREP = ioc(IOC_WRITE, 0x03, 8);

export interface AbsRange {
  min: number;
  max: number;
}

export interface Capabilities {
  keys: boolean;
  rel: boolean;
  abs: { x: AbsRange; y: AbsRange } | null;
}

function bitSet(bits: Uint8Array, n: number): boolean {
  return ((bits[n >> 3] ?? 0) & (1 << (n & 7))) !== 0;
}

export function capabilities(fd: number): Capabilities {
  const types = new Uint8Array(4);
  if (ioctlBuf(fd, EVIOCGBIT(0, types.length), types) < 0) return { keys: false, rel: false, abs: null };
  let abs: Capabilities["abs"] = null;
  if (bitSet(types, EV.ABS)) {
    const range = (axis: number): AbsRange => {
      const info = new Int32Array(6); // value, minimum, maximum, fuzz, flat, resolution
      ioctlBuf(fd, EVIOCGABS(axis), info);
      return { min: info[1]!, max: info[2]! > info[1]! ? info[2]! : info[1]! + 1 };
    };
    abs = { x: range(ABS.X), y: range(ABS.Y) };
  }
  return { keys: bitSet(types, EV.KEY), rel: bitSet(types, EV.REL), abs };
}

/** Set the kernel's autorepeat for a keyboard: delay before the first repeat and the period between repeats (ms). */
export function setRepeat(fd: number, delayMs: number, periodMs: number): boolean {
  return ioctlBuf(fd, EVIOCSREP, new Uint32Array([delayMs, periodMs])) >= 0;
}

export interface EvdevDevice {
  path: string;
  fd: number;
  caps: Capabilities;
  close(): void;
}

/** Open an event device and stream its events (grouped up to SYN_REPORT) to `onReport`. */
export function openEvdev(path: string, onReport: (dev: EvdevDevice, events: RawEvent[]) => void, onGone: (dev: EvdevDevice) => void): EvdevDevice {
  // Non-blocking: Bun then waits for input with epoll instead of parking a thread in read(2),
  // and closing the device never waits on a read in flight.
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK | O_CLOEXEC);
  const caps = capabilities(fd);
  const reader = Bun.file(fd).stream().getReader();
  let closed = false;
  const dev: EvdevDevice = {
    path,
    fd,
    caps,
    close: () => {
      if (closed) return;
      closed = true;
      void reader.cancel().catch(() => {});
      closeSync(fd);
    },
  };
  void (async () => {
    let rest: Uint8Array = new Uint8Array(0);
    let batch: RawEvent[] = [];
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || closed) break;
        const d = decodeEvents(rest.length ? Buffer.concat([rest, value]) : value);
        rest = d.rest;
        for (const e of d.events) {
          if (e.type === EV.SYN) {
            if (batch.length) onReport(dev, batch);
            batch = [];
          } else batch.push(e);
        }
      }
    } catch {
      // ENODEV: the device was unplugged.
    }
    dev.close();
    onGone(dev);
  })();
  return dev;
}
