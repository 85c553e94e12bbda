import { expect, test } from "bun:test";
import { until } from "../../lib/testing/until.ts";
import { closeSync, mkdirSync, mkdtempSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeEvents, EV, INPUT_EVENT_SIZE, REL } from "./evdev.ts";
import { InputHub, type PointerEvent } from "./hub.ts";
import { Keymap, type KeyEvent } from "./keymap.ts";

function ev(type: number, code: number, value: number): Uint8Array {
  const b = new Uint8Array(INPUT_EVENT_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint16(16, type, true);
  dv.setUint16(18, code, true);
  dv.setInt32(20, value, true);
  return b;
}
const syn = () => ev(EV.SYN, 0, 0);

test("input_event decoding keeps a partial event for the next read", () => {
  const two = new Uint8Array([...ev(EV.KEY, 30, 1), ...syn()]);
  const { events, rest } = decodeEvents(two.subarray(0, 40));
  expect(events).toEqual([{ type: EV.KEY, code: 30, value: 1 }]);
  expect(rest.length).toBe(16);
});

test("the US keymap composes Shift and Caps Lock", () => {
  const k = new Keymap();
  expect(k.translate(30, 1).char).toBe("a");
  k.translate(42, 1); // Shift down
  expect(k.translate(3, 1).char).toBe("@");
  expect(k.translate(30, 1).char).toBe("A");
  k.translate(42, 0);
  k.translate(58, 1); // Caps Lock on
  expect(k.translate(30, 1).char).toBe("A");
  expect(k.translate(2, 1).char).toBe("1"); // Caps does not shift digits
  expect(k.translate(125, 1)).toMatchObject({ key: "Super", char: null, mods: { super: true } });
  expect(k.translate(28, 2)).toMatchObject({ key: "Enter", repeat: true });
});

test("devices present at start and devices that appear later both deliver events", async () => {
  const parent = mkdtempSync(join(tmpdir(), "tsos-input-"));
  const dir = join(parent, "input");
  // FIFOs stand in for event devices: the hub's reading, grouping and hot-plug are what is tested.
  const keys: KeyEvent[] = [];
  const moves: PointerEvent[] = [];
  const hub = new InputHub({ width: 100, height: 50 }, { key: (k) => keys.push(k), pointer: (p) => moves.push(p) }, dir);
  hub.start(); // before the directory exists, as on a guest whose first input device comes later
  mkdirSync(dir);
  Bun.spawnSync(["mkfifo", join(dir, "event0")]);
  await until(() => hub.devices.size === 1);
  const w0 = openSync(join(dir, "event0"), "w");
  writeSync(w0, new Uint8Array([...ev(EV.KEY, 35, 1), ...syn(), ...ev(EV.KEY, 35, 0), ...syn()]));
  await until(() => keys.length === 2);
  expect(keys.map((k) => [k.char, k.down])).toEqual([["h", true], ["h", false]]);

  Bun.spawnSync(["mkfifo", join(dir, "event1")]);
  await until(() => hub.devices.size === 2);
  const w1 = openSync(join(dir, "event1"), "w");
  // A relative mouse: moves accumulate per report and are clamped to the screen.
  writeSync(w1, new Uint8Array([...ev(EV.REL, REL.X, 10), ...ev(EV.REL, REL.Y, -5), ...syn(), ...ev(EV.KEY, 0x110, 1), ...syn(), ...ev(EV.REL, REL.X, 500), ...syn()]));
  await until(() => moves.length === 3);
  expect(moves.map((m) => [m.x, m.y, m.buttons, m.changed])).toEqual([[60, 20, 0, 0], [60, 20, 1, 1], [99, 20, 1, 0]]);
  closeSync(w0);
  closeSync(w1);
  hub.stop();
});
