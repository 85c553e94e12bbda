// virtio-input (spec 5.8): a keyboard and an absolute pointer (tablet), fed by the host's display
// broker with Linux evdev events. The guest sees them as /dev/input/eventN.
//
// Public API (stable):
//   new VirtioInput(keyboardProfile() | tabletProfile())
//   input.inject(events)          queue evdev events (end a batch with EV_SYN/SYN_REPORT)
//   input.key(code, down)         one key press/release + SYN
//   input.pointer(x, y, buttons?) absolute move (0..ABS_MAX) + button state + SYN (tablet)
//   input.wheel(delta)            REL_WHEEL + SYN (tablet)
//   EV, SYN_REPORT, ABS_MAX, BTN, INPUT_CFG, InputEvent, InputProfile
import { ChainWriter } from "./queue.ts";
import { configRead, DEVICE_ID, type VirtioContext, type VirtioDevice } from "./device.ts";

export const EV = { SYN: 0, KEY: 1, REL: 2, ABS: 3, LED: 0x11 } as const;
export const SYN_REPORT = 0;
export const ABS_X = 0;
export const ABS_Y = 1;
export const REL_WHEEL = 8;
export const BTN = { LEFT: 0x110, RIGHT: 0x111, MIDDLE: 0x112 } as const;
export const ABS_MAX = 32767;
export const INPUT_CFG = { UNSET: 0, ID_NAME: 1, ID_SERIAL: 2, ID_DEVIDS: 3, PROP_BITS: 0x10, EV_BITS: 0x11, ABS_INFO: 0x12 } as const;
const BUS_VIRTUAL = 0x06;
const EVENT_BYTES = 8;
const QUEUE_SIZE = 64;
/** Events held while the guest has no buffers posted (a user typing into a stalled guest). */
const MAX_PENDING = 4096;

export interface InputEvent {
  type: number;
  code: number;
  value: number;
}

export interface AbsInfo {
  min: number;
  max: number;
  fuzz: number;
  flat: number;
  res: number;
}

export interface InputProfile {
  name: string;
  product: number;
  /** Event type -> the codes the device can emit. */
  evBits: Map<number, number[]>;
  absInfo: Map<number, AbsInfo>;
}

export function keyboardProfile(): InputProfile {
  // KEY_ESC (1) .. KEY_MICMUTE (248): every ordinary keyboard key; LEDs num/caps/scroll lock come
  // back on the status queue. No EV_REP: the viewer sends its own repeats, the guest must not add more.
  const evBits = new Map([
    [EV.KEY, Array.from({ length: 248 }, (_, i) => i + 1)],
    [EV.LED, [0, 1, 2]],
  ]);
  return { name: "tsos keyboard", product: 1, evBits, absInfo: new Map() };
}

export function tabletProfile(): InputProfile {
  const axis: AbsInfo = { min: 0, max: ABS_MAX, fuzz: 0, flat: 0, res: 0 };
  return {
    name: "tsos tablet",
    product: 2,
    evBits: new Map([
      [EV.KEY, [BTN.LEFT, BTN.RIGHT, BTN.MIDDLE]],
      [EV.REL, [REL_WHEEL]],
      [EV.ABS, [ABS_X, ABS_Y]],
    ]),
    absInfo: new Map([
      [ABS_X, axis],
      [ABS_Y, axis],
    ]),
  };
}

export class VirtioInput implements VirtioDevice {
  readonly deviceId = DEVICE_ID.INPUT;
  readonly name = "input";
  readonly queueSizes = [QUEUE_SIZE, QUEUE_SIZE];
  readonly features = 0n;
  /** Events dropped because the guest did not take them. */
  dropped = 0;
  /** Events written into buffers the guest posted on its event queue. */
  delivered = 0;
  /** Status events (e.g. keyboard LEDs) the guest sent. */
  readonly statusEvents: InputEvent[] = [];
  private select = 0;
  private subsel = 0;
  private ctx: VirtioContext | undefined;
  private pending: InputEvent[] = [];

  constructor(readonly profile: InputProfile) {}

