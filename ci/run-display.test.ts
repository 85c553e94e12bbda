// Integration: `tsos run --display` as a user runs it: the desktop on QEMU's VNC
// server on loopback, its per-run password in the VM's directory (0600), seen by
// the real gvnccapture client; and the VNC server refuses a wrong password.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { THEMES } from "../wm/theme.ts";
import { textAt } from "./lib/glyphs.ts";
import { captureUntil, hasGvnccapture, vncCapture } from "./lib/vnc.ts";

const root = resolve(import.meta.dir, "..");
const tsos = join(root, "host-launcher/bin/tsos");
const state = mkdtempSync(join(tmpdir(), "tsos-state-"));
const env = { ...process.env, XDG_STATE_HOME: state };
const skip = !hasGvnccapture();
if (skip) console.log("tsos run --display test SKIPPED: gvnccapture missing (Debian package gvncviewer)");
let run: Subprocess<"ignore", "pipe", "pipe">;
let stderr = "";
let display = 0;

beforeAll(async () => {
  if (skip) return;
  run = Bun.spawn([tsos, "run", "--headless", "--display", "--resolution", "800x600", "--name", "disptest"], { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  void (async () => {
    for await (const c of run.stderr) stderr += Buffer.from(c).toString();
  })();
  const deadline = Date.now() + 60_000;
  while (!/desktop: VNC on 127\.0\.0\.1:(\d+)/.test(stderr) && Date.now() < deadline) await Bun.sleep(100);
  display = Number(/desktop: VNC on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1] ?? 0) - 5900;
  if (display <= 0) throw new Error(`no VNC line from tsos run:\n${stderr}`);
}, 90_000);

afterAll(async () => {
  run?.kill();
  await run?.exited;
  rmSync(state, { recursive: true, force: true });
});

test.skipIf(skip)("the desktop is on loopback VNC behind the VM's 0600 password; a wrong password gets nothing", async () => {
  const file = join(state, "tsos/vms/disptest/vnc-password");
  expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
  const password = readFileSync(file, "utf8").trim();
  expect(password).toMatch(/^[a-z0-9]{8}$/);
  const out = join(state, "shot.png");
  await expect(vncCapture(display, "wrong-pw", out, 10_000)).rejects.toThrow(/gvnccapture failed/);
  const img = await captureUntil(display, password, out, (i) => i.width === 800 && textAt(i, 8, 2, "tsos", THEMES.dark.accent), 150_000);
  expect([img.width, img.height]).toEqual([800, 600]);
  expect(textAt(img, 8, 2, "tsos", THEMES.dark.accent)).toBe(true);
}, 200_000);
