// Streams behind the shell's file descriptors. Builtins run in-process, so a
// descriptor is either a real OS fd (handed straight to child processes) or an
// in-process object (pipe between builtins, capture for `$(...)`, here-doc text).
import * as fs from "node:fs";

const enc = new TextEncoder();

/** Writing to a pipe whose reader has gone: the in-process SIGPIPE. */
export class BrokenPipe extends Error {
  constructor() {
    super("broken pipe");
  }
}

export interface Stream {
  /** The OS descriptor backing this stream, if any. */
  readonly osFd?: number;
  /** Next chunk, or null at end of input. */
  read(): Promise<Uint8Array | null>;
  /** Gives bytes back so the next read returns them first (lets `read` stop at a newline). */
  unread(chunk: Uint8Array): void;
  write(data: Uint8Array | string): Promise<void>;
  /** Releases what this stream owns (an fd opened for a redirection, a pipe end). */
  close(): void;
  /** True when reads one byte at a time are needed to leave the rest for other processes. */
  readonly shared?: boolean;
}

const toBytes = (d: Uint8Array | string) => (typeof d === "string" ? enc.encode(d) : d);

/** A real file descriptor. Reads and writes are synchronous system calls, which is what a process would do. */
export class FdStream implements Stream {
  private back: Uint8Array[] = [];
  readonly shared: boolean;
  constructor(
    readonly osFd: number,
    private readonly owned = false,
  ) {
    // An inherited descriptor may be read next by a child process: never read ahead on it.
    this.shared = !owned;
  }
  async read(): Promise<Uint8Array | null> {
    if (this.back.length) return this.back.shift()!;
    const buf = new Uint8Array(65536);
    for (;;) {
      try {
        const n = fs.readSync(this.osFd, buf, 0, buf.length, null);
        return n === 0 ? null : buf.subarray(0, n);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") await Bun.sleep(5);
        else if (code === "EINTR") continue;
        else if (code === "EISDIR") throw new Error("Is a directory");
        else return null;
      }
    }
  }
  /** One byte, for line reads on shared descriptors. */
  readByte(): number | null {
    if (this.back.length) {
      const b = this.back[0]!;
      const v = b[0]!;
      if (b.length === 1) this.back.shift();
      else this.back[0] = b.subarray(1);
      return v;
    }
    const buf = new Uint8Array(1);
    for (;;) {
      try {
        return fs.readSync(this.osFd, buf, 0, 1, null) === 0 ? null : buf[0]!;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") Bun.sleepSync(5);
        else if (code !== "EINTR") return null;
      }
    }
  }
  unread(chunk: Uint8Array): void {
    if (chunk.length) this.back.unshift(chunk);
  }
  async write(data: Uint8Array | string): Promise<void> {
    writeAllSync(this.osFd, toBytes(data));
  }
  close(): void {
    if (this.owned) {
      try {
        fs.closeSync(this.osFd);
      } catch {}
    }
  }
}

export function writeAllSync(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) {
    try {
      off += fs.writeSync(fd, b, off, b.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") Bun.sleepSync(1);
      else if (code === "EPIPE") throw new BrokenPipe();
      else if (code !== "EINTR") throw e;
    }
  }
}

const HIGH_WATER = 1 << 18;

