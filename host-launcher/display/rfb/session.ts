// One RFB 3.8 client (RFC 6143), independent of its transport (TCP or a
// WebSocket). Client bytes are parsed incrementally with a size limit on every
// message; anything malformed ends the session with a logged reason. Updates
// are produced only when the client asked for one and everything before it
// was written, so a slow client holds at most one update in memory.
import { markRect, tilesToRects, type Framebuffer, type TileGrid } from "../framebuffer.ts";
import { ViewerInput, type InputSink } from "../input.ts";
import { vncAuthValid, vncChallenge } from "./auth.ts";
import { desktopSizeRect, ENCODING, PIXEL_ENCODINGS, RectEncoder, updateHeader } from "./encode.ts";
import { decodePixelFormat, encodePixelFormat, PixelWriter, XRGB8888 } from "./pixel-format.ts";

export interface Transport {
  /** Sends what it can now: bytes taken, and whether to wait for drained() before more. */
  write(b: Uint8Array): { taken: number; blocked: boolean };
  end(): void;
}

/** How clients prove themselves: the VM's VNC password, or nothing (only when asked for). */
export type RfbAuth = { password: string } | { none: true };

/** What a session needs from the broker that owns it. */
export interface SessionOwner {
  readonly framebuffer: Framebuffer;
  readonly grid: TileGrid;
  readonly name: string;
  /** How long a client may take from connecting to ClientInit. */
  readonly handshakeMs: number;
  readonly input: InputSink;
  log(line: string): void;
  /** The session can take an update now. */
  wake(s: RfbSession): void;
  closed(s: RfbSession): void;
}

export const VERSION = "RFB 003.008\n";
export const SECURITY = { NONE: 1, VNC: 2 } as const;
const MAX_ENCODINGS = 1024;
/** Clipboard text is read past, never kept; more than this ends the session. */
export const MAX_CUT_TEXT = 1 << 20;
/** An update larger than this in the queue means something is wrong: drop the client. */
const MAX_QUEUED = 256 << 20;

type State = "version" | "security" | "auth" | "init" | "normal" | "closed";

export class RfbSession {
  private state: State = "version";
  private inbuf = new Uint8Array(4096);
  private inlen = 0;
  private discard = 0;
  private challenge: Uint8Array | undefined;
  private encoder = new RectEncoder(new PixelWriter(XRGB8888));
  private encoding: number = ENCODING.RAW;
  private desktopSize = false;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private blocked = false;
  private requested = false;
  private resized = false;
  dirty: Uint8Array;
  private readonly input: ViewerInput;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly peer: string;

  constructor(
    private readonly owner: SessionOwner,
    private readonly transport: Transport,
    private readonly auth: RfbAuth,
    peer: string,
  ) {
    this.peer = peer;
    this.input = new ViewerInput(owner.input);
    this.dirty = new Uint8Array(owner.grid.tilesX * owner.grid.tilesY);
    // A connection that never finishes the handshake must not hold a slot forever.
    this.handshakeTimer = setTimeout(() => this.fail(`handshake not finished within ${owner.handshakeMs} ms`), owner.handshakeMs);
    this.send(new TextEncoder().encode(VERSION));
  }

  get open(): boolean {
    return this.state !== "closed";
  }

  /** Asked for an update, and nothing is waiting to be written. */
  get ready(): boolean {
    return this.state === "normal" && this.requested && !this.blocked && this.queued === 0;
  }

  get queuedBytes(): number {
    return this.queued;
  }

  get hasWork(): boolean {
    return this.resized || this.dirty.includes(1);
  }

