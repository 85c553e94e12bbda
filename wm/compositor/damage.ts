// Damage bookkeeping: rectangles clipped to the screen, overlapping ones merged,
// and a cap so a storm of small updates becomes one bounding box.
import { area, intersect, isEmpty, union, type Rect } from "../gfx/rect.ts";

const MAX_RECTS = 16;

export class Damage {
  private rects: Rect[] = [];

  constructor(private readonly screen: Rect) {}

  add(r: Rect): void {
    const c = intersect(this.screen, r);
    if (!isEmpty(c)) this.rects.push(c);
  }

  get pending(): boolean {
    return this.rects.length > 0;
  }

  /** The merged rectangles to redraw, emptying the list. */
  take(): Rect[] {
    let rs = this.rects;
    this.rects = [];
    let merged = true;
    while (merged) {
      merged = false;
      outer: for (let i = 0; i < rs.length; i++) {
        for (let j = i + 1; j < rs.length; j++) {
          const u = union(rs[i]!, rs[j]!);
          // Merge when they overlap or when the union wastes little area.
          if (!isEmpty(intersect(rs[i]!, rs[j]!)) || area(u) <= area(rs[i]!) + area(rs[j]!) + 4096) {
            rs[i] = u;
            rs.splice(j, 1);
            merged = true;
            break outer;
          }
        }
      }
    }
    if (rs.length > MAX_RECTS) rs = [rs.reduce(union)];
    return rs;
  }
}
