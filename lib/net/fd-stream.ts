// A node Duplex over an already-connected stream socket fd of any family
// (AF_VSOCK, AF_UNIX). Bun has no AF_VSOCK and net.Socket({ fd }) does not work
// for foreign fds in Bun 1.4, but Bun.connect({ fd }) adopts one into its event
// loop; this wraps that for libraries that want a net.Socket-like stream (ssh2).
import { Duplex } from "node:stream";
import { SocketWriter } from "../control/socket-writer.ts";

export class FdStream extends Duplex {
  readonly remoteFamily: string;
  private sock?: Bun.Socket<undefined>;
  private writer?: SocketWriter;
  private early: { chunk: Uint8Array; cb: (e?: Error | null) => void }[] = [];
  private drained: (() => void)[] = [];

  /** remoteAddress is what servers log and key their per-source limits on (e.g. "vsock:3"). */
  constructor(fd: number, readonly remoteAddress: string, family = "vsock") {
    super();
    this.remoteFamily = family;
    const self = this;
    Bun.connect({
      fd,
      // The peer closing its side must not close ours: ssh2 may still be writing.
      allowHalfOpen: true,
      socket: {
        open(s: Bun.Socket<undefined>) {
          if (self.destroyed) return void s.end(); // destroyed before Bun adopted the fd
          self.sock = s;
          self.writer = new SocketWriter(s);
          for (const w of self.early.splice(0)) self._write(w.chunk, "binary", w.cb);
        },
        data(_s: unknown, d: Uint8Array) {
          self.push(Buffer.from(d));
        },
        drain() {
          self.writer?.drain();
          if (!self.writer?.pendingBytes) for (const f of self.drained.splice(0)) f();
        },
        end() {
          self.push(null);
        },
        close() {
          self.push(null);
          self.destroy();
        },
        error(_s: unknown, e: Error) {
          self.destroy(e);
        },
      },
    } as unknown as Parameters<typeof Bun.connect>[0]).catch((e: Error) => this.destroy(e));
  }

  override _read(): void {}

  override _write(chunk: Uint8Array, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (!this.writer) return void this.early.push({ chunk, cb });
    this.writer.write(chunk);
    // Hold the callback while bytes wait in our queue: that is the stream's backpressure.
    if (this.writer.pendingBytes) this.drained.push(() => cb());
    else cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    const end = () => {
      this.sock?.shutdown();
      cb();
    };
    if (this.writer?.pendingBytes) this.drained.push(end);
    else end();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.sock?.end();
    cb(err);
  }
}