/** An in-process pipe between two pipeline stages, with backpressure. */
export class Pipe implements Stream {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private writeClosed = false;
  private readClosed = false;
  private wakeReader: (() => void) | null = null;
  private wakeWriter: (() => void) | null = null;

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.chunks.length) {
        const c = this.chunks.shift()!;
        this.size -= c.length;
        if (this.size < HIGH_WATER) this.wake("writer");
        return c;
      }
      if (this.writeClosed || this.readClosed) return null;
      await new Promise<void>((r) => (this.wakeReader = r));
    }
  }
  unread(chunk: Uint8Array): void {
    if (!chunk.length) return;
    this.chunks.unshift(chunk);
    this.size += chunk.length;
  }
  async write(data: Uint8Array | string): Promise<void> {
    if (this.readClosed) throw new BrokenPipe();
    const b = toBytes(data);
    if (!b.length) return;
    this.chunks.push(b);
    this.size += b.length;
    this.wake("reader");
    while (this.size >= HIGH_WATER && !this.readClosed) await new Promise<void>((r) => (this.wakeWriter = r));
    if (this.readClosed) throw new BrokenPipe();
  }
  private wake(which: "reader" | "writer"): void {
    const f = which === "reader" ? this.wakeReader : this.wakeWriter;
    if (which === "reader") this.wakeReader = null;
    else this.wakeWriter = null;
    f?.();
  }
  /** The writing stage finished: the reader sees end of input. */
  closeWrite(): void {
    this.writeClosed = true;
    this.wake("reader");
  }
  /** The reading stage finished: further writes fail like SIGPIPE. */
  closeRead(): void {
    this.readClosed = true;
    this.chunks = [];
    this.size = 0;
    this.wake("writer");
    this.wake("reader");
  }
  close(): void {}
}

/** Fixed input: here-documents and tests. */
export class BufferStream implements Stream {
  private chunks: Uint8Array[];
  constructor(data: Uint8Array | string) {
    this.chunks = [toBytes(data)];
  }
  async read(): Promise<Uint8Array | null> {
    return this.chunks.shift() ?? null;
  }
  unread(chunk: Uint8Array): void {
    if (chunk.length) this.chunks.unshift(chunk);
  }
  async write(): Promise<void> {
    throw new Error("Bad file descriptor");
  }
  close(): void {}
}

/** Collects output: command substitution and tests. */
export class CaptureStream implements Stream {
  private chunks: Uint8Array[] = [];
  async read(): Promise<Uint8Array | null> {
    return null;
  }
  unread(): void {}
  async write(data: Uint8Array | string): Promise<void> {
    this.chunks.push(typeof data === "string" ? enc.encode(data) : data.slice());
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
  close(): void {}
}

/** Reads everything left on a stream. */
export async function readAll(s: Stream): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let c = await s.read(); c; c = await s.read()) parts.push(c.slice());
  return Buffer.concat(parts);
}

/**
 * One line (without its newline), or null at end of input. Never consumes past the
 * newline: on shared fds it reads byte by byte, elsewhere it gives back the rest.
 */
export async function readLine(s: Stream): Promise<{ line: string; eol: boolean } | null> {
  const bytes: number[] = [];
  if (s instanceof FdStream && s.shared) {
    for (;;) {
      const b = s.readByte();
      if (b === null) return bytes.length ? { line: Buffer.from(bytes).toString("utf8"), eol: false } : null;
      if (b === 10) return { line: Buffer.from(bytes).toString("utf8"), eol: true };
      bytes.push(b);
    }
  }
  const parts: Uint8Array[] = [];
  for (;;) {
    const c = await s.read();
    if (!c) {
      if (!parts.length) return null;
      return { line: Buffer.concat(parts).toString("utf8"), eol: false };
    }
    const nl = c.indexOf(10);
    if (nl < 0) {
      parts.push(c.slice());
      continue;
    }
    parts.push(c.subarray(0, nl));
    s.unread(c.slice(nl + 1));
    return { line: Buffer.concat(parts).toString("utf8"), eol: true };
  }
}

/** Iterates the lines of a stream (text after the last newline counts as a line). */
export async function* lines(s: Stream): AsyncGenerator<string> {
  const dec = new TextDecoder();
  let buf = "";
  for (let c = await s.read(); c; c = await s.read()) {
    buf += dec.decode(c, { stream: true });
    let nl: number;
    let start = 0;
    while ((nl = buf.indexOf("\n", start)) >= 0) {
      yield buf.slice(start, nl);
      start = nl + 1;
    }
    buf = buf.slice(start);
  }
  buf += dec.decode();
  if (buf) yield buf;
}