  /** Client bytes arrived. A bug here ends this session, never the launcher. */
  receive(chunk: Uint8Array): void {
    this.guard(() => this.parse(chunk));
  }

  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.fail(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private parse(chunk: Uint8Array): void {
    if (this.state === "closed") return;
    if (this.discard > 0) {
      const n = Math.min(this.discard, chunk.length);
      this.discard -= n;
      chunk = chunk.subarray(n);
    }
    if (this.inlen + chunk.length > this.inbuf.length) {
      const grown = new Uint8Array(Math.max(this.inbuf.length * 2, this.inlen + chunk.length));
      grown.set(this.inbuf.subarray(0, this.inlen));
      this.inbuf = grown;
    }
    this.inbuf.set(chunk, this.inlen);
    this.inlen += chunk.length;
    let pos = 0;
    while (this.open) {
      if (this.discard > 0) {
        const n = Math.min(this.discard, this.inlen - pos);
        this.discard -= n;
        pos += n;
        if (this.discard > 0) break;
      }
      const used = this.step(this.inbuf.subarray(pos, this.inlen));
      if (used === 0) break;
      pos += used;
    }
    // Keep only the incomplete tail; every message is small, so this stays small.
    this.inbuf.copyWithin(0, pos, this.inlen);
    this.inlen -= pos;
    if (this.inbuf.length > 65536 && this.inlen < 4096) this.inbuf = this.inbuf.slice(0, 4096);
  }

  /** Handles one message at the start of `b`; returns the bytes it used (0: need more). */
  private step(b: Uint8Array): number {
    switch (this.state) {
      case "version": return b.length < 12 ? 0 : this.onVersion(b);
      case "security": return b.length < 1 ? 0 : this.onSecurity(b[0]!);
      case "auth": return b.length < 16 ? 0 : this.onAuth(b.subarray(0, 16));
      case "init": return b.length < 1 ? 0 : this.onClientInit();
      case "normal": return b.length < 1 ? 0 : this.onMessage(b);
      case "closed": return 0;
    }
  }

  private onVersion(b: Uint8Array): number {
    const v = new TextDecoder("latin1").decode(b.subarray(0, 12));
    if (v !== VERSION) return this.fail(`unsupported protocol version ${JSON.stringify(v)} (only RFB 003.008)`);
    const type = "password" in this.auth ? SECURITY.VNC : SECURITY.NONE;
    this.send(Uint8Array.of(1, type));
    this.state = "security";
    return 12;
  }

  private onSecurity(type: number): number {
    const offered = "password" in this.auth ? SECURITY.VNC : SECURITY.NONE;
    if (type !== offered) {
      this.securityFailed(`security type ${type} was not offered`);
      return 1;
    }
    if (type === SECURITY.NONE) {
      this.send(new Uint8Array(4));
      this.state = "init";
    } else {
      this.challenge = vncChallenge();
      this.send(this.challenge);
      this.state = "auth";
    }
    return 1;
  }

  private onAuth(response: Uint8Array): number {
    if (!("password" in this.auth) || !this.challenge || !vncAuthValid(this.auth.password, this.challenge, response)) {
      this.securityFailed("authentication failed");
      return 16;
    }
    this.send(new Uint8Array(4));
    this.state = "init";
    return 16;
  }

  private securityFailed(reason: string): void {
    const text = new TextEncoder().encode(reason);
    const msg = new Uint8Array(8 + text.length);
    const v = new DataView(msg.buffer);
    v.setUint32(0, 1);
    v.setUint32(4, text.length);
    msg.set(text, 8);
    this.send(msg);
    this.fail(reason);
  }

  private onClientInit(): number {
    const { framebuffer: fb, name } = this.owner;
    const text = new TextEncoder().encode(name);
    const msg = new Uint8Array(24 + text.length);
    const v = new DataView(msg.buffer);
    v.setUint16(0, fb.width);
    v.setUint16(2, fb.height);
    msg.set(encodePixelFormat(XRGB8888), 4);
    v.setUint32(20, text.length);
    msg.set(text, 24);
    this.send(msg);
    this.state = "normal";
    clearTimeout(this.handshakeTimer);
    this.dirty.fill(1);
    return 1;
  }

  private onMessage(b: Uint8Array): number {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (b[0]) {
      case 0: { // SetPixelFormat
        if (b.length < 20) return 0;
        const pf = decodePixelFormat(b.subarray(4, 20));
        if (typeof pf === "string") return this.fail(`SetPixelFormat: ${pf}`);
        this.encoder = new RectEncoder(new PixelWriter(pf));
        return 20;
      }
      case 2: { // SetEncodings
        if (b.length < 4) return 0;
        const n = v.getUint16(2);
        if (n > MAX_ENCODINGS) return this.fail(`SetEncodings lists ${n} encodings (limit ${MAX_ENCODINGS})`);
        if (b.length < 4 + 4 * n) return 0;
        const list = Array.from({ length: n }, (_, i) => v.getInt32(4 + 4 * i));
        this.encoding = list.find((e) => PIXEL_ENCODINGS.includes(e)) ?? ENCODING.RAW;
        this.desktopSize = list.includes(ENCODING.DESKTOP_SIZE);
        return 4 + 4 * n;
      }
      case 3: { // FramebufferUpdateRequest
        if (b.length < 10) return 0;
        if (b[1] === 0) markRect(this.dirty, this.owner.grid, { x: v.getUint16(2), y: v.getUint16(4), w: v.getUint16(6), h: v.getUint16(8) });
        this.requested = true;
        if (this.ready) this.owner.wake(this);
        return 10;
      }
      case 4: { // KeyEvent
        if (b.length < 8) return 0;
        this.input.key(v.getUint32(4), b[1] !== 0);
        return 8;
      }
      case 5: { // PointerEvent
        if (b.length < 6) return 0;
        const fb = this.owner.framebuffer;
        this.input.pointer(v.getUint16(2), v.getUint16(4), b[1]!, fb.width, fb.height);
        return 6;
      }
      case 6: { // ClientCutText: read past it (a negative length is the extended form)
        if (b.length < 8) return 0;
        const len = Math.abs(v.getInt32(4));
        if (len > MAX_CUT_TEXT) return this.fail(`ClientCutText of ${len} bytes exceeds ${MAX_CUT_TEXT}`);
        this.discard = len;
        return 8;
      }
      default:
        return this.fail(`unknown client message type ${b[0]}`);
    }
  }

  /** The screen changed size: tell a client that understands DesktopSize, drop one that does not. */
  resize(): void {
    if (this.state !== "normal") {
      this.dirty = new Uint8Array(this.owner.grid.tilesX * this.owner.grid.tilesY);
      return;
    }
    if (!this.desktopSize) {
      this.fail("the screen changed size and the client does not support DesktopSize");
      return;
    }
    this.dirty = new Uint8Array(this.owner.grid.tilesX * this.owner.grid.tilesY).fill(1);
    this.resized = true;
  }

  /** Sends one FramebufferUpdate with what changed; call only when `ready`. */
  sendUpdate(): void {
    this.guard(() => this.encodeUpdate());
  }

  private encodeUpdate(): void {
    const fb = this.owner.framebuffer;
    this.requested = false;
    if (this.resized) {
      this.resized = false;
      this.send(concat([updateHeader(1), desktopSizeRect(fb.width, fb.height)]));
      return;
    }
    const rects = tilesToRects(this.dirty, this.owner.grid, fb.width, fb.height);
    this.dirty.fill(0);
    const chunks = [updateHeader(rects.length)];
    for (const r of rects) chunks.push(...this.encoder.encode(fb, r, this.encoding));
    this.send(concat(chunks));
  }

  private send(b: Uint8Array): void {
    if (this.state === "closed") return;
    this.queue.push(b);
    this.queued += b.length;
    if (this.queued > MAX_QUEUED) {
      this.fail(`client is not reading (${this.queued} bytes queued)`);
      return;
    }
    this.flush();
  }

  private flush(): void {
    while (this.queue.length > 0 && !this.blocked) {
      const b = this.queue[0]!;
      const { taken, blocked } = this.transport.write(b);
      this.queued -= taken;
      if (taken < b.length) this.queue[0] = b.subarray(taken);
      else this.queue.shift();
      this.blocked = blocked || taken < b.length;
    }
  }

  /** The transport can take more. */
  drained(): void {
    this.blocked = false;
    this.flush();
    if (this.ready) this.owner.wake(this);
  }

  /** Ends the session, logging why; returns 0 so parsers can `return this.fail(...)`. */
  fail(reason: string): number {
    if (this.state === "closed") return 0;
    this.owner.log(`rfb client ${this.peer} disconnected: ${reason}`);
    this.flush();
    this.transport.end();
    this.closed();
    return 0;
  }

  /** The connection is gone: release whatever the client was holding down. */
  closed(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.handshakeTimer);
    this.input.releaseAll();
    this.queue = [];
    this.queued = 0;
    this.owner.closed(this);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
