// wm: the tsos desktop. Draws on /dev/fb0 (geometry from the device), reads
// evdev input, runs the window manager and its apps, and serves /run/tsos/wm.sock.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { msSinceBoot } from "../lib/ffi/libc.ts";
import { appFactory, LAUNCHER_ENTRIES, type Desktop } from "./apps/registry.ts";
import { Compositor } from "./compositor/compositor.ts";
import { WM_SOCKET } from "./control/client.ts";
import { serveControl } from "./control/server.ts";
import { Framebuffer } from "./fb/device.ts";
import { terminus } from "./font/terminus.ts";
import { InputHub } from "./input/hub.ts";
import { WindowManager } from "./windows/manager.ts";

const USAGE = "usage: wm [--fb /dev/fb0] [--input /dev/input] [--open URL]...";
export const WM_READY = "/run/tsos/wm.ready";

export function main(args: string[]): number {
  const mainAt = process.uptime() * 1000;
  let fbPath = "/dev/fb0";
  let inputDir = "/dev/input";
  const open: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      return 0;
    } else if (a === "--fb" && v) (fbPath = v), i++;
    else if (a === "--input" && v) (inputDir = v), i++;
    else if (a === "--open" && v) open.push(v), i++;
    else {
      console.error(`wm: unknown argument '${a}'\n${USAGE}`);
      return 2;
    }
  }
  if (!existsSync(fbPath)) {
    console.error(`wm: ${fbPath} absent: no framebuffer to draw on (boot with a display device)`);
    return 1;
  }
  const fb = Framebuffer.open(fbPath);
  const fbAt = process.uptime() * 1000;
  const g = fb.geometry;
  console.log(`wm: ${fbPath} ${g.id} ${g.width}x${g.height} ${g.bitsPerPixel} bpp, line ${g.lineLength} bytes`);
  let desktop!: Desktop;
  const compositor = new Compositor(fb, (s) => desktop.wm.paint(s));
  const wm = new WindowManager(compositor, terminus(), LAUNCHER_ENTRIES, appFactory(() => desktop));
  const input = new InputHub(fb, wm, inputDir, (m) => console.log(`wm: ${m}`));
  desktop = { wm, input };
  let first = true;
  compositor.onFrame(() => {
    if (!first) return;
    first = false;
    // Where start-up time goes: the runtime before main, opening the device, the rest.
    const up = Math.round(process.uptime() * 1000);
    console.log(`wm: first frame at ${Math.round(msSinceBoot())} ms since boot, ${up} ms after wm started (main at ${Math.round(mainAt)} ms, framebuffer open at ${Math.round(fbAt)} ms)`);
    mkdirSync("/run/tsos", { recursive: true });
    writeFileSync(WM_READY, `${process.pid}\n`);
  });
  wm.onEvent((what) => console.log(`wm: ${what}`));
  input.start();
  mkdirSync("/run/tsos", { recursive: true });
  serveControl(WM_SOCKET, wm);
  wm.start();
  for (const url of open) wm.open(url);
  const quit = () => {
    wm.stop();
    input.stop();
    process.exit(0);
  };
  process.on("SIGTERM", quit);
  process.on("SIGINT", quit);
  return 0;
}
