// Control-channel framing: "TSF1" magic, u32 big-endian length, UTF-8 JSON.
// The magic lets a reader resynchronise after garbage instead of trusting a
// random length; a length over MAX_FRAME is rejected, never allocated.

export const MAGIC = new Uint8Array([0x54, 0x53, 0x46, 0x31]); // "TSF1"
export const HEADER = 8;
export const MAX_FRAME = 8 << 20;

export function encodeFrame(msg: unknown): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify(msg));
  if (body.length > MAX_FRAME) throw new Error(`control frame of ${body.length} bytes exceeds ${MAX_FRAME}`);
  const out = new Uint8Array(HEADER + body.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, body.length);
  out.set(body, HEADER);
  return out;
}

export type Decoded = { kind: "message"; value: unknown } | { kind: "reject"; reason: string };

/**
 * Incremental decoder: push bytes, get whole messages and rejects (skipped
 * garbage, oversized or non-JSON frames) in order. Never throws on input.
 */
export class FrameDecoder {
  private buf: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Decoded[] {
    this.buf = concat(this.buf, chunk);
    const out: Decoded[] = [];
    for (;;) {
      const start = indexOfMagic(this.buf);
      if (start < 0) {
        // Keep a possible partial magic at the end; drop the rest as garbage.
        const keep = Math.min(this.buf.length, MAGIC.length - 1);
        if (this.buf.length > keep) out.push({ kind: "reject", reason: `skipped ${this.buf.length - keep} bytes of garbage` });
        this.buf = this.buf.slice(this.buf.length - keep);
        return out;
      }
      if (start > 0) {
        out.push({ kind: "reject", reason: `skipped ${start} bytes of garbage` });
        this.buf = this.buf.slice(start);
      }
      if (this.buf.length < HEADER) return out;
      const len = new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(4);
      if (len > MAX_FRAME) {
        out.push({ kind: "reject", reason: `frame length ${len} exceeds ${MAX_FRAME}` });
        this.buf = this.buf.slice(MAGIC.length); // resync on the next magic
        continue;
      }
      if (this.buf.length < HEADER + len) return out;
      const body = this.buf.subarray(HEADER, HEADER + len);
      this.buf = this.buf.slice(HEADER + len);
      try {
        out.push({ kind: "message", value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) });
      } catch (e) {
        out.push({ kind: "reject", reason: `frame is not UTF-8 JSON (${(e as Error).message.slice(0, 80)})` });
      }
    }
  }
}

function indexOfMagic(b: Uint8Array): number {
  outer: for (let i = 0; i + MAGIC.length <= b.length; i++) {
    for (let j = 0; j < MAGIC.length; j++) if (b[i + j] !== MAGIC[j]) continue outer;
    return i;
  }
  return -1;
}

// Always a fresh plain Uint8Array: callers reuse their read buffers, and a Node
// Buffer's slice() is a view, not a copy.
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return new Uint8Array(b);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
