// Server → client FramebufferUpdate messages (RFC 6143 7.6.1) in Raw, Zlib
// or ZRLE. Zlib and ZRLE need one zlib stream per connection; node's zlib has
// no synchronous streaming deflate, so each rectangle is deflated on its own
// with a sync flush — the first with the zlib header, later ones raw — which
// the client's single inflate stream reads as one continuing stream.
import { constants, deflateRawSync, deflateSync } from "node:zlib";
import type { Framebuffer, Rect } from "../framebuffer.ts";
import type { PixelWriter } from "./pixel-format.ts";

export const ENCODING = { RAW: 0, ZLIB: 6, ZRLE: 16, DESKTOP_SIZE: -223 } as const;
/** Pixel encodings we send, in our own preference when the client lists none we know. */
export const PIXEL_ENCODINGS: readonly number[] = [ENCODING.ZRLE, ENCODING.ZLIB, ENCODING.RAW];

const ZRLE_TILE = 64;
const ZLIB_LEVEL = 1; // desktop pixels compress well even at the fastest level

function rectHeader(r: Rect, encoding: number): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint16(0, r.x);
  v.setUint16(2, r.y);
  v.setUint16(4, r.w);
  v.setUint16(6, r.h);
  v.setInt32(8, encoding);
  return b;
}

export function updateHeader(count: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint16(2, count);
  return b;
}

/** A DesktopSize pseudo-rectangle telling the client the screen's new size. */
export function desktopSizeRect(width: number, height: number): Uint8Array {
  return rectHeader({ x: 0, y: 0, w: width, h: height }, ENCODING.DESKTOP_SIZE);
}

/** One client's encoder: its pixel format and its zlib streams' state. */
export class RectEncoder {
  private readonly streamsStarted = new Set<number>();

  constructor(public writer: PixelWriter) {}

  /** The chunks of one rectangle (header + payload) in `encoding`. */
  encode(fb: Framebuffer, r: Rect, encoding: number): Uint8Array[] {
    if (encoding === ENCODING.ZLIB) {
      const raw = new Uint8Array(this.writer.size(r));
      this.writer.write(fb, r, raw, 0);
      return [rectHeader(r, encoding), ...this.deflate(encoding, raw)];
    }
    if (encoding === ENCODING.ZRLE) return [rectHeader(r, encoding), ...this.deflate(encoding, this.zrleTiles(fb, r))];
    const raw = new Uint8Array(this.writer.size(r));
    this.writer.write(fb, r, raw, 0);
    return [rectHeader(r, ENCODING.RAW), raw];
  }

  private deflate(stream: number, data: Uint8Array): Uint8Array[] {
    const opts = { finishFlush: constants.Z_SYNC_FLUSH, level: ZLIB_LEVEL };
    const z = this.streamsStarted.has(stream) ? deflateRawSync(data, opts) : deflateSync(data, opts);
    this.streamsStarted.add(stream);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, z.length);
    return [len, z];
  }

  /** ZRLE tile data (RFC 6143 7.7.6): solid tiles as one CPIXEL, others raw. */
  private zrleTiles(fb: Framebuffer, r: Rect): Uint8Array {
    const cp = this.writer.cpixelBytes;
    const out = new Uint8Array(this.writer.size(r, true) + Math.ceil(r.w / ZRLE_TILE) * Math.ceil(r.h / ZRLE_TILE));
    let at = 0;
    for (let ty = r.y; ty < r.y + r.h; ty += ZRLE_TILE) {
      for (let tx = r.x; tx < r.x + r.w; tx += ZRLE_TILE) {
        const t = { x: tx, y: ty, w: Math.min(ZRLE_TILE, r.x + r.w - tx), h: Math.min(ZRLE_TILE, r.y + r.h - ty) };
        const start = at + 1;
        const end = this.writer.write(fb, t, out, start, true);
        if (isSolid(out, start, end, cp)) {
          out[at] = 1;
          at = start + cp;
        } else {
          out[at] = 0;
          at = end;
        }
      }
    }
    return out.subarray(0, at);
  }
}

function isSolid(b: Uint8Array, start: number, end: number, size: number): boolean {
  for (let i = start + size; i < end; i += size) {
    for (let k = 0; k < size; k++) if (b[i + k] !== b[start + k]) return false;
  }
  return true;
}
