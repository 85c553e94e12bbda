// A free TCP port on the loopback address (never another interface).
import { createServer } from "node:net";

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A VNC display number N whose port 5900+N is free on loopback (QEMU's -vnc takes N, not the port). */
export async function freeVncDisplay(): Promise<number> {
  for (let n = 10 + Math.floor(Math.random() * 80); n < 100; n++) {
    const free = await new Promise<boolean>((r) => {
      const s = createServer().once("error", () => r(false)).listen(5900 + n, "127.0.0.1", () => s.close(() => r(true)));
    });
    if (free) return n;
  }
  throw new Error("no free VNC port in 5910-5999 on 127.0.0.1");
}
