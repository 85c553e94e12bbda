// A minimal RFB 3.8 (RFC 6143) client for measurements: security type None
// (used with QEMU's VNC on a private unix socket), raw encoding, a local copy of
// the framebuffer kept current with incremental updates, and key events. The
// benchmark uses it to see the instant a change reaches the VNC client.
import { connect, type Socket } from "node:net";

export const KEYSYM = { Return: 0xff0d, Escape: 0xff1b, SuperL: 0xffeb, BackSpace: 0xff08 } as const;

export class RfbClient {
  width = 0;
  height = 0;
  /** 0xRRGGBB per pixel, kept current by updates. */
  fb = new Uint32Array(0);
  private buf = Buffer.alloc(0);
  private waiting: { n: number; resolve: (b: Buffer) => void } | null = null;
  private listeners: (() => void)[] = [];
  private closed = false;

  private constructor(private readonly sock: Socket) {
    sock.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.pump();
    });
    sock.on("close", () => (this.closed = true));
    sock.on("error", () => (this.closed = true));
  }

  private pump(): void {
    const w = this.waiting;
    if (w && this.buf.length >= w.n) {
      const out = this.buf.subarray(0, w.n);
      this.buf = this.buf.subarray(w.n);
      this.waiting = null;
      w.resolve(Buffer.from(out));
    }
  }

  private read(n: number): Promise<Buffer> {
    if (this.closed && this.buf.length < n) return Promise.reject(new Error("rfb: connection closed"));
    return new Promise((resolve) => {
      this.waiting = { n, resolve };
      this.pump();
    });
  }

  static async connectUnix(path: string, timeoutMs = 30_000): Promise<RfbClient> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const sock = await new Promise<Socket>((res, rej) => {
          const s = connect(path, () => res(s));
          s.once("error", rej);
        });
        const c = new RfbClient(sock);
        await c.handshake();
        return c;
      } catch (e) {
        if (Date.now() > end) throw new Error(`rfb: cannot connect to ${path}: ${(e as Error).message}`);
        await Bun.sleep(100);
      }
    }
  }

  private async handshake(): Promise<void> {
    const version = (await this.read(12)).toString("latin1");
    if (!version.startsWith("RFB 003.")) throw new Error(`rfb: not an RFB server (${JSON.stringify(version)})`);
    this.sock.write("RFB 003.008\n");
    const n = (await this.read(1))[0]!;
    if (n === 0) throw new Error("rfb: server refused the connection");
    const types = [...(await this.read(n))];
    if (!types.includes(1)) throw new Error(`rfb: server wants authentication (types ${types.join(",")})`);
    this.sock.write(Buffer.from([1]));
    if ((await this.read(4)).readUInt32BE(0) !== 0) throw new Error("rfb: security handshake failed");
    this.sock.write(Buffer.from([1])); // shared
    const init = await this.read(24);
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    await this.read(init.readUInt32BE(20)); // desktop name
    this.fb = new Uint32Array(this.width * this.height);
    // 32 bpp, depth 24, little-endian, true colour, max 255, shifts r16 g8 b0.
    const pf = Buffer.alloc(20);
    pf[0] = 0;
    pf.set([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0], 4);
    this.sock.write(pf);
    const enc = Buffer.alloc(8);
    enc[0] = 2;
    enc.writeUInt16BE(1, 2);
    enc.writeInt32BE(0, 4); // raw
    this.sock.write(enc);
    void this.updates();
  }

  private request(incremental: boolean): void {
    const m = Buffer.alloc(10);
    m[0] = 3;
    m[1] = incremental ? 1 : 0;
    m.writeUInt16BE(this.width, 6);
    m.writeUInt16BE(this.height, 8);
    this.sock.write(m);
  }

  private async updates(): Promise<void> {
    this.request(false);
    try {
      for (;;) {
        const type = (await this.read(1))[0]!;
        if (type === 0) {
          const n = (await this.read(3)).readUInt16BE(1);
          for (let i = 0; i < n; i++) {
            const h = await this.read(12);
            const [x, y, w, hh, enc] = [h.readUInt16BE(0), h.readUInt16BE(2), h.readUInt16BE(4), h.readUInt16BE(6), h.readInt32BE(8)];
            if (enc !== 0) throw new Error(`rfb: unexpected encoding ${enc}`);
            const px = await this.read(w * hh * 4);
            for (let r = 0; r < hh; r++) {
              const row = new Uint32Array(px.buffer.slice(px.byteOffset + r * w * 4, px.byteOffset + (r + 1) * w * 4));
              if (y + r < this.height) this.fb.set(row.subarray(0, Math.min(w, this.width - x)), (y + r) * this.width + x);
            }
          }
          for (const l of this.listeners.splice(0)) l();
          this.request(true);
        } else if (type === 1) {
          const h = await this.read(5);
          await this.read(h.readUInt16BE(3) * 6);
        } else if (type === 2) {
          // bell
        } else if (type === 3) {
          await this.read((await this.read(7)).readUInt32BE(3));
        } else throw new Error(`rfb: unknown server message ${type}`);
      }
    } catch {
      this.closed = true;
    }
  }

  rgb(x: number, y: number): number {
    return this.fb[y * this.width + x]! & 0xffffff;
  }

  /** Resolve with ms elapsed once `ok` holds after some update (checked now, then after each update). */
  async until(ok: () => boolean, timeoutMs: number): Promise<number> {
    const t0 = performance.now();
    while (!ok()) {
      if (this.closed) throw new Error("rfb: connection closed");
      if (performance.now() - t0 > timeoutMs) throw new Error(`rfb: condition not met within ${timeoutMs} ms`);
      await Promise.race([new Promise<void>((r) => this.listeners.push(r)), Bun.sleep(200)]);
    }
    return performance.now() - t0;
  }

  key(keysym: number, down: boolean): void {
    const m = Buffer.alloc(8);
    m[0] = 4;
    m[1] = down ? 1 : 0;
    m.writeUInt32BE(keysym, 4);
    this.sock.write(m);
  }

  tap(keysym: number): void {
    this.key(keysym, true);
    this.key(keysym, false);
  }

  typeText(s: string): void {
    for (const ch of s) this.tap(ch === "\n" ? KEYSYM.Return : ch.codePointAt(0)!);
  }

  close(): void {
    this.sock.destroy();
  }
}
