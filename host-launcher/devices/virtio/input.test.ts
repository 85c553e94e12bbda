// virtio-input: the config space Linux's virtinput_probe reads, and host-injected events arriving
// in the guest's event queue.
import { describe, expect, test } from "bun:test";
import { inputDriver } from "../testing/input-driver.ts";
import { ABS_MAX, ABS_X, BTN, EV, INPUT_CFG, keyboardProfile, tabletProfile, VirtioInput, type InputProfile } from "./input.ts";

const device = (profile: InputProfile) => inputDriver(new VirtioInput(profile));

const hasBit = (bitmap: Uint8Array, n: number) => ((bitmap[n >> 3] ?? 0) >> (n & 7)) & 1;

describe("virtio-input", () => {
  test("keyboard config: name, ids, key bits, no axes", () => {
    const k = device(keyboardProfile());
    expect(new TextDecoder().decode(k.select(INPUT_CFG.ID_NAME, 0))).toBe("tsos keyboard");
    expect(k.select(INPUT_CFG.ID_DEVIDS, 0).length).toBe(8);
    const keys = k.select(INPUT_CFG.EV_BITS, EV.KEY);
    expect(hasBit(keys, 30)).toBe(1); // KEY_A
    expect(hasBit(keys, 0)).toBe(0); // KEY_RESERVED
    expect(k.select(INPUT_CFG.EV_BITS, EV.ABS).length).toBe(0);
    expect(hasBit(k.select(INPUT_CFG.EV_BITS, EV.LED), 1)).toBe(1); // LED_CAPSL
    expect(k.select(INPUT_CFG.EV_BITS, 0x14).length).toBe(0); // no EV_REP: no doubled repeats
    expect(k.select(0x55, 0).length).toBe(0);
  });

  test("tablet config: absolute X/Y over 0..32767 and mouse buttons", () => {
    const t = device(tabletProfile());
    const abs = t.select(INPUT_CFG.EV_BITS, EV.ABS);
    expect(hasBit(abs, 0) && hasBit(abs, 1)).toBe(1);
    expect(hasBit(t.select(INPUT_CFG.EV_BITS, EV.KEY), BTN.LEFT)).toBe(1);
    const info = new DataView(t.select(INPUT_CFG.ABS_INFO, ABS_X).buffer);
    expect([info.getUint32(0, true), info.getUint32(4, true)]).toEqual([0, ABS_MAX]);
  });

  test("injected keys arrive in the event queue as evdev events with SYN", () => {
    const k = device(keyboardProfile());
    k.input.key(30, true); // before any buffer: held
    k.post(8);
    k.input.key(30, false);
    expect(k.events()).toEqual([
      { type: EV.KEY, code: 30, value: 1 },
      { type: EV.SYN, code: 0, value: 0 },
      { type: EV.KEY, code: 30, value: 0 },
      { type: EV.SYN, code: 0, value: 0 },
    ]);
    expect(k.irq.asserts).toBeGreaterThan(0);
  });

  test("tablet moves are clamped to the axis range", () => {
    const t = device(tabletProfile());
    t.post(8);
    t.input.pointer(40000, -5, { left: true });
    expect(t.events()).toEqual([
      { type: EV.ABS, code: 0, value: ABS_MAX },
      { type: EV.ABS, code: 1, value: 0 },
      { type: EV.KEY, code: BTN.LEFT, value: 1 },
      { type: EV.KEY, code: BTN.RIGHT, value: 0 },
      { type: EV.KEY, code: BTN.MIDDLE, value: 0 },
      { type: EV.SYN, code: 0, value: 0 },
    ]);
  });

  test("LED status from the guest is consumed and recorded", () => {
    const k = device(keyboardProfile());
    const led = new Uint8Array(8);
    new DataView(led.buffer).setUint16(0, 0x11, true); // EV_LED
    new DataView(led.buffer).setInt32(4, 1, true);
    k.d.queue(1).add([{ data: led }]);
    k.d.queue(1).kick();
    expect(k.d.queue(1).usedElems().length).toBe(1);
    expect(k.input.statusEvents).toEqual([{ type: 0x11, code: 0, value: 1 }]);
  });
});
