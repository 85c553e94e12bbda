// Integration: `tsos run --display` as a user (and `make run`) runs it, booting the
// real image under QEMU once (20-60 s under TCG):
//  - the desktop is on QEMU's VNC server on loopback, its per-run password in the
//    VM's directory (0600), seen by the real gvnccapture client; a wrong password gets nothing;
//  - the printed web viewer URL shows the same desktop in real headless Chromium
//    (noVNC, bridged to QEMU's VNC with the password, which the page never sees);
//    Super typed in the browser opens the wm's launcher; no token, no page (403);
//  - SIGTERM ends tsos, QEMU and the viewer: no process is left behind;
//  - with --no-web only the VNC line is printed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import type { Browser } from "playwright-core";
import { chromiumMissing, launchChromium } from "../host-launcher/display/web/test-browser.ts";
import { LAUNCHER_ENTRIES } from "../wm/apps/registry.ts";
import { Launcher } from "../wm/launcher/launcher.ts";
import { THEMES } from "../wm/theme.ts";
import { textAt } from "./lib/glyphs.ts";
import { captureUntil, decodePng, hasGvnccapture, shotsUntil, vncCapture, type Image } from "./lib/vnc.ts";

/** The part of HTMLCanvasElement the test reads (this project's types have no DOM). */
interface Canvas {
  toDataURL(type: "image/png"): string;
}

const root = resolve(import.meta.dir, "..");
const tsos = join(root, "host-launcher/bin/tsos");
const outDir = join(root, "build/test");
const state = mkdtempSync(join(tmpdir(), "tsos-state-"));
const env = { ...process.env, XDG_STATE_HOME: state };
const W = 800;
const H = 600;
const t = THEMES.dark;
const noVnc = !hasGvnccapture();
const noBrowser = chromiumMissing("tsos run --display web viewer test");
if (noVnc) console.log("tsos run --display VNC test SKIPPED: gvnccapture missing (Debian package gvncviewer)");
const skipAll = noVnc && noBrowser;
let run: Awaited<ReturnType<typeof startRun>>;
let display = 0;
let webUrl = "";

/** The desktop is up once the panel shows its name in the accent colour. */
const desktopUp = (i: Image) => i.width === W && textAt(i, 8, 2, "tsos", t.accent);

/** PIDs of processes whose command line mentions this test's state directory (QEMU's disks and sockets live there). */
function processesUsingState(): number[] {
  const pids: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, "latin1").includes(state)) pids.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** `tsos run --headless --display ARGS...`, once it has printed how to reach the VM (or exited). */
