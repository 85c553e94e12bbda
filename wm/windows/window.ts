// A window: its frame on screen, the client surface its app draws on, and the
// parts of the frame the pointer can grab (title bar, close box, resize grip).
import type { App } from "../apps/app.ts";
import { Surface } from "../gfx/surface.ts";
import type { Rect } from "../gfx/rect.ts";

export const TITLE_H = 20;
export const BORDER = 1;
export const GRIP = 12;
export const MIN_W = 160;
export const MIN_H = 80;

export class Window {
  surface: Surface;
  fullscreen = false;
  /** The floating frame to return to after fullscreen or tiling. */
  floatingFrame: Rect;

  constructor(readonly id: number, readonly app: App, public frame: Rect, public url: string) {
    this.floatingFrame = { ...frame };
    const c = this.client();
    this.surface = new Surface(Math.max(1, c.w), Math.max(1, c.h));
  }

  /** Where the client surface goes on screen. */
  client(): Rect {
    if (this.fullscreen) return { ...this.frame };
    const f = this.frame;
    return { x: f.x + BORDER, y: f.y + TITLE_H, w: f.w - 2 * BORDER, h: f.h - TITLE_H - BORDER };
  }

  titleBar(): Rect {
    return { x: this.frame.x, y: this.frame.y, w: this.frame.w, h: TITLE_H };
  }

  closeBox(): Rect {
    return { x: this.frame.x + this.frame.w - TITLE_H, y: this.frame.y, w: TITLE_H, h: TITLE_H };
  }

  resizeGrip(): Rect {
    return { x: this.frame.x + this.frame.w - GRIP, y: this.frame.y + this.frame.h - GRIP, w: GRIP, h: GRIP };
  }

  /** Move/resize; a new client size gets a new surface and the app redraws. */
  setFrame(r: Rect): void {
    this.frame = { x: Math.round(r.x), y: Math.round(r.y), w: Math.max(MIN_W, Math.round(r.w)), h: Math.max(MIN_H, Math.round(r.h)) };
    const c = this.client();
    if (c.w !== this.surface.width || c.h !== this.surface.height) {
      this.surface = new Surface(Math.max(1, c.w), Math.max(1, c.h));
      this.app.resized();
    }
  }
}
