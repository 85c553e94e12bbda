// Tiling: master/stack. The first window takes `ratio` of the width, the rest
// share the remaining column top to bottom. Pure, so it is tested directly.
import type { Rect } from "../gfx/rect.ts";

export function tile(area: Rect, count: number, ratio: number): Rect[] {
  if (count <= 0) return [];
  if (count === 1) return [{ ...area }];
  const mw = Math.round(area.w * Math.min(0.85, Math.max(0.15, ratio)));
  const out: Rect[] = [{ x: area.x, y: area.y, w: mw, h: area.h }];
  const n = count - 1;
  for (let i = 0; i < n; i++) {
    const y0 = area.y + Math.round((area.h * i) / n);
    const y1 = area.y + Math.round((area.h * (i + 1)) / n);
    out.push({ x: area.x + mw, y: y0, w: area.w - mw, h: y1 - y0 });
  }
  return out;
}

/** Where the n-th floating window opens: cascaded 30 px apart, at most 800x500. */
export function cascade(area: Rect, n: number): Rect {
  return { x: area.x + 40 + ((n * 30) % 200), y: area.y + 30 + ((n * 30) % 160), w: Math.min(800, area.w - 40), h: Math.min(500, area.h - 40) };
}
