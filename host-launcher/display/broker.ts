// The display broker: owns the framebuffer view, scans it for dirty tiles at
// a frame rate while some client is waiting for an update (no client, or none
// waiting: no timer, no work), fans the changes out to every session, and
// routes their keyboard and pointer to the InputSink.
import { DirtyTiles, type Framebuffer, type TileGrid } from "./framebuffer.ts";
import type { InputSink } from "./input.ts";
import { RfbSession, type RfbAuth, type SessionOwner, type Transport } from "./rfb/session.ts";

export interface BrokerOptions {
  framebuffer: Framebuffer;
  input: InputSink;
  /** Desktop name shown by viewers. */
  name?: string;
  /** Scans per second while a client waits for changes (default 30). */
  fps?: number;
  /** Connections at once, authenticated or not (default 16); more are turned away. */
  maxClients?: number;
  /** Time from connect to ClientInit before a client is dropped (default 10 s). */
  handshakeMs?: number;
  log?: (line: string) => void;
}

export class DisplayBroker implements SessionOwner {
  framebuffer: Framebuffer;
  readonly input: InputSink;
  readonly name: string;
  readonly handshakeMs: number;
  private readonly maxClients: number;
  private tiles: DirtyTiles;
  private readonly sessions = new Set<RfbSession>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly interval: number;
  private readonly logLine: (line: string) => void;
  /** Scans done, for tests and benchmarks that check idle costs nothing. */
  scans = 0;

  constructor(o: BrokerOptions) {
    this.framebuffer = o.framebuffer;
    this.input = o.input;
    this.name = o.name ?? "tsos";
    this.interval = 1000 / (o.fps ?? 30);
    this.maxClients = o.maxClients ?? 16;
    this.handshakeMs = o.handshakeMs ?? 10_000;
    this.logLine = o.log ?? ((line) => console.error(`display: ${line}`));
    this.tiles = new DirtyTiles(o.framebuffer);
  }

  get grid(): TileGrid {
    return this.tiles;
  }

  get clients(): number {
    return this.sessions.size;
  }

  /** A new client on `transport`; feed it with the returned session's receive/drained/closed. */
  attach(transport: Transport, auth: RfbAuth, peer: string): RfbSession {
    const full = this.sessions.size >= this.maxClients;
    const s = new RfbSession(this, transport, auth, peer);
    this.sessions.add(s);
    if (full) s.fail(`too many clients (limit ${this.maxClients})`);
    return s;
  }

  /** The guest switched modes: a new framebuffer view, announced to every client. */
  setFramebuffer(fb: Framebuffer): void {
    this.framebuffer = fb;
    this.tiles = new DirtyTiles(fb);
    for (const s of this.sessions) s.resize();
    this.tick();
  }

  log(line: string): void {
    this.logLine(line);
  }

  wake(s: RfbSession): void {
    // Something already owed (a full request, a resize): answer now; else wait for a scan.
    if (s.hasWork) s.sendUpdate();
    else this.timer ??= setInterval(() => this.tick(), this.interval);
  }

  closed(s: RfbSession): void {
    this.sessions.delete(s);
    if (this.sessions.size === 0) this.stopTimer();
  }

  /** One frame: scan (only if someone waits), record changes for all, send to the ready. */
  tick(): void {
    const waiting = [...this.sessions].filter((s) => s.ready);
    if (waiting.length === 0) {
      this.stopTimer();
      return;
    }
    const changed = new Uint8Array(this.tiles.tilesX * this.tiles.tilesY);
    this.scans++;
    if (this.tiles.scan(changed) > 0) {
      for (const s of this.sessions) for (let i = 0; i < changed.length; i++) s.dirty[i]! |= changed[i]!;
    }
    for (const s of waiting) if (s.hasWork) s.sendUpdate();
  }

  /** Bytes written by sessions but not yet taken by their sockets. */
  queuedBytes(): number {
    let n = 0;
    for (const s of this.sessions) n += s.queuedBytes;
    return n;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stopTimer();
    for (const s of this.sessions) s.fail("display closed");
  }
}
