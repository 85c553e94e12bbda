// RFB PIXEL_FORMAT (RFC 6143 7.4) and the conversion of XRGB8888 screen
// pixels into whatever true-colour format the client asked for.
import { BYTES_PER_PIXEL, type Framebuffer, type Rect } from "../framebuffer.ts";

export interface PixelFormat {
  bitsPerPixel: number;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

/** The screen's own layout, offered in ServerInit. */
export const XRGB8888: PixelFormat = {
  bitsPerPixel: 32, depth: 24, bigEndian: false, trueColour: true,
  redMax: 255, greenMax: 255, blueMax: 255, redShift: 16, greenShift: 8, blueShift: 0,
};

export function encodePixelFormat(pf: PixelFormat): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  b[0] = pf.bitsPerPixel;
  b[1] = pf.depth;
  b[2] = pf.bigEndian ? 1 : 0;
  b[3] = pf.trueColour ? 1 : 0;
  v.setUint16(4, pf.redMax);
  v.setUint16(6, pf.greenMax);
  v.setUint16(8, pf.blueMax);
  b[10] = pf.redShift;
  b[11] = pf.greenShift;
  b[12] = pf.blueShift;
  return b;
}

/** Parses and validates a client's PIXEL_FORMAT; a string says why it is refused. */
export function decodePixelFormat(b: Uint8Array): PixelFormat | string {
  const v = new DataView(b.buffer, b.byteOffset, 16);
  const pf: PixelFormat = {
    bitsPerPixel: b[0]!, depth: b[1]!, bigEndian: b[2] !== 0, trueColour: b[3] !== 0,
    redMax: v.getUint16(4), greenMax: v.getUint16(6), blueMax: v.getUint16(8),
    redShift: b[10]!, greenShift: b[11]!, blueShift: b[12]!,
  };
  if (![8, 16, 32].includes(pf.bitsPerPixel)) return `bits-per-pixel ${pf.bitsPerPixel} is not 8, 16 or 32`;
  if (!pf.trueColour) return "colour-map pixel formats are not supported";
  for (const [max, shift] of [[pf.redMax, pf.redShift], [pf.greenMax, pf.greenShift], [pf.blueMax, pf.blueShift]] as const) {
    // Each channel must be 2^n - 1 and fit inside the pixel at its shift.
    if (max === 0 || (max & (max + 1)) !== 0 || shift + Math.log2(max + 1) > pf.bitsPerPixel) {
      return `channel max ${max} at shift ${shift} does not fit ${pf.bitsPerPixel}-bit pixels`;
    }
  }
  return pf;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes screen rectangles in one client pixel format. */
export class PixelWriter {
  readonly bytesPerPixel: number;
  /** ZRLE's CPIXEL: 3 bytes when a 32-bit pixel's colour fits in 3 of its bytes. */
  readonly cpixelBytes: number;
  private readonly cpixelSkip: number; // which byte of the 4 a CPIXEL drops
  private readonly tr: Uint32Array;
  private readonly tg: Uint32Array;
  private readonly tb: Uint32Array;
  private readonly identity: boolean;

  constructor(readonly pf: PixelFormat) {
    this.bytesPerPixel = pf.bitsPerPixel / 8;
    this.tr = channelTable(pf.redMax, pf.redShift);
    this.tg = channelTable(pf.greenMax, pf.greenShift);
    this.tb = channelTable(pf.blueMax, pf.blueShift);
    const used = this.tr[255]! | this.tg[255]! | this.tb[255]!;
    this.identity = LITTLE_ENDIAN_HOST && !pf.bigEndian && pf.bitsPerPixel === 32 &&
      pf.redMax === 255 && pf.greenMax === 255 && pf.blueMax === 255 &&
      pf.redShift === 16 && pf.greenShift === 8 && pf.blueShift === 0;
    let skip = -1;
    if (pf.bitsPerPixel === 32 && pf.depth <= 24) {
      // Byte index (in wire order) of the unused byte, if the colour avoids one end.
      if ((used & 0xff000000) === 0) skip = pf.bigEndian ? 0 : 3;
      else if ((used & 0xff) === 0) skip = pf.bigEndian ? 3 : 0;
    }
    this.cpixelSkip = skip;
    this.cpixelBytes = skip >= 0 ? 3 : this.bytesPerPixel;
  }

  /** Bytes `write` needs for `r`. */
  size(r: Rect, cpixel = false): number {
    return r.w * r.h * (cpixel ? this.cpixelBytes : this.bytesPerPixel);
  }

  /** Writes `r`'s pixels row by row at out[at...]; returns the end offset. */
  write(fb: Framebuffer, r: Rect, out: Uint8Array, at: number, cpixel = false): number {
    const src = fb.pixels;
    const rowBytes = r.w * BYTES_PER_PIXEL;
    if (this.identity) {
      const drop = cpixel && this.cpixelSkip >= 0; // the X byte: CPIXEL is B G R
      for (let y = 0; y < r.h; y++) {
        const o = (r.y + y) * fb.stride + r.x * BYTES_PER_PIXEL;
        if (!drop) {
          out.set(src.subarray(o, o + rowBytes), at);
          at += rowBytes;
          continue;
        }
        for (let i = o; i < o + rowBytes; i += 4) {
          out[at++] = src[i]!;
          out[at++] = src[i + 1]!;
          out[at++] = src[i + 2]!;
        }
      }
      return at;
    }
    const { tr, tg, tb } = this;
    const bpp = cpixel ? this.cpixelBytes : this.bytesPerPixel;
    const big = this.pf.bigEndian;
    const skip = cpixel ? this.cpixelSkip : -1;
    for (let y = 0; y < r.h; y++) {
      let o = (r.y + y) * fb.stride + r.x * BYTES_PER_PIXEL;
      for (let x = 0; x < r.w; x++, o += 4) {
        const v = (tr[src[o + 2]!]! | tg[src[o + 1]!]! | tb[src[o]!]!) >>> 0;
        if (bpp === 1) out[at++] = v;
        else if (bpp === 2) {
          out[at++] = big ? v >> 8 : v;
          out[at++] = big ? v : v >> 8;
        } else {
          for (let i = 0; i < 4; i++) {
            if (i === skip) continue;
            out[at++] = v >>> (big ? 24 - 8 * i : 8 * i);
          }
        }
      }
    }
    return at;
  }
}

/** 8-bit channel value → its bits in the client's pixel, rounded to the client's max. */
function channelTable(max: number, shift: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) t[i] = (Math.round((i * max) / 255) << shift) >>> 0;
  return t;
}
