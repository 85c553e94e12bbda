// The tests' VNC side: a free loopback display number, and screenshots taken with
// the real gvnccapture client (RFB 3.8, VNC password typed on a PTY as a user would),
// decoded from PNG so tests can read pixels.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { decode } from "fast-png";
export { freeVncDisplay } from "../../host-launcher/vm/ports.ts";
export { newVncPassword as vncPassword } from "../../host-launcher/vm/secrets.ts";

export interface Image {
  width: number;
  height: number;
  /** 0xRRGGBB at (x, y). */
  rgb(x: number, y: number): number;
}

export function hasGvnccapture(): boolean {
  return Bun.which("gvnccapture") !== null;
}

/** Run gvnccapture against 127.0.0.1:display, typing the password at its prompt; the PNG lands in `out`. */
export async function vncCapture(display: number, password: string, out: string, timeoutMs = 30_000): Promise<void> {
  let screen = "";
  rmSync(out, { force: true });
  const term = new Bun.Terminal({ cols: 120, rows: 10, data: (_t, d) => (screen += Buffer.from(d).toString()) });
  const p = Bun.spawn(["gvnccapture", `127.0.0.1:${display}`, out], { terminal: term });
  const timer = setTimeout(() => p.kill(), timeoutMs);
  try {
    const end = Date.now() + timeoutMs;
    const waitFor = async (re: RegExp, ms: number) => {
      const until = Math.min(end, Date.now() + ms);
      while (!re.test(screen) && p.exitCode === null && Date.now() < until) await Bun.sleep(20);
      return re.test(screen);
    };
    await waitFor(/Password:/, timeoutMs);
    // It turns echo off with TCSAFLUSH after printing the prompt, which drops input typed
    // too early: type again if the password did not get through.
    for (let tries = 0; tries < 5 && p.exitCode === null && !/Connected/.test(screen); tries++) {
      await Bun.sleep(150);
      term.write(password + "\n");
      await waitFor(/Connected|Unable|failed/i, 2000);
    }
    const code = await p.exited;
    await Bun.sleep(50); // the PTY's last output
    if (code !== 0 || !existsSync(out)) throw new Error(`gvnccapture failed (${code}): ${screen.trim()}`);
  } finally {
    clearTimeout(timer);
    term.close();
  }
}

export function readPng(path: string): Image {
  return decodePng(readFileSync(path));
}

/** A PNG's pixels (from gvnccapture, or a canvas's toDataURL) as an Image. */
export function decodePng(bytes: Uint8Array): Image {
  const png = decode(bytes);
  const ch = png.channels;
  const d = png.data;
  return {
    width: png.width,
    height: png.height,
    rgb: (x, y) => {
      const o = (y * png.width + x) * ch;
      return (d[o]! << 16) | (d[o + 1]! << 8) | d[o + 2]!;
    },
  };
}

/** Takes screenshots with `shot` until `ok` holds (the guest draws asynchronously); returns the last one either way. */
export async function shotsUntil(shot: () => Promise<Image>, ok: (img: Image) => boolean, timeoutMs = 60_000): Promise<Image> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const img = await shot();
    if (ok(img) || Date.now() > end) return img;
    await Bun.sleep(300);
  }
}

/** gvnccapture screenshots into `out` until `ok` holds. */
export function captureUntil(display: number, password: string, out: string, ok: (img: Image) => boolean, timeoutMs = 60_000): Promise<Image> {
  return shotsUntil(async () => (await vncCapture(display, password, out), readPng(out)), ok, timeoutMs);
}
