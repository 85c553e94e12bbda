// The window manager: the window stack, focus, floating and tiling layouts,
// fullscreen, the launcher and help overlays, and where input goes. It paints
// the whole desktop through the compositor, which clips each paint to damage.
import type { App, AppHost } from "../apps/app.ts";
import type { Compositor } from "../compositor/compositor.ts";
import { drawPointer, pointerRect } from "../compositor/pointer.ts";
import type { BitmapFont } from "../font/psf.ts";
import { contains, type Rect } from "../gfx/rect.ts";
import type { Surface } from "../gfx/surface.ts";
import type { PointerEvent } from "../input/hub.ts";
import type { KeyEvent } from "../input/keymap.ts";
import { Launcher, type LauncherEntry } from "../launcher/launcher.ts";
import { THEMES, type Theme } from "../theme.ts";
import { drawHelp, helpRect } from "./help.ts";
import { cascade, tile } from "./layout.ts";
import { findShortcut, type Action } from "./shortcuts.ts";
import { BORDER, TITLE_H, Window } from "./window.ts";

export const PANEL_H = 20;

/** Makes the app for a URL, with the URL in its canonical form; null for an unknown one. */
export type AppFactory = (url: string) => { app: App; url: string } | null;

type Grab = { kind: "move" | "resize"; win: Window; dx: number; dy: number; start: Rect };

export class WindowManager {
  /** Bottom to top. */
  readonly stack: Window[] = [];
  /** Tiling order: the first is the master. */
  private order: Window[] = [];
  mode: "floating" | "tiling" = "floating";
  theme: Theme = THEMES.dark;
  launcherOpen = false;
  helpOpen = false;
  clipboard = "";
  private ratio = 0.55;
  private nextId = 1;
  private px = 0;
  private py = 0;
  private grab: Grab | null = null;
  /** Super went down and no other key since: its release opens the launcher. */
  private superAlone = false;
  private launcher: Launcher;
  private clockTimer: ReturnType<typeof setInterval> | undefined;
  private listeners: ((what: string) => void)[] = [];

  constructor(readonly compositor: Compositor, readonly font: BitmapFont, entries: LauncherEntry[], private readonly factory: AppFactory) {
    this.launcher = new Launcher(entries);
    const s = compositor.back;
    this.px = s.width >> 1;
    this.py = s.height >> 1;
  }

  get screen(): Surface {
    return this.compositor.back;
  }

  focused(): Window | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Events for the control socket and tests: "open tsos://x", "launcher", ... */
  onEvent(f: (what: string) => void): void {
    this.listeners.push(f);
  }

  private emit(what: string): void {
    for (const l of this.listeners) l(what);
  }

  start(): void {
    this.compositor.invalidate();
    // The clock: repaint only the panel, once a minute.
    const tick = () => this.compositor.invalidate(this.panelRect());
    this.clockTimer = setInterval(tick, 60_000 - (Date.now() % 60_000));
  }

  stop(): void {
    clearInterval(this.clockTimer);
    for (const w of [...this.stack]) this.closeWindow(w);
  }

  panelRect(): Rect {
    return { x: 0, y: 0, w: this.screen.width, h: PANEL_H };
  }

  workArea(): Rect {
    return { x: 0, y: PANEL_H, w: this.screen.width, h: this.screen.height - PANEL_H };
  }

  setTheme(name: Theme["name"]): void {
    this.theme = THEMES[name];
    for (const w of this.stack) w.app.resized();
    this.compositor.invalidate();
  }

  /** Open an app by URL; returns the window, or null for an unknown URL. */
  open(url: string): Window | null {
    const made = this.factory(url);
    if (!made) return null;
    const { app } = made;
    url = made.url;
    const win = new Window(this.nextId++, app, cascade(this.workArea(), this.stack.length), url);
    this.stack.push(win);
    this.order.push(win);
    app.start(this.hostFor(win));
    this.relayout();
    this.compositor.invalidate(win.frame);
    this.emit(`open ${url}`);
    return win;
  }

  private hostFor(win: Window): AppHost {
    const wm = this;
    return {
      get surface() {
        return win.surface;
      },
      damage: (r) => {
        const c = win.client();
        this.compositor.invalidate(r ? { x: c.x + r.x, y: c.y + r.y, w: r.w, h: r.h } : c);
      },
      setTitle: (t) => {
        win.app.title = t;
        this.compositor.invalidate(win.titleBar());
      },
      close: () => this.closeWindow(win),
      theme: () => wm.theme,
      clipboard: { get: () => wm.clipboard, set: (t) => void (wm.clipboard = t) },
      open: (url) => void this.open(url),
    };
  }

