// Convert XRGB8888 pixels to the framebuffer's own format (from its bitfields).
import type { FbGeometry } from "./screeninfo.ts";

/** True when the device's pixels are XRGB8888 little-endian: rows can be copied as they are. */
export function isNativeXrgb(g: FbGeometry): boolean {
  return g.bitsPerPixel === 32 && g.red.offset === 16 && g.green.offset === 8 && g.blue.offset === 0 && g.red.length === 8 && g.green.length === 8 && g.blue.length === 8;
}

/** Pack one 0xRRGGBB pixel into the device's bitfields. */
export function packPixel(g: FbGeometry, rgb: number): number {
  const ch = (v: number, bf: { offset: number; length: number }) => (v >> (8 - bf.length)) << bf.offset;
  return (ch((rgb >> 16) & 0xff, g.red) | ch((rgb >> 8) & 0xff, g.green) | ch(rgb & 0xff, g.blue)) >>> 0;
}

/** Write `count` pixels from `src` at `srcOff` into device memory `dst` at byte offset `dstOff`. */
export function writeRow(g: FbGeometry, src: Uint32Array, srcOff: number, count: number, dst: Uint8Array, dstOff: number): void {
  const bpp = g.bitsPerPixel >> 3;
  if (dstOff < 0 || dstOff + count * bpp > dst.length) throw new RangeError("framebuffer write out of bounds");
  if (isNativeXrgb(g) && (dst.byteOffset + dstOff) % 4 === 0) {
    new Uint32Array(dst.buffer, dst.byteOffset + dstOff, count).set(src.subarray(srcOff, srcOff + count));
    return;
  }
  for (let i = 0; i < count; i++) {
    const p = packPixel(g, src[srcOff + i]!);
    const o = dstOff + i * bpp;
    dst[o] = p & 0xff;
    dst[o + 1] = (p >> 8) & 0xff;
    if (bpp >= 3) dst[o + 2] = (p >> 16) & 0xff;
    if (bpp === 4) dst[o + 3] = (p >>> 24) & 0xff;
  }
}