async function startRun(args: string[]): Promise<{ proc: Subprocess<"ignore", "pipe", "pipe">; stderr: () => string }> {
  const proc = Bun.spawn([tsos, "run", "--headless", "--display", ...args], { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  let err = "";
  void (async () => {
    for await (const c of proc.stderr) err += Buffer.from(c).toString();
  })();
  const deadline = Date.now() + 60_000;
  while (!/tsos: ssh: /.test(err) && proc.exitCode === null && Date.now() < deadline) await Bun.sleep(100);
  return { proc, stderr: () => err };
}

beforeAll(async () => {
  if (skipAll) return;
  mkdirSync(outDir, { recursive: true });
  run = await startRun(["--resolution", `${W}x${H}`, "--name", "disptest"]);
  const stderr = run.stderr();
  display = Number(/desktop: VNC on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1] ?? 0) - 5900;
  webUrl = /desktop: open (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{16,}\/) in a browser/.exec(stderr)?.[1] ?? "";
  if (display <= 0 || !webUrl) throw new Error(`no desktop lines from tsos run:\n${stderr}`);
}, 90_000);

afterAll(async () => {
  run?.proc.kill();
  await run?.proc.exited;
  rmSync(state, { recursive: true, force: true });
});

test.skipIf(noVnc)("the desktop is on loopback VNC behind the VM's 0600 password; a wrong password gets nothing", async () => {
  const file = join(state, "tsos/vms/disptest/vnc-password");
  expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
  const password = readFileSync(file, "utf8").trim();
  expect(password).toMatch(/^[a-z0-9]{8}$/);
  expect(run.stderr()).toContain(`password in ${file}`);
  const out = join(state, "shot.png");
  await expect(vncCapture(display, "wrong-pw", out, 10_000)).rejects.toThrow(/gvnccapture failed/);
  const img = await captureUntil(display, password, out, desktopUp, 150_000);
  expect([img.width, img.height]).toEqual([W, H]);
  expect(textAt(img, 8, 2, "tsos", t.accent)).toBe(true);
}, 200_000);

test.skipIf(noBrowser)("the printed web URL shows the desktop in Chromium, Super opens the launcher, no token gets 403", async () => {
  const url = new URL(webUrl);
  expect(url.hostname).toBe("127.0.0.1");
  expect((await fetch(`${url.origin}/`)).status).toBe(403);
  expect((await fetch(`${url.origin}/ws`)).status).toBe(403);
  expect((await fetch(`${url.origin}/${"x".repeat(32)}/`)).status).toBe(403);
  const password = readFileSync(join(state, "tsos/vms/disptest/vnc-password"), "utf8").trim();
  const page = await fetch(webUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).not.toContain(password);

  const browser: Browser = await launchChromium();
  try {
    const tab = await browser.newPage({ viewport: { width: W, height: H } });
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(webUrl);
    await tab.waitForSelector("body[data-state=connected]", { timeout: 30_000 });
    const canvas = tab.locator("#screen canvas");
    const shot = async (name: string) => {
      const dataUrl = await canvas.evaluate((c: Canvas) => c.toDataURL("image/png"));
      const png = Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
      writeFileSync(join(outDir, name), png);
      return decodePng(png);
    };
    const shotUntil = (name: string, ok: (i: Image) => boolean, ms: number) => shotsUntil(() => shot(name), ok, ms);
    const desk = await shotUntil("web-desktop.png", desktopUp, 150_000);
    expect([desk.width, desk.height]).toEqual([W, H]);
    expect(textAt(desk, 8, 2, "tsos", t.accent)).toBe(true);
    expect(textAt(desk, 56, 2, "Super: launcher", t.panelText)).toBe(true);
    expect(desk.rgb(W >> 2, (3 * H) >> 2)).toBe(t.desktop);
    const lr = new Launcher(LAUNCHER_ENTRIES).rect({ width: W, height: H });
    const open = (i: Image) => textAt(i, lr.x + 10, lr.y + 8, "Open: _", t.text);
    expect(open(desk)).toBe(false);

    // Focus the canvas with a click on empty desktop, then Super, as a user would.
    const box = (await canvas.boundingBox())!;
    await tab.mouse.click(box.x + W - 40, box.y + H - 40);
    await tab.keyboard.press("Meta");
    const launcher = await shotUntil("web-launcher.png", open, 30_000);
    expect(open(launcher)).toBe(true);
    expect(launcher.rgb(lr.x, lr.y + 5)).toBe(t.accent); // its frame
    expect(errors).toEqual([]);
    console.log(`web viewer screenshots: ${join(outDir, "web-desktop.png")}, ${join(outDir, "web-launcher.png")}`);
  } finally {
    await browser.close();
  }
}, 200_000);

test.skipIf(skipAll)("SIGTERM ends tsos, its QEMU and the web viewer: nothing is left running", async () => {
  expect(processesUsingState().length).toBeGreaterThan(0); // QEMU, while it runs
  run.proc.kill("SIGTERM");
  const code = await Promise.race([run.proc.exited, Bun.sleep(20_000).then(() => "timeout")]);
  expect(code).not.toBe("timeout");
  const end = Date.now() + 5000;
  while (processesUsingState().length && Date.now() < end) await Bun.sleep(100);
  expect(processesUsingState()).toEqual([]);
  await expect(fetch(webUrl)).rejects.toThrow();
}, 30_000);

test.skipIf(skipAll)("--no-web: only VNC is offered", async () => {
  const p = await startRun(["--no-web", "--name", "noweb"]);
  p.proc.kill("SIGTERM");
  await p.proc.exited;
  const err = p.stderr();
  expect(err).toMatch(/desktop: VNC on 127\.0\.0\.1:\d+/);
  expect(err).not.toContain("in a browser");
  expect(processesUsingState()).toEqual([]);
}, 40_000);
