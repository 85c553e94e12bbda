// Reading the desktop's text back from a screenshot: the desktop draws with its
// own bitmap font, so the expected pixels of any string are known exactly.
import { terminus } from "../../wm/font/terminus.ts";
import { glyphIndex, glyphPixel } from "../../wm/font/psf.ts";
import type { Image } from "./vnc.ts";

/** Does `text` appear with its top-left at (x, y): every glyph pixel `fg`, every other pixel not `fg`? */
export function textAt(img: Image, x: number, y: number, text: string, fg: number): boolean {
  const f = terminus();
  let cx = x;
  for (const ch of text) {
    const g = glyphIndex(f, ch.codePointAt(0)!);
    for (let gy = 0; gy < f.height; gy++) {
      for (let gx = 0; gx < f.width; gx++) {
        if (cx + gx >= img.width || y + gy >= img.height) return false;
        if (glyphPixel(f, g, gx, gy) !== (img.rgb(cx + gx, y + gy) === fg)) return false;
      }
    }
    cx += f.width;
  }
  return true;
}

/** The first glyph row (y in [y0, y1) stepping by the font height) where `text` starts at x, or -1. */
export function findTextRow(img: Image, x: number, y0: number, y1: number, text: string, fg: number): number {
  for (let y = y0; y + terminus().height <= y1; y += terminus().height) if (textAt(img, x, y, text, fg)) return y;
  return -1;
}