  /** The union payload for the current select/subsel (its length is the config `size`). */
  private payload(): Uint8Array {
    const p = this.profile;
    switch (this.select) {
      case INPUT_CFG.ID_NAME:
        return this.subsel === 0 ? new TextEncoder().encode(p.name).subarray(0, 128) : new Uint8Array(0);
      case INPUT_CFG.ID_DEVIDS: {
        if (this.subsel !== 0) return new Uint8Array(0);
        const b = new Uint8Array(8);
        const v = new DataView(b.buffer);
        [BUS_VIRTUAL, 0x7473, p.product, 1].forEach((x, i) => v.setUint16(2 * i, x, true));
        return b;
      }
      case INPUT_CFG.EV_BITS: {
        const codes = p.evBits.get(this.subsel);
        if (!codes?.length) return new Uint8Array(0);
        const b = new Uint8Array(Math.floor(Math.max(...codes) / 8) + 1);
        for (const c of codes) b[c >> 3]! |= 1 << (c & 7);
        return b;
      }
      case INPUT_CFG.ABS_INFO: {
        const a = p.absInfo.get(this.subsel);
        if (!a) return new Uint8Array(0);
        const b = new Uint8Array(20);
        const v = new DataView(b.buffer);
        [a.min, a.max, a.fuzz, a.flat, a.res].forEach((x, i) => v.setUint32(4 * i, x >>> 0, true));
        return b;
      }
      default:
        return new Uint8Array(0);
    }
  }

  readConfig(offset: number, data: Uint8Array): void {
    const space = new Uint8Array(8 + 128);
    const payload = this.payload();
    space[0] = this.select;
    space[1] = this.subsel;
    space[2] = payload.length;
    space.set(payload, 8);
    configRead(space, offset, data);
  }

  writeConfig(offset: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      if (offset + i === 0) this.select = data[i]!;
      if (offset + i === 1) this.subsel = data[i]!;
    }
  }

  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
    this.flush();
  }

  reset(): void {
    this.ctx = undefined;
    this.pending = [];
    this.select = this.subsel = 0;
  }

  notify(qi: number): void {
    const ctx = this.ctx;
    if (!ctx) return;
    if (qi === 0) return this.flush();
    ctx.serviceQueue(1, (chain) => {
      if (chain.readableLen >= EVENT_BYTES) {
        const e = new DataView(ctx.mem.read(chain.readable[0]!.addr, Math.min(chain.readable[0]!.len, EVENT_BYTES)).buffer);
        if (e.byteLength === EVENT_BYTES) this.statusEvents.push({ type: e.getUint16(0, true), code: e.getUint16(2, true), value: e.getInt32(4, true) });
        if (this.statusEvents.length > 64) this.statusEvents.shift();
      }
      return 0;
    });
  }

  inject(events: InputEvent[]): void {
    if (this.pending.length + events.length > MAX_PENDING) {
      // Keep whole batches: a half-delivered report would confuse the guest more than a lost one.
      this.dropped += events.length;
      return;
    }
    this.pending.push(...events);
    this.flush();
  }

  key(code: number, down: boolean): void {
    this.inject([{ type: EV.KEY, code, value: down ? 1 : 0 }, { type: EV.SYN, code: SYN_REPORT, value: 0 }]);
  }

  /** Absolute position (clamped to 0..ABS_MAX) and, if given, the state of each button. */
  pointer(x: number, y: number, buttons?: { left?: boolean; right?: boolean; middle?: boolean }): void {
    const clamp = (v: number) => Math.max(0, Math.min(ABS_MAX, Math.round(v)));
    const ev: InputEvent[] = [
      { type: EV.ABS, code: ABS_X, value: clamp(x) },
      { type: EV.ABS, code: ABS_Y, value: clamp(y) },
    ];
    if (buttons) {
      ev.push({ type: EV.KEY, code: BTN.LEFT, value: buttons.left ? 1 : 0 }, { type: EV.KEY, code: BTN.RIGHT, value: buttons.right ? 1 : 0 }, { type: EV.KEY, code: BTN.MIDDLE, value: buttons.middle ? 1 : 0 });
    }
    ev.push({ type: EV.SYN, code: SYN_REPORT, value: 0 });
    this.inject(ev);
  }

  wheel(delta: number): void {
    this.inject([{ type: EV.REL, code: REL_WHEEL, value: delta }, { type: EV.SYN, code: SYN_REPORT, value: 0 }]);
  }

  private flush(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const bytes = new Uint8Array(EVENT_BYTES);
    const v = new DataView(bytes.buffer);
    ctx.serviceQueue(
      0,
      (chain) => {
        const w = new ChainWriter(ctx.mem, chain.writable);
        if (w.capacity < EVENT_BYTES) return 0;
        const e = this.pending.shift()!;
        v.setUint16(0, e.type, true);
        v.setUint16(2, e.code, true);
        v.setInt32(4, e.value, true);
        this.delivered++;
        return w.write(bytes);
      },
      () => this.pending.length > 0,
    );
  }
}
