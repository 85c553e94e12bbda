// What an app implements, and what the window manager gives it: a surface to draw
// its client area on, damage reporting, the desktop clipboard and the theme.
import type { Surface } from "../gfx/surface.ts";
import type { Rect } from "../gfx/rect.ts";
import type { KeyEvent } from "../input/keymap.ts";
import type { PointerEvent } from "../input/hub.ts";
import type { Theme } from "../theme.ts";

export interface AppHost {
  /** The client area, resized by the window manager (then `resized()` is called). */
  readonly surface: Surface;
  /** Mark part (default all) of the client area changed; the compositor redraws it. */
  damage(r?: Rect): void;
  setTitle(title: string): void;
  close(): void;
  theme(): Theme;
  clipboard: { get(): string; set(text: string): void };
  open(url: string): void;
}

export interface App {
  title: string;
  start(host: AppHost): void;
  /** The surface changed size: redraw everything. */
  resized(): void;
  key(e: KeyEvent): void;
  /** Pointer in client coordinates. */
  pointer?(e: PointerEvent): void;
  /** The window is closing: release processes, timers, files. */
  stop(): void;
}
