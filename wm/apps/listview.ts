// The shape shared by the text apps (monitor, logs, files, settings): a list of
// lines with a selection, scrolled with the keyboard, mouse wheel or clicks,
// redrawn when the app's data changes (optionally on a timer while open).
import { terminus } from "../font/terminus.ts";
import type { PointerEvent } from "../input/hub.ts";
import type { KeyEvent } from "../input/keymap.ts";
import type { App, AppHost } from "./app.ts";

export interface Line {
  text: string;
  tone?: "text" | "dim" | "accent";
}

export abstract class ListApp implements App {
  abstract title: string;
  protected host!: AppHost;
  protected selected = 0;
  protected top = 0;
  protected shown: Line[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly refreshMs = 0) {}

  /** The app's current lines. */
  protected abstract lines(): Line[];
  /** Enter (or a double action key) on the selected line. */
  protected activate(_index: number): void {}
  /** Keys the list does not use itself; return true when handled. */
  protected otherKey(_e: KeyEvent): boolean {
    return false;
  }
  /** A status line drawn at the bottom (key hints). */
  protected footer(): string {
    return "";
  }

  start(host: AppHost): void {
    this.host = host;
    this.refresh();
    if (this.refreshMs) this.timer = setInterval(() => this.refresh(), this.refreshMs);
  }

  refresh(): void {
    this.shown = this.lines();
    this.selected = Math.max(0, Math.min(this.selected, this.shown.length - 1));
    this.draw();
  }

  private visibleRows(): number {
    return Math.max(1, Math.floor(this.host.surface.height / terminus().height) - 1);
  }

  protected draw(): void {
    const s = this.host.surface;
    const t = this.host.theme();
    const f = terminus();
    const rows = this.visibleRows();
    if (this.selected < this.top) this.top = this.selected;
    if (this.selected >= this.top + rows) this.top = this.selected - rows + 1;
    s.fill(s.bounds(), t.windowBg);
    for (let i = 0; i < rows && this.top + i < this.shown.length; i++) {
      const n = this.top + i;
      const line = this.shown[n]!;
      const y = i * f.height;
      if (n === this.selected) s.fill({ x: 0, y, w: s.width, h: f.height }, t.selection);
      s.text(f, line.text, 4, y, line.tone === "dim" ? t.dim : line.tone === "accent" ? t.accent : t.text);
    }
    const foot = this.footer();
    if (foot) {
      const y = rows * f.height;
      s.fill({ x: 0, y, w: s.width, h: f.height }, t.overlayBg);
      s.text(f, foot, 4, y, t.dim);
    }
    this.host.damage();
  }

  resized(): void {
    this.draw();
  }

  private move(to: number): void {
    this.selected = Math.max(0, Math.min(this.shown.length - 1, to));
    this.draw();
  }

  key(e: KeyEvent): void {
    if (!e.down) return;
    const page = this.visibleRows() - 1;
    switch (e.key) {
      case "ArrowUp": return this.move(this.selected - 1);
      case "ArrowDown": return this.move(this.selected + 1);
      case "PageUp": return this.move(this.selected - page);
      case "PageDown": return this.move(this.selected + page);
      case "Home": return this.move(0);
      case "End": return this.move(this.shown.length - 1);
      case "Enter": return this.activate(this.selected);
    }
    if (this.otherKey(e)) this.draw();
  }

  pointer(e: PointerEvent): void {
    if (e.wheel) return this.move(this.selected - e.wheel * 3);
    if (e.changed & 1 && e.buttons & 1) {
      const n = this.top + Math.floor(e.y / terminus().height);
      if (n === this.selected) this.activate(n);
      else if (n < this.shown.length) this.move(n);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