  closeWindow(win: Window): void {
    const i = this.stack.indexOf(win);
    if (i < 0) return;
    this.stack.splice(i, 1);
    this.order.splice(this.order.indexOf(win), 1);
    if (this.grab?.win === win) this.grab = null;
    win.app.stop();
    this.compositor.invalidate(win.frame);
    this.relayout();
    const top = this.focused();
    if (top) this.compositor.invalidate(top.titleBar());
    this.emit(`close ${win.url}`);
  }

  raise(win: Window): void {
    const i = this.stack.indexOf(win);
    if (i < 0 || i === this.stack.length - 1) return;
    const prev = this.focused();
    this.stack.splice(i, 1);
    this.stack.push(win);
    this.compositor.invalidate(win.frame);
    if (prev) this.compositor.invalidate(prev.titleBar());
  }

  private setFrame(win: Window, r: Rect): void {
    const before = win.frame;
    win.setFrame(r);
    this.compositor.invalidate(before);
    this.compositor.invalidate(win.frame);
  }

  /** Place windows for the current mode (tiling, fullscreen); floating frames stay as they are. */
  relayout(): void {
    const area = this.workArea();
    const tiled = this.order.filter((w) => !w.fullscreen);
    if (this.mode === "tiling") tile(area, tiled.length, this.ratio).forEach((r, i) => this.setFrame(tiled[i]!, r));
    for (const w of this.stack) if (w.fullscreen) this.setFrame(w, this.screen.bounds());
  }

  private act(a: Action): void {
    const f = this.focused();
    const step = 32;
    const nudge = (dx: number, dy: number, dw: number, dh: number) => {
      if (!f || f.fullscreen || this.mode === "tiling") return;
      this.setFrame(f, { x: f.frame.x + dx, y: f.frame.y + dy, w: f.frame.w + dw, h: f.frame.h + dh });
      f.floatingFrame = { ...f.frame };
    };
    switch (a) {
      case "launcher":
        this.toggleLauncher();
        break;
      case "terminal":
        this.open("tsos://terminal");
        break;
      case "close":
        if (f) this.closeWindow(f);
        break;
      case "toggle-tiling":
        this.mode = this.mode === "tiling" ? "floating" : "tiling";
        if (this.mode === "floating") for (const w of this.order) if (!w.fullscreen) this.setFrame(w, w.floatingFrame);
        this.relayout();
        this.compositor.invalidate(this.panelRect()); // it names the mode
        this.emit(`mode ${this.mode}`);
        break;
      case "fullscreen":
        if (!f) break;
        f.fullscreen = !f.fullscreen;
        if (!f.fullscreen) this.setFrame(f, f.floatingFrame);
        this.relayout();
        break;
      case "focus-next":
      case "focus-prev":
        if (this.stack.length > 1) {
          const w = a === "focus-next" ? this.stack[0]! : this.stack[this.stack.length - 2]!;
          this.raise(w);
          if (a === "focus-prev") {
            // Move the previous top to the bottom so repeated presses cycle.
            const old = this.stack.splice(this.stack.length - 2, 1)[0]!;
            this.stack.unshift(old);
          }
          this.compositor.invalidate();
        }
        break;
      case "make-master":
        if (f) {
          this.order.splice(this.order.indexOf(f), 1);
          this.order.unshift(f);
          this.relayout();
        }
        break;
      case "master-shrink":
      case "master-grow":
        this.ratio = Math.min(0.85, Math.max(0.15, this.ratio + (a === "master-grow" ? 0.05 : -0.05)));
        this.relayout();
        break;
      case "move-left": return nudge(-step, 0, 0, 0);
      case "move-right": return nudge(step, 0, 0, 0);
      case "move-up": return nudge(0, -step, 0, 0);
      case "move-down": return nudge(0, step, 0, 0);
      case "grow-width": return nudge(0, 0, step, 0);
      case "shrink-width": return nudge(0, 0, -step, 0);
      case "grow-height": return nudge(0, 0, 0, step);
      case "shrink-height": return nudge(0, 0, 0, -step);
      case "help":
        this.helpOpen = !this.helpOpen;
        this.compositor.invalidate(helpRect(this.screen));
        break;
    }
  }

  toggleLauncher(): void {
    this.launcherOpen = !this.launcherOpen;
    this.launcher.reset();
    this.compositor.invalidate(this.launcher.rect(this.screen));
    this.emit(this.launcherOpen ? "launcher open" : "launcher closed");
  }

