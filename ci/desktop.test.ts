// Integration: the desktop (wm) in the real guest under QEMU — virtio-gpu's
// framebuffer, virtio keyboard and tablet — seen through QEMU's VNC server with
// the real gvnccapture client. Boots once (about 20-60 s under TCG).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { movePointer, pressKeys, typeText } from "../host-launcher/backends/qemu/keys.ts";
import type { Qmp } from "../host-launcher/backends/qemu/qmp.ts";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";
import { LAUNCHER_ENTRIES } from "../wm/apps/registry.ts";
import { Launcher } from "../wm/launcher/launcher.ts";
import { THEMES } from "../wm/theme.ts";
import { PANEL_H } from "../wm/windows/manager.ts";
import { helpRect } from "../wm/windows/help.ts";
import { cascade, tile } from "../wm/windows/layout.ts";
import { BORDER, TITLE_H } from "../wm/windows/window.ts";
import { findTextRow, textAt } from "./lib/glyphs.ts";
import { captureUntil, freeVncDisplay, hasGvnccapture, vncPassword, type Image } from "./lib/vnc.ts";

const root = resolve(import.meta.dir, "..");
const outDir = join(root, "build/test");
const W = 1024;
const H = 768;
const t = THEMES.dark;
const skip = !hasGvnccapture();
if (skip) console.log("desktop tests SKIPPED: gvnccapture missing (install Debian's gvncviewer, or run ci/deps.sh)");

let vm: QemuVm;
let qmp: Qmp;
let display = 0;
const password = vncPassword();
let release = "";

/** Screenshots into build/test/NAME until `ok` holds; the last one is what the test checks. */
const shotUntil = (name: string, ok: (img: Image) => boolean, timeoutMs = 60_000) => captureUntil(display, password, join(outDir, name), ok, timeoutMs);
const area = { x: 0, y: PANEL_H, w: W, h: H - PANEL_H };

beforeAll(async () => {
  if (skip) return;
  mkdirSync(outDir, { recursive: true });
  display = await freeVncDisplay();
  vm = new QemuVm({ ...imageGuest(join(root, "build/image")), withQmp: true, logFile: join(root, "build/logs/desktop.log"), display: { width: W, height: H, vnc: { display, password: true } } });
  qmp = await vm.qmp();
  await qmp.execute("change-vnc-password", { password });
  release = /kernel=(\S+)/.exec(await vm.waitFor(/tsos: hello from init/, 120_000))![1]!;
  // init reports boot complete once every service is ready; wm is ready after its first frame.
  await vm.waitFor(/init: boot complete/, 180_000);
}, 240_000);

afterAll(async () => {
  qmp?.close();
  await vm?.dispose();
});

test.skipIf(skip)("a VNC client sees the desktop: background, panel and its text in the desktop's font", async () => {
  const img = await shotUntil("desktop.png", (i) => textAt(i, 8, 2, "tsos", t.accent));
  expect([img.width, img.height]).toEqual([W, H]);
  expect(img.rgb(W >> 2, (3 * H) >> 2)).toBe(t.desktop); // away from the pointer, which starts mid-screen
  expect(img.rgb(W - 100, PANEL_H >> 1)).toBe(t.panel);
  expect(textAt(img, 8, 2, "tsos", t.accent)).toBe(true);
  expect(textAt(img, 56, 2, "Super: launcher", t.panelText)).toBe(true);
  console.log(`desktop screenshot: ${join(outDir, "desktop.png")}`);
}, 90_000);

