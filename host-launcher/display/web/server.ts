// The web viewer on loopback: Bun.serve hands out the page, noVNC's modules
// and a WebSocket that speaks RFB to an endpoint: our display broker, or a
// bridge to a VNC server on TCP (web/tcp-bridge.ts, QEMU's under `tsos run`).
// Every URL starts with the per-VM token; anything else gets 403. The token
// is the secret for this path, so the RFB session the browser sees needs no password.
import type { Server, ServerWebSocket } from "bun";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { dirname, join, normalize } from "node:path";
import type { DisplayBroker } from "../broker.ts";
import type { Transport } from "../rfb/session.ts";
import { INDEX_HTML, VIEWER_JS } from "./page.ts";

export interface WebViewer {
  readonly url: string;
  readonly port: number;
  stop(): void;
}

/** noVNC's package root (its exports name only core/rfb.js). */
const NOVNC_ROOT = dirname(dirname(Bun.resolveSync("@novnc/novnc", import.meta.dir)));
const NOVNC_DIRS = ["core/", "vendor/"];

const HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer", // the token is in the URL
  "X-Content-Type-Options": "nosniff",
  // Our own scripts only, and no framing: a page that frames the viewer could steer clicks into the guest.
  "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'",
};

/** A fresh URL token: 192 random bits. */
export function newWebToken(): string {
  return randomBytes(24).toString("base64url");
}

function tokenMatches(given: string, token: string): boolean {
  const a = Buffer.from(given), b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function text(body: string, status: number, type = "text/plain; charset=utf-8"): Response {
  return new Response(body, { status, headers: { ...HEADERS, "Content-Type": type } });
}

async function novncFile(rel: string): Promise<Response> {
  const path = normalize(rel);
  if (!NOVNC_DIRS.some((d) => path.startsWith(d)) || path.includes("..") || !path.endsWith(".js")) return text("not found\n", 404);
  const file = Bun.file(join(NOVNC_ROOT, path));
  if (!(await file.exists())) return text("not found\n", 404);
  return new Response(file, { headers: { ...HEADERS, "Content-Type": "text/javascript; charset=utf-8" } });
}

/** One viewer's RFB conversation, fed with what its WebSocket receives. */
export interface RfbLink {
  receive(b: Uint8Array): void;
  /** The WebSocket can take more after a blocked write. */
  drained(): void;
  closed(): void;
}

/** Where each viewer's WebSocket goes: given the socket as a transport, the RFB server side of it. */
export type RfbEndpoint = (transport: Transport, peer: string) => RfbLink;

/** Our own display broker, with security None towards the browser (the token guards the path). */
export function brokerEndpoint(broker: DisplayBroker): RfbEndpoint {
  return (transport, peer) => broker.attach(transport, { none: true }, peer);
}

interface WsData {
  session?: RfbLink;
}

export function serveWebViewer(endpoint: RfbEndpoint, token: string, port = 0, host = "127.0.0.1"): WebViewer {
  if (token.length < 16 || !/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("web viewer token must be 16+ URL-safe characters");
  const server: Server<WsData> = Bun.serve<WsData>({
    hostname: host,
    port,
    async fetch(req, srv) {
      const url = new URL(req.url);
      const [, first = "", ...rest] = url.pathname.split("/");
      if (!tokenMatches(first, token)) return text("forbidden\n", 403);
      const path = rest.join("/");
      if (path === "") return text(INDEX_HTML, 200, "text/html; charset=utf-8");
      if (path === "viewer.js") return text(VIEWER_JS, 200, "text/javascript; charset=utf-8");
      if (path === "ws") {
        // noVNC asks for the "binary" subprotocol; a browser refuses a reply without it.
        const wanted = (req.headers.get("sec-websocket-protocol") ?? "").split(",").map((s) => s.trim());
        const headers = wanted.includes("binary") ? { "Sec-WebSocket-Protocol": "binary" } : undefined;
        return srv.upgrade(req, { data: {}, headers }) ? undefined : text("expected a WebSocket\n", 400);
      }
      if (path.startsWith("novnc/")) return novncFile(decodeURIComponent(path.slice("novnc/".length)));
      return text("not found\n", 404);
    },
    websocket: {
      perMessageDeflate: false,
      open(ws: ServerWebSocket<WsData>) {
        ws.data.session = endpoint(
          {
            write: (b) => {
              const r = ws.sendBinary(b);
              if (r === 0) ws.close(1011, "send failed"); // dropped: the stream would be corrupt
              return { taken: b.length, blocked: r === -1 };
            },
            end: () => ws.close(1000, "closed by server"),
          },
          `web:${ws.remoteAddress}`,
        );
      },
      message(ws, msg) {
        ws.data.session?.receive(typeof msg === "string" ? new TextEncoder().encode(msg) : msg);
      },
      drain(ws) {
        ws.data.session?.drained();
      },
      close(ws) {
        ws.data.session?.closed();
      },
    },
  });
  const p = server.port ?? port;
  return { url: `http://${host}:${p}/${token}/`, port: p, stop: () => void server.stop(true) };
}
