// The wm control socket (/run/tsos/wm.sock): newline-delimited JSON requests,
// one reply each. `open` starts an app by URL (tsh's `open` uses it); `state`
// reports windows and frame statistics (tests and the benchmark use it).
import { chmodSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import type { WindowManager } from "../windows/manager.ts";
const MAX_LINE = 64 * 1024;

export interface WmState {
  windows: { id: number; url: string; title: string; frame: { x: number; y: number; w: number; h: number }; focused: boolean; fullscreen: boolean }[];
  mode: string;
  launcherOpen: boolean;
  helpOpen: boolean;
  screen: { width: number; height: number };
  frames: number;
}

export function wmState(wm: WindowManager): WmState {
  const top = wm.focused();
  return {
    windows: wm.stack.map((w) => ({ id: w.id, url: w.url, title: w.app.title, frame: w.frame, focused: w === top, fullscreen: w.fullscreen })),
    mode: wm.mode,
    launcherOpen: wm.launcherOpen,
    helpOpen: wm.helpOpen,
    screen: { width: wm.screen.width, height: wm.screen.height },
    frames: wm.compositor.stats.frames,
  };
}

export function handleRequest(wm: WindowManager, req: unknown): object {
  const r = req as { op?: unknown; url?: unknown };
  if (!r || typeof r !== "object") return { ok: false, error: "request must be a JSON object" };
  switch (r.op) {
    case "open": {
      if (typeof r.url !== "string") return { ok: false, error: "open needs a url" };
      const w = wm.open(r.url);
      return w ? { ok: true, window: w.id, url: w.url } : { ok: false, error: `unknown app '${r.url}' (try tsos://terminal)` };
    }
    case "state":
      return { ok: true, state: wmState(wm) };
    default:
      return { ok: false, error: `unknown op '${String(r.op)}' (open, state)` };
  }
}

export function serveControl(path: string, wm: WindowManager): Server {
  rmSync(path, { force: true });
  const server = createServer((sock) => {
    let buf = "";
    sock.setEncoding("utf8");
    sock.on("data", (chunk: string) => {
      buf += chunk;
      if (buf.length > MAX_LINE && !buf.includes("\n")) {
        sock.end(JSON.stringify({ ok: false, error: "request too long" }) + "\n");
        return;
      }
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let reply: object;
        try {
          reply = handleRequest(wm, JSON.parse(line));
        } catch (e) {
          reply = { ok: false, error: `bad request: ${(e as Error).message}` };
        }
        sock.write(JSON.stringify(reply) + "\n");
      }
    });
    sock.on("error", () => {});
  });
  server.listen(path, () => chmodSync(path, 0o600));
  return server;
}
