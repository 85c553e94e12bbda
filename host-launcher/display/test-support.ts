// Shared by the display tests and the benchmark: a painted synthetic desktop,
// an InputSink that records, and a bare RFB client for byte-level checks.
// (The real gvnccapture client is driven by ci/lib/vnc.ts.)
import { Framebuffer } from "./framebuffer.ts";
import type { InputSink } from "./input.ts";
import { vncAuthResponse } from "./rfb/auth.ts";

/** A w×h XRGB8888 screen in a plain array, with a padded stride like real hardware. */
export function syntheticScreen(width: number, height: number): { mem: Uint8Array; fb: Framebuffer } {
  const stride = width * 4 + 64;
  const mem = new Uint8Array(stride * height + 4096);
  return { mem, fb: new Framebuffer(mem, 4096, width, height, stride) };
}

export function fillRect(fb: Framebuffer, x: number, y: number, w: number, h: number, rgb: number): void {
  for (let yy = y; yy < y + h; yy++) {
    for (let xx = x; xx < x + w; xx++) {
      const o = yy * fb.stride + xx * 4;
      fb.pixels[o] = rgb & 0xff;
      fb.pixels[o + 1] = (rgb >> 8) & 0xff;
      fb.pixels[o + 2] = (rgb >> 16) & 0xff;
      fb.pixels[o + 3] = 0xff;
    }
  }
}

/** Quadrants red, green, blue, white, and a yellow square at (100, 50) size 10. */
export function paintDesktop(fb: Framebuffer): void {
  const hw = fb.width >> 1, hh = fb.height >> 1;
  fillRect(fb, 0, 0, hw, hh, 0xff0000);
  fillRect(fb, hw, 0, fb.width - hw, hh, 0x00ff00);
  fillRect(fb, 0, hh, hw, fb.height - hh, 0x0000ff);
  fillRect(fb, hw, hh, fb.width - hw, fb.height - hh, 0xffffff);
  fillRect(fb, 100, 50, 10, 10, 0xffff00);
}

export type InputEvent = { key: number; down: boolean } | { x: number; y: number; buttons: number };

export class RecordingSink implements InputSink {
  readonly events: InputEvent[] = [];
  key(code: number, down: boolean): void {
    this.events.push({ key: code, down });
  }
  pointer(x: number, y: number, buttons: number): void {
    this.events.push({ x, y, buttons });
  }
}

/** What a RawPeer drives: a TCP socket or a WebSocket. */
interface PeerIo {
  write(b: Uint8Array): void;
  end(): void;
  pause(): void;
}

/** A bare TCP (or WebSocket) peer for protocol tests: send bytes, await exact byte counts, see the close. */
export class RawPeer {
  private chunks: Uint8Array[] = [];
  private have = 0;
  private waiters: (() => void)[] = [];
  closed = false;
  private constructor(private io: PeerIo) {}

  static async connect(port: number): Promise<RawPeer> {
    let peer!: RawPeer;
    const sock = await Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        data: (_s, d) => peer.push(d),
        close: () => peer.end(),
        error: () => peer.end(),
      },
    });
    peer = new RawPeer({ write: (b) => sock.write(b), end: () => sock.end(), pause: () => sock.pause() });
    return peer;
  }

  /** A binary WebSocket (as noVNC opens it) carrying the same byte stream. */
  static async connectWebSocket(url: string): Promise<RawPeer> {
    const ws = new WebSocket(url, ["binary"]);
    ws.binaryType = "arraybuffer";
    const peer = new RawPeer({ write: (b) => ws.send(b), end: () => ws.close(), pause: () => {
      throw new Error("RawPeer.pause: a WebSocket client cannot stop reading");
    } });
    ws.onmessage = (e) => peer.push(new Uint8Array(e.data as ArrayBuffer));
    ws.onclose = () => peer.end();
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`WebSocket ${url} failed`));
    });
    return peer;
  }

  private push(d: Uint8Array): void {
    this.chunks.push(d);
    this.have += d.length;
    this.wake();
  }
  private end(): void {
    this.closed = true;
    this.wake();
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(b: Uint8Array | string): void {
    this.io.write(typeof b === "string" ? new TextEncoder().encode(b) : b);
  }

  /** Exactly n bytes, or an error if the server closes or is silent for timeoutMs. */
  async read(n: number, timeoutMs = 5000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.have < n) {
      if (this.closed) throw new Error(`connection closed after ${this.have} of ${n} bytes`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${n} bytes (have ${this.have})`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, left);
      });
    }
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.have -= n;
    return new Uint8Array(all.subarray(0, n)); // a copy with its own buffer (Buffer.slice would share)
  }

  /** Resolves true once the server has closed the connection (false on timeout). */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise<void>((r) => (this.waiters.push(r), setTimeout(r, 50)));
    return this.closed;
  }

  /** Stops reading, so the server meets real TCP backpressure. */
  pause(): void {
    this.io.pause();
  }

  close(): void {
    this.io.end();
  }
}

/** Polls `f` until it returns `want` (compared as JSON) or the time is up; returns the last value. */
export async function until<T>(f: () => T | Promise<T>, want: T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await f();
  while (JSON.stringify(v) !== JSON.stringify(want) && Date.now() < deadline) {
    await Bun.sleep(50);
    v = await f();
  }
  return v;
}

/** An RFB 3.8 handshake with VNC auth up to ServerInit, as a client; returns the screen size. */
export async function rfbHandshake(p: RawPeer, password: string): Promise<{ w: number; h: number }> {
  const version = new TextDecoder().decode(await p.read(12));
  if (version !== "RFB 003.008\n") throw new Error(`server version ${JSON.stringify(version)}`);
  p.send("RFB 003.008\n");
  const types = await p.read(2);
  if (types[0] !== 1 || types[1] !== 2) throw new Error(`security types ${[...types]}`);
  p.send(Uint8Array.of(2));
  p.send(vncAuthResponse(password, await p.read(16)));
  const result = await p.read(4);
  if (result.some((b) => b !== 0)) throw new Error("authentication failed");
  p.send(Uint8Array.of(1));
  const init = await p.read(24);
  const v = new DataView(init.buffer);
  await p.read(v.getUint32(20));
  return { w: v.getUint16(0), h: v.getUint16(2) };
}