test.skipIf(skip)("Super opens the launcher, 'term' + Enter opens a terminal, uname -r prints the kernel release", async () => {
  await pressKeys(qmp, ["meta_l"]);
  await typeText(qmp, "term");
  const lr = new Launcher(LAUNCHER_ENTRIES).rect({ width: W, height: H });
  const launcher = await shotUntil("launcher.png", (i) => textAt(i, lr.x + 10, lr.y + 8, "Open: term_", t.text));
  expect(launcher.rgb(lr.x, lr.y + 5)).toBe(t.accent); // its frame
  expect(textAt(launcher, lr.x + 10, lr.y + 8, "Open: term_", t.text)).toBe(true);
  // The one match is selected and drawn in the accent colour.
  expect(textAt(launcher, lr.x + 10, lr.y + 6 + 24 + 2, "Terminal", t.accent)).toBe(true);

  await pressKeys(qmp, ["ret"]);
  // The first window opens at a known place: its client area starts below its title bar.
  const first = cascade(area, 0);
  const cx = first.x + BORDER;
  const cy = first.y + TITLE_H;
  const prompt = await shotUntil("terminal-prompt.png", (i) => findTextRow(i, cx, cy, cy + 480, "root@", t.text) >= 0);
  expect(findTextRow(prompt, cx, cy, cy + 480, "root@", t.text)).toBeGreaterThanOrEqual(0);
  expect(prompt.rgb(cx + 200, cy - TITLE_H + 4)).toBe(t.titleActive);

  await typeText(qmp, "uname -r\n");
  const img = await shotUntil("terminal.png", (i) => findTextRow(i, cx, cy, cy + 480, release, t.text) >= 0);
  const row = findTextRow(img, cx, cy, cy + 480, release, t.text);
  expect(row).toBeGreaterThan(cy); // below the prompt line it was typed on
  expect(textAt(img, cx, row - 16, "root@", t.text)).toBe(true);
  console.log(`terminal screenshot: ${join(outDir, "terminal.png")} (release ${release} at y=${row})`);
}, 180_000);

test.skipIf(skip)("`open tsos://monitor` in tsh opens the monitor; the tablet drags it by its title bar", async () => {
  await typeText(qmp, "open tsos://monitor\n");
  const f = cascade(area, 1);
  const opened = await shotUntil("monitor.png", (i) => textAt(i, f.x + 6, f.y + 2, "System monitor", t.titleText) && textAt(i, f.x + 5, f.y + TITLE_H, "CPU", t.accent));
  expect(textAt(opened, f.x + 6, f.y + 2, "System monitor", t.titleText)).toBe(true);
  expect(textAt(opened, f.x + 5, f.y + TITLE_H, "CPU", t.accent)).toBe(true);

  await movePointer(qmp, f.x + 200, f.y + 5, W, H);
  await qmp.execute("input-send-event", { events: [{ type: "btn", data: { down: true, button: "left" } }] });
  await Bun.sleep(100);
  await movePointer(qmp, f.x + 500, f.y + 305, W, H);
  await Bun.sleep(100);
  await qmp.execute("input-send-event", { events: [{ type: "btn", data: { down: false, button: "left" } }] });
  const to = { x: f.x + 300, y: f.y + 300 };
  const moved = await shotUntil("monitor-moved.png", (i) => textAt(i, to.x + 6, to.y + 2, "System monitor", t.titleText));
  expect(textAt(moved, to.x + 6, to.y + 2, "System monitor", t.titleText)).toBe(true);
  expect(textAt(moved, f.x + 6, f.y + 2, "System monitor", t.titleText)).toBe(false);
}, 120_000);

test.skipIf(skip)("Super+T tiles the windows (master and stack), Super+/ shows the shortcuts, Escape hides them", async () => {
  await pressKeys(qmp, ["meta_l", "t"]);
  const [master, stack] = tile(area, 2, 0.55);
  const tiled = await shotUntil("tiled.png", (i) => textAt(i, 56 + 34 * 8, 2, "tiling", t.panelText) && textAt(i, stack!.x + 6, stack!.y + 2, "System monitor", t.titleText));
  expect(textAt(tiled, 56 + 34 * 8, 2, "tiling", t.panelText)).toBe(true);
  expect(textAt(tiled, master!.x + 6, master!.y + 2, "Terminal", t.titleText)).toBe(true);
  expect(textAt(tiled, stack!.x + 6, stack!.y + 2, "System monitor", t.titleText)).toBe(true);

  await pressKeys(qmp, ["meta_l", "slash"]);
  const hr = helpRect({ width: W, height: H });
  const help = await shotUntil("help.png", (i) => textAt(i, hr.x + 12, hr.y + 10, "Keyboard shortcuts", t.accent));
  expect(textAt(help, hr.x + 12, hr.y + 10, "Keyboard shortcuts", t.accent)).toBe(true);
  expect(textAt(help, hr.x + 12, hr.y + 10 + 2 * 18, "Super ", t.text)).toBe(true);
  await pressKeys(qmp, ["esc"]);
  const gone = await shotUntil("help-closed.png", (i) => !textAt(i, hr.x + 12, hr.y + 10, "Keyboard shortcuts", t.accent));
  expect(textAt(gone, hr.x + 12, hr.y + 10, "Keyboard shortcuts", t.accent)).toBe(false);
}, 120_000);
