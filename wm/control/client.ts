// A client for the wm control socket: one JSON request, one JSON reply.
import { connect } from "node:net";

export const WM_SOCKET = "/run/tsos/wm.sock";

export interface WmReply {
  ok: boolean;
  error?: string;
  [k: string]: unknown;
}

export function wmRequest(req: object, path = WM_SOCKET, timeoutMs = 5000): Promise<WmReply> {
  return new Promise((resolve, reject) => {
    const sock = connect(path);
    let buf = "";
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no reply from ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.setEncoding("utf8");
    sock.on("connect", () => sock.write(JSON.stringify(req) + "\n"));
    sock.on("data", (d: string) => {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      sock.end();
      try {
        resolve(JSON.parse(buf.slice(0, nl)) as WmReply);
      } catch (e) {
        reject(new Error(`bad reply from ${path}: ${(e as Error).message}`));
      }
    });
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach the desktop at ${path}: ${e.message}`));
    });
  });
}
