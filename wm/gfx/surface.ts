// A 32-bit XRGB pixel surface and the drawing primitives the desktop needs:
// rectangle fill, blit, glyphs and text, all clipped to the surface and to an
// optional clip rectangle, so no caller can write outside the pixel array.
import { glyphIndex, type BitmapFont } from "../font/psf.ts";
import { intersect, isEmpty, type Rect } from "./rect.ts";

/** 0xRRGGBB. */
export type Color = number;

export class Surface {
  readonly px: Uint32Array;
  /** Drawing is limited to this rectangle (the whole surface by default). */
  clip: Rect;

  constructor(readonly width: number, readonly height: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > 64 << 20) {
      throw new RangeError(`bad surface size ${width}x${height}`);
    }
    this.px = new Uint32Array(width * height);
    this.clip = { x: 0, y: 0, w: width, h: height };
  }

  bounds(): Rect {
    return { x: 0, y: 0, w: this.width, h: this.height };
  }

  /** Run `draw` with the clip narrowed to `r` (within the current clip). */
  withClip(r: Rect, draw: () => void): void {
    const saved = this.clip;
    this.clip = intersect(saved, r);
    try {
      if (!isEmpty(this.clip)) draw();
    } finally {
      this.clip = saved;
    }
  }

  fill(r: Rect, color: Color): void {
    const c = intersect(this.clip, r);
    if (isEmpty(c)) return;
    for (let y = c.y; y < c.y + c.h; y++) {
      const row = y * this.width;
      this.px.fill(color, row + c.x, row + c.x + c.w);
    }
  }

  /** A 1-pixel outline. */
  frame(r: Rect, color: Color): void {
    this.fill({ x: r.x, y: r.y, w: r.w, h: 1 }, color);
    this.fill({ x: r.x, y: r.y + r.h - 1, w: r.w, h: 1 }, color);
    this.fill({ x: r.x, y: r.y, w: 1, h: r.h }, color);
    this.fill({ x: r.x + r.w - 1, y: r.y, w: 1, h: r.h }, color);
  }

  /** Copy `src` (its rectangle `from`, default all of it) with its top-left at (dx, dy). */
  blit(src: Surface, dx: number, dy: number, from: Rect = src.bounds()): void {
    const s = intersect(src.bounds(), from);
    const d = intersect(this.clip, { x: dx + (s.x - from.x), y: dy + (s.y - from.y), w: s.w, h: s.h });
    if (isEmpty(d)) return;
    const sx = s.x + (d.x - (dx + (s.x - from.x)));
    const sy = s.y + (d.y - (dy + (s.y - from.y)));
    for (let row = 0; row < d.h; row++) {
      const so = (sy + row) * src.width + sx;
      this.px.set(src.px.subarray(so, so + d.w), (d.y + row) * this.width + d.x);
    }
  }

  /** One glyph cell at (x, y): foreground pixels, and the cell's background unless `bg` is null. */
  glyph(font: BitmapFont, cp: number, x: number, y: number, fg: Color, bg: Color | null): void {
    const c = intersect(this.clip, { x, y, w: font.width, h: font.height });
    if (isEmpty(c)) return;
    const g = glyphIndex(font, cp);
    const base = g * font.height * font.rowBytes;
    for (let py = c.y; py < c.y + c.h; py++) {
      const gy = py - y;
      const rowOff = base + gy * font.rowBytes;
      const out = py * this.width;
      for (let px = c.x; px < c.x + c.w; px++) {
        const gx = px - x;
        const on = (font.bitmaps[rowOff + (gx >> 3)]! & (0x80 >> (gx & 7))) !== 0;
        if (on) this.px[out + px] = fg;
        else if (bg !== null) this.px[out + px] = bg;
      }
    }
  }

  /** A line of text; returns the x after its last cell. */
  text(font: BitmapFont, s: string, x: number, y: number, fg: Color, bg: Color | null = null): number {
    for (const ch of s) {
      this.glyph(font, ch.codePointAt(0)!, x, y, fg, bg);
      x += font.width;
    }
    return x;
  }
}
