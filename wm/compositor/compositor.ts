// The compositor: a back buffer the size of the screen, damage rectangles, and
// a frame scheduled only when something changed. Each frame repaints the
// damaged rectangles (the painter is clipped to each) and copies just those to
// the framebuffer, so an idle desktop costs no CPU at all.
import { Surface } from "../gfx/surface.ts";
import type { Rect } from "../gfx/rect.ts";
import { Damage } from "./damage.ts";

export interface Display {
  width: number;
  height: number;
  present(back: Surface, rects: Rect[]): void;
}

export interface FrameStats {
  frames: number;
  /** performance.now() at the end of the first frame. */
  firstFrameAt: number | null;
  lastFrameMs: number;
  pixels: number;
}

export class Compositor {
  readonly back: Surface;
  readonly stats: FrameStats = { frames: 0, firstFrameAt: null, lastFrameMs: 0, pixels: 0 };
  private damage: Damage;
  private scheduled = false;
  private listeners: ((s: FrameStats) => void)[] = [];

  constructor(private readonly display: Display, private readonly paint: (s: Surface) => void) {
    this.back = new Surface(display.width, display.height);
    this.damage = new Damage(this.back.bounds());
  }

  invalidate(r: Rect = this.back.bounds()): void {
    this.damage.add(r);
    if (!this.scheduled && this.damage.pending) {
      this.scheduled = true;
      // A macrotask: every input event already queued lands in the same frame.
      setTimeout(() => this.frame(), 0);
    }
  }

  /** Called after each frame (tests and the benchmark use it). */
  onFrame(f: (s: FrameStats) => void): void {
    this.listeners.push(f);
  }

  frame(): void {
    this.scheduled = false;
    const rects = this.damage.take();
    if (rects.length === 0) return;
    const t0 = performance.now();
    for (const r of rects) this.back.withClip(r, () => this.paint(this.back));
    this.display.present(this.back, rects);
    this.stats.frames++;
    this.stats.lastFrameMs = performance.now() - t0;
    this.stats.pixels += rects.reduce((n, r) => n + r.w * r.h, 0);
    this.stats.firstFrameAt ??= performance.now();
    for (const l of this.listeners) l(this.stats);
  }
}
