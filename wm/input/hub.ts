// All input devices as one source: opens every /dev/input/event* present now and
// any that appear later (hot-plug, by watching the directory), and turns their
// reports into key events and pointer events in screen coordinates.
import { existsSync, readdirSync, watch, type FSWatcher } from "node:fs";
import { dirname, join } from "node:path";
import { ABS, BTN, EV, openEvdev, REL, setRepeat, type EvdevDevice, type RawEvent } from "./evdev.ts";
import { Keymap, type KeyEvent } from "./keymap.ts";

export interface PointerEvent {
  x: number;
  y: number;
  /** Bit 0 left, 1 right, 2 middle. */
  buttons: number;
  /** Which button changed in this event, if any. */
  changed: number;
  wheel: number;
}

export interface InputSink {
  key(e: KeyEvent): void;
  pointer(e: PointerEvent): void;
}

const BUTTON_BITS: Record<number, number> = { [BTN.LEFT]: 1, [BTN.RIGHT]: 2, [BTN.MIDDLE]: 4 };

export class InputHub {
  readonly devices = new Map<string, EvdevDevice>();
  private keymap = new Keymap();
  private x = 0;
  private y = 0;
  private buttons = 0;
  private watcher: FSWatcher | undefined;
  private repeat: { delay: number; period: number } | undefined;

  constructor(private readonly screen: { width: number; height: number }, private readonly sink: InputSink, private readonly dir = "/dev/input", private readonly log: (m: string) => void = () => {}) {
    this.x = screen.width >> 1;
    this.y = screen.height >> 1;
  }

  start(): void {
    // devtmpfs creates the node when the kernel registers a device: watch for it. Without
    // any input device yet there is no directory: watch its parent until it appears.
    if (existsSync(this.dir)) {
      this.watcher = watch(this.dir, () => this.scan());
      this.scan(); // after the watch is in place, so a device added in between is not missed
      return;
    }
    this.watcher = watch(dirname(this.dir), () => {
      if (!existsSync(this.dir)) return;
      this.watcher?.close();
      this.start();
    });
  }

  stop(): void {
    this.watcher?.close();
    for (const d of this.devices.values()) d.close();
    this.devices.clear();
  }

  /** Keyboard autorepeat for every keyboard now and later. */
  setKeyRepeat(delayMs: number, periodMs: number): void {
    this.repeat = { delay: delayMs, period: periodMs };
    for (const d of this.devices.values()) if (d.caps.keys) setRepeat(d.fd, delayMs, periodMs);
  }

  private scan(): void {
    if (!existsSync(this.dir)) return;
    for (const name of readdirSync(this.dir)) {
      if (!/^event\d+$/.test(name)) continue;
      const path = join(this.dir, name);
      if (this.devices.has(path)) continue;
      try {
        const dev = openEvdev(path, (d, evs) => this.report(d, evs), (d) => {
          this.devices.delete(d.path);
          this.log(`input: ${d.path} gone`);
        });
        this.devices.set(path, dev);
        if (this.repeat && dev.caps.keys) setRepeat(dev.fd, this.repeat.delay, this.repeat.period);
        this.log(`input: ${path} keys=${dev.caps.keys} rel=${dev.caps.rel} abs=${dev.caps.abs ? "yes" : "no"}`);
      } catch (e) {
        this.log(`input: cannot open ${path}: ${(e as Error).message}`);
      }
    }
  }

  private report(dev: EvdevDevice, events: RawEvent[]): void {
    let moved = false;
    let changed = 0;
    let wheel = 0;
    for (const e of events) {
      if (e.type === EV.KEY) {
        const bit = BUTTON_BITS[e.code];
        if (bit !== undefined) {
          this.buttons = e.value ? this.buttons | bit : this.buttons & ~bit;
          changed |= bit;
        } else if (e.code < 0x100) this.sink.key(this.keymap.translate(e.code, e.value));
      } else if (e.type === EV.REL) {
        if (e.code === REL.X) this.x += e.value;
        else if (e.code === REL.Y) this.y += e.value;
        else if (e.code === REL.WHEEL) wheel += e.value;
        moved = true;
      } else if (e.type === EV.ABS && dev.caps.abs) {
        const r = e.code === ABS.X ? dev.caps.abs.x : e.code === ABS.Y ? dev.caps.abs.y : null;
        if (!r) continue;
        const size = e.code === ABS.X ? this.screen.width : this.screen.height;
        const v = Math.round(((e.value - r.min) * (size - 1)) / (r.max - r.min));
        if (e.code === ABS.X) this.x = v;
        else this.y = v;
        moved = true;
      }
    }
    if (!moved && !changed && !wheel) return;
    this.x = Math.max(0, Math.min(this.screen.width - 1, this.x));
    this.y = Math.max(0, Math.min(this.screen.height - 1, this.y));
    this.sink.pointer({ x: this.x, y: this.y, buttons: this.buttons, changed, wheel });
  }
}
