import { expect, test } from "bun:test";
import type { App, AppHost } from "../apps/app.ts";
import { Compositor } from "../compositor/compositor.ts";
import { terminus } from "../font/terminus.ts";
import type { Rect } from "../gfx/rect.ts";
import { Surface } from "../gfx/surface.ts";
import { Keymap } from "../input/keymap.ts";
import { THEMES } from "../theme.ts";
import { WindowManager } from "./manager.ts";
import { TITLE_H } from "./window.ts";

class Recorder {
  width = 640;
  height = 480;
  presented: Rect[][] = [];
  present(_b: Surface, rects: Rect[]): void {
    this.presented.push(rects);
  }
}

class Fill implements App {
  title = "fill";
  host!: AppHost;
  keys: string[] = [];
  clicks: { x: number; y: number }[] = [];
  stopped = false;
  start(h: AppHost): void {
    this.host = h;
    this.resized();
  }
  resized(): void {
    this.host.surface.fill(this.host.surface.bounds(), 0x123456);
    this.host.damage();
  }
  key(e: { char: string | null; down: boolean }): void {
    if (e.down && e.char) this.keys.push(e.char);
  }
  pointer(e: { x: number; y: number; changed: number }): void {
    if (e.changed) this.clicks.push({ x: e.x, y: e.y });
  }
  stop(): void {
    this.stopped = true;
  }
}

/** Is `text` drawn at (x, y) in the panel's text colour on the screen's back buffer? */
function textShown(wm: WindowManager, x: number, y: number, text: string): boolean {
  const probe = new Surface(text.length * 8, 16);
  probe.fill(probe.bounds(), THEMES.dark.panel);
  probe.text(terminus(), text, 0, 0, THEMES.dark.panelText);
  for (let py = 0; py < 16; py++) for (let px = 0; px < probe.width; px++) if (wm.screen.px[(y + py) * wm.screen.width + x + px] !== probe.px[py * probe.width + px]) return false;
  return true;
}

function setup() {
  const d = new Recorder();
  let wm!: WindowManager;
  const c = new Compositor(d, (s) => wm.paint(s));
  const apps: Fill[] = [];
  wm = new WindowManager(c, terminus(), [{ url: "tsos://fill", name: "Fill", description: "test" }, { url: "tsos://other", name: "Other", description: "x" }], (url) => {
    if (!url.startsWith("tsos://fill") && !url.startsWith("tsos://other")) return null;
    const a = new Fill();
    apps.push(a);
    return { app: a, url };
  });
  const km = new Keymap();
  const press = (code: number) => {
    wm.key(km.translate(code, 1));
    wm.key(km.translate(code, 0));
  };
  const click = (x: number, y: number) => {
    wm.pointer({ x, y, buttons: 1, changed: 1, wheel: 0 });
    wm.pointer({ x, y, buttons: 0, changed: 1, wheel: 0 });
  };
  return { d, c, wm, apps, km, press, click };
}

test("only damaged rectangles are painted and presented; no damage, no frame", () => {
  const { d, c, wm } = setup();
  wm.start();
  c.frame();
  expect(d.presented).toEqual([[{ x: 0, y: 0, w: 640, h: 480 }]]);
  expect(c.back.px[200 * 640 + 300]).toBe(THEMES.dark.desktop);
  c.frame();
  expect(d.presented.length).toBe(1); // nothing changed: no work
  wm.pointer({ x: 100, y: 100, buttons: 0, changed: 0, wheel: 0 });
  c.frame();
  const rects = d.presented[1]!;
  expect(rects.reduce((n, r) => n + r.w * r.h, 0)).toBeLessThan(2000); // the old and new pointer cells only
  wm.stop();
});