  key(e: KeyEvent): void {
    if (e.key === "Super") {
      if (e.down && !e.repeat) this.superAlone = true;
      else if (!e.down && this.superAlone) this.act("launcher");
      return;
    }
    if (e.down) this.superAlone = false;
    if (e.mods.super) {
      const a = e.down ? findShortcut(e.key, e.mods.shift) : null;
      if (a) this.act(a);
      return;
    }
    if (this.launcherOpen) {
      const r = this.launcher.key(e);
      if (r === "close" || (r && this.open(r))) this.toggleLauncher();
      else this.compositor.invalidate(this.launcher.rect(this.screen));
      return;
    }
    if (this.helpOpen) {
      if (e.down && e.key === "Escape") this.act("help");
      return;
    }
    this.focused()?.app.key(e);
  }

  pointer(e: PointerEvent): void {
    if (e.x !== this.px || e.y !== this.py) {
      this.compositor.invalidate(pointerRect(this.px, this.py));
      this.px = e.x;
      this.py = e.y;
      this.compositor.invalidate(pointerRect(this.px, this.py));
    }
    const g = this.grab;
    if (g) {
      if (!(e.buttons & 1)) this.grab = null;
      else if (g.kind === "move") this.setFrame(g.win, { ...g.win.frame, x: e.x - g.dx, y: Math.max(PANEL_H, e.y - g.dy) });
      else this.setFrame(g.win, { ...g.win.frame, w: g.start.w + e.x - g.dx, h: g.start.h + e.y - g.dy });
      if (!this.grab) g.win.floatingFrame = { ...g.win.frame };
      return;
    }
    const pressed = e.changed & e.buttons;
    const win = this.windowAt(e.x, e.y);
    if (pressed && this.launcherOpen && !contains(this.launcher.rect(this.screen), e.x, e.y)) this.toggleLauncher();
    if (!win) return;
    if (pressed) this.raise(win);
    const c = win.client();
    if (contains(c, e.x, e.y) && !(pressed & 1 && !win.fullscreen && contains(win.resizeGrip(), e.x, e.y))) {
      win.app.pointer?.({ ...e, x: e.x - c.x, y: e.y - c.y });
      return;
    }
    if (!(pressed & 1)) return;
    if (contains(win.closeBox(), e.x, e.y)) this.closeWindow(win);
    else if (contains(win.resizeGrip(), e.x, e.y) && this.mode === "floating") this.grab = { kind: "resize", win, dx: e.x, dy: e.y, start: { ...win.frame } };
    else if (contains(win.titleBar(), e.x, e.y) && this.mode === "floating") this.grab = { kind: "move", win, dx: e.x - win.frame.x, dy: e.y - win.frame.y, start: { ...win.frame } };
  }

  private windowAt(x: number, y: number): Window | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (contains(this.stack[i]!.frame, x, y)) return this.stack[i];
    return undefined;
  }

  /** Paint everything (the compositor has set the clip to a damaged rectangle). */
  paint(s: Surface): void {
    const t = this.theme;
    s.fill(s.bounds(), t.desktop);
    this.paintPanel(s);
    const top = this.focused();
    for (const w of this.stack) this.paintWindow(s, w, w === top);
    if (this.helpOpen) drawHelp(s, this.font, t);
    if (this.launcherOpen) this.launcher.draw(s, this.launcher.rect(s), this.font, t);
    drawPointer(s, this.px, this.py);
  }

  private paintPanel(s: Surface): void {
    const t = this.theme;
    const r = this.panelRect();
    s.fill(r, t.panel);
    s.text(this.font, "tsos", 8, 2, t.accent);
    s.text(this.font, `Super: launcher   Super+/: help   ${this.mode}`, 56, 2, t.panelText);
    const d = new Date();
    const clock = `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
    s.text(this.font, clock, r.w - 8 - clock.length * this.font.width, 2, t.panelText);
  }

  private paintWindow(s: Surface, w: Window, active: boolean): void {
    const t = this.theme;
    const c = w.client();
    if (!w.fullscreen) {
      s.frame(w.frame, t.border);
      const bar = w.titleBar();
      s.fill({ x: bar.x + BORDER, y: bar.y + BORDER, w: bar.w - 2 * BORDER, h: TITLE_H - BORDER }, active ? t.titleActive : t.titleInactive);
      s.withClip({ x: bar.x, y: bar.y, w: bar.w - TITLE_H, h: TITLE_H }, () => s.text(this.font, w.app.title, bar.x + 6, bar.y + 2, t.titleText));
      const cb = w.closeBox();
      s.text(this.font, "x", cb.x + 6, cb.y + 2, t.titleText);
    }
    s.blit(w.surface, c.x, c.y);
    if (!w.fullscreen && this.mode === "floating") {
      const g = w.resizeGrip();
      s.fill({ x: g.x + g.w - 4, y: g.y + g.h - 4, w: 3, h: 3 }, t.dim);
    }
  }
}
