import { expect, test } from "bun:test";
import { until } from "../../../lib/testing/until.ts";
import { terminus } from "../../font/terminus.ts";
import { glyphIndex, glyphPixel } from "../../font/psf.ts";
import { Surface } from "../../gfx/surface.ts";
import { Keymap } from "../../input/keymap.ts";
import { THEMES } from "../../theme.ts";
import type { AppHost } from "../app.ts";
import { PALETTE } from "./palette.ts";
import { TerminalApp } from "./terminal.ts";

function host(surface: Surface) {
  let clip = "";
  let closed = false;
  const h: AppHost = {
    surface,
    damage: () => {},
    setTitle: () => {},
    close: () => void (closed = true),
    theme: () => THEMES.dark,
    clipboard: { get: () => clip, set: (t) => void (clip = t) },
    open: () => {},
  };
  return { h, clipboard: () => clip, closed: () => closed };
}

/** Does cell (col, row) of the surface show glyph `ch` in colour `fg`? */
function cellShows(s: Surface, col: number, row: number, ch: string, fg: number): boolean {
  const f = terminus();
  const g = glyphIndex(f, ch.codePointAt(0)!);
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++) {
      const px = s.px[(row * f.height + y) * s.width + col * f.width + x]!;
      if (glyphPixel(f, g, x, y) !== (px === fg)) return false;
    }
  return true;
}

test("a program on the PTY draws coloured glyphs; keys reach it; selection copies; exit closes the window", async () => {
  const s = new Surface(80 * 8, 10 * 16);
  const { h, clipboard, closed } = host(s);
  const app = new TerminalApp({ command: ["/bin/sh", "-c", "printf 'ok \\033[31mred\\033[0m \\033[4mu\\033[0m\\n'; read line; echo \"got:$line\"; sleep 0.2"] });
  app.start(h);
  await until(() => app.screenText().includes("red"));
  await until(() => cellShows(s, 3, 0, "r", PALETTE[1]!));
  expect(cellShows(s, 0, 0, "o", THEMES.dark.text)).toBe(true);
  // Underlined "u" at column 7: a line of foreground pixels two rows above the cell's bottom.
  const uRow = 16 - 2;
  expect([...Array(8).keys()].every((x) => s.px[uRow * s.width + 7 * 8 + x] === THEMES.dark.text)).toBe(true);
  expect([...Array(8).keys()].every((x) => s.px[uRow * s.width + 0 * 8 + x] === THEMES.dark.text)).toBe(false);
  const km = new Keymap();
  for (const code of [35, 18, 38, 38, 24, 28]) app.key(km.translate(code, 1)); // h e l l o Enter
  await until(() => app.screenText().includes("got:hello"));
  // Drag across "red" on row 0 and copy with Ctrl+Shift+C.
  app.pointer({ x: 3 * 8 + 1, y: 2, buttons: 1, changed: 1, wheel: 0 });
  app.pointer({ x: 5 * 8 + 1, y: 2, buttons: 1, changed: 0, wheel: 0 });
  app.pointer({ x: 5 * 8 + 1, y: 2, buttons: 0, changed: 1, wheel: 0 });
  app.key({ ...km.translate(46, 1), mods: { shift: true, ctrl: true, alt: false, super: false }, key: "c" });
  expect(clipboard()).toBe("red");
  await until(closed);
  app.stop();
});

test("resizing the window resizes the emulator and the PTY (the program sees the new size)", async () => {
  const box = { surface: new Surface(40 * 8, 5 * 16) };
  const { h } = host(box.surface);
  const live: AppHost = { ...h, get surface() { return box.surface; } };
  const app = new TerminalApp({ command: ["/bin/sh", "-c", "stty size; read x; stty size; sleep 5"] });
  app.start(live);
  await until(() => app.screenText().includes("5 40"));
  box.surface = new Surface(60 * 8, 12 * 16);
  app.resized();
  app.key(new Keymap().translate(28, 1)); // Enter
  await until(() => app.screenText().includes("12 60"));
  expect(app.screenText().split("\n").length).toBe(12);
  app.stop();
});

test("xterm's changed-row announcements are available (the pinned version), so a keystroke checks a row or two, not all", async () => {
  const s = new Surface(40 * 8, 10 * 16);
  const { h } = host(s);
  const app = new TerminalApp({ command: ["/bin/sh", "-c", "printf 'one\\ntwo\\nthree\\n'; read x; echo \"[$x]\"; sleep 5"] });
  app.start(h);
  await until(() => app.screenText().includes("three"));
  const dirty = (app as unknown as { dirty: { tracked: boolean } }).dirty;
  expect(dirty.tracked).toBe(true);
  const km = new Keymap();
  app.key(km.translate(45, 1)); // x
  app.key(km.translate(28, 1)); // Enter
  await until(() => cellShows(s, 1, 4, "x", THEMES.dark.text));
  // Everything on screen still matches the emulator's buffer after the partial repaints.
  const lines = app.screenText().split("\n");
  lines.forEach((line, row) => [...line].forEach((ch, col) => expect(cellShows(s, col, row, ch, THEMES.dark.text) || ch === " ").toBe(true)));
  expect(lines.slice(0, 5)).toEqual(["one", "two", "three", "x", "[x]"]);
  app.stop();
});
