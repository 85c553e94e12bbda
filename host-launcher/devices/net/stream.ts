// QEMU's "stream" netdev framing, which passt speaks on its unix socket: each Ethernet frame is
// preceded by its length as a 4-byte big-endian integer.
//
// Public API (stable):
//   encodeStreamFrame(frame): Uint8Array
//   class StreamDecoder { push(bytes): Uint8Array[] }   throws StreamError on an impossible length
//   connectStream(path): Promise<StreamBackend>          a NetBackend over a unix stream socket
//   MAX_FRAME
import { SocketWriter } from "../../../lib/control/socket-writer.ts";
import type { NetBackend } from "../virtio/net.ts";

/** Largest frame accepted either way: a 64 KiB (GSO-sized) payload plus Ethernet and VLAN headers. */
export const MAX_FRAME = 65536 + 18;

export class StreamError extends Error {
  readonly code = "ENETSTREAM";
}

export function encodeStreamFrame(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + frame.length);
  new DataView(out.buffer).setUint32(0, frame.length);
  out.set(frame, 4);
  return out;
}

export class StreamDecoder {
  private buf = new Uint8Array(0);

  /** Whole frames completed by `bytes`; a partial one is kept for the next call. */
  push(bytes: Uint8Array): Uint8Array[] {
    const merged = new Uint8Array(this.buf.length + bytes.length);
    merged.set(this.buf);
    merged.set(bytes, this.buf.length);
    const frames: Uint8Array[] = [];
    let at = 0;
    while (merged.length - at >= 4) {
      const len = new DataView(merged.buffer, at).getUint32(0);
      if (len === 0 || len > MAX_FRAME) throw new StreamError(`stream peer sent a frame length of ${len}`);
      if (merged.length - at - 4 < len) break;
      frames.push(merged.slice(at + 4, at + 4 + len));
      at += 4 + len;
    }
    this.buf = merged.slice(at);
    return frames;
  }
}

/** A NetBackend over a connected unix stream socket (passt's, or any QEMU stream peer). */
export class StreamBackend implements NetBackend {
  onFrame: ((frame: Uint8Array) => void) | undefined;
  /** Called once when the peer goes away or breaks the framing. */
  onClose: ((why: string) => void) | undefined;
  closed = false;

  constructor(
    private readonly writer: SocketWriter,
    private readonly end: () => void,
  ) {}

  send(frame: Uint8Array): void {
    if (!this.closed) this.writer.write(encodeStreamFrame(frame));
  }

  /** @internal */
  finish(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose?.(why);
  }

  close(): void {
    this.finish("closed by the launcher");
    this.end();
  }
}

export async function connectStream(path: string): Promise<StreamBackend> {
  const decoder = new StreamDecoder();
  let backend: StreamBackend | undefined;
  let writer: SocketWriter | undefined;
  const sock = await Bun.connect({
    unix: path,
    socket: {
      data(s, d) {
        try {
          for (const f of decoder.push(new Uint8Array(d))) backend?.onFrame?.(f);
        } catch (e) {
          backend?.finish((e as Error).message);
          s.end();
        }
      },
      drain: () => writer?.drain(),
      close: () => backend?.finish("stream peer closed the connection"),
      error: (_s, e) => backend?.finish(e.message),
    },
  });
  writer = new SocketWriter(sock);
  backend = new StreamBackend(writer, () => sock.end());
  return backend;
}