test("windows open by URL, focus follows click, the title bar drags, the close box closes", () => {
  const { c, wm, apps, click } = setup();
  const a = wm.open("tsos://fill")!;
  const b = wm.open("tsos://other")!;
  expect(wm.open("tsos://nope")).toBeNull();
  expect(wm.focused()).toBe(b);
  c.frame();
  const f = a.frame;
  expect(c.back.px[(f.y + TITLE_H + 5) * 640 + f.x + 5]).toBe(0x123456);
  // Click a's visible part (its top-left, not under b): a is raised and gets the click in client coordinates.
  click(f.x + 10, f.y + TITLE_H + 4);
  expect(wm.focused()).toBe(a);
  expect(apps[0]!.clicks.at(-1)).toEqual({ x: 9, y: 4 });
  // Drag the title bar by (+50, +30).
  wm.pointer({ x: f.x + 40, y: f.y + 5, buttons: 1, changed: 1, wheel: 0 });
  wm.pointer({ x: f.x + 90, y: f.y + 35, buttons: 1, changed: 0, wheel: 0 });
  wm.pointer({ x: f.x + 90, y: f.y + 35, buttons: 0, changed: 1, wheel: 0 });
  expect({ x: a.frame.x, y: a.frame.y }).toEqual({ x: f.x + 50, y: f.y + 30 });
  // Drag the bottom-right grip by (+60, +40): the window grows and its app redraws at the new size.
  const g = a.resizeGrip();
  const before = { ...a.frame };
  wm.pointer({ x: g.x + 5, y: g.y + 5, buttons: 1, changed: 1, wheel: 0 });
  wm.pointer({ x: g.x + 65, y: g.y + 45, buttons: 1, changed: 0, wheel: 0 });
  wm.pointer({ x: g.x + 65, y: g.y + 45, buttons: 0, changed: 1, wheel: 0 });
  expect({ w: a.frame.w, h: a.frame.h }).toEqual({ w: before.w + 60, h: before.h + 40 });
  expect(a.surface.width).toBe(a.client().w);
  expect(a.surface.px[a.surface.px.length - 1]).toBe(0x123456);
  const cb = a.closeBox();
  click(cb.x + 5, cb.y + 5);
  expect(wm.stack).toEqual([b]);
  expect(apps[0]!.stopped).toBe(true);
});

test("Super alone opens the launcher; typing filters, Enter opens; keys then reach the focused app", () => {
  const { wm, apps, press } = setup();
  press(125); // Super
  expect(wm.launcherOpen).toBe(true);
  for (const code of [24, 20, 35]) press(code); // "oth" matches only Other
  press(28); // Enter
  expect(wm.launcherOpen).toBe(false);
  expect(wm.stack.map((w) => w.url)).toEqual(["tsos://other"]);
  press(30); // "a" goes to the app
  expect(apps[0]!.keys).toEqual(["a"]);
});

test("tiling lays out master and stack; fullscreen covers the screen; shortcuts drive it", () => {
  const { wm, km } = setup();
  const combo = (code: number) => {
    wm.key(km.translate(125, 1));
    wm.key(km.translate(code, 1));
    wm.key(km.translate(code, 0));
    wm.key(km.translate(125, 0));
  };
  const a = wm.open("tsos://fill")!;
  const b = wm.open("tsos://fill")!;
  const c = wm.open("tsos://fill")!;
  wm.compositor.frame();
  combo(20); // Super+T
  expect(wm.mode).toBe("tiling");
  wm.compositor.frame();
  expect(textShown(wm, 56 + "Super: launcher   Super+/: help   ".length * 8, 2, "tiling")).toBe(true);
  expect(wm.launcherOpen).toBe(false); // Super was not alone
  expect(a.frame).toEqual({ x: 0, y: 20, w: 352, h: 460 });
  expect(b.frame).toEqual({ x: 352, y: 20, w: 288, h: 230 });
  expect(c.frame).toEqual({ x: 352, y: 250, w: 288, h: 230 });
  combo(50); // Super+M: c becomes master
  expect(c.frame.x).toBe(0);
  combo(33); // Super+F
  expect(c.fullscreen).toBe(true);
  expect(c.frame).toEqual({ x: 0, y: 0, w: 640, h: 480 });
  expect(c.surface.width).toBe(640);
  combo(53); // Super+/ help
  expect(wm.helpOpen).toBe(true);
  combo(16); // Super+Q closes c
  expect(wm.stack.length).toBe(2);
});
