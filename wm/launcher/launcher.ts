// The launcher: Super opens it, typing filters the apps, Enter opens the chosen
// one by its tsos:// URL, Escape closes it.
import type { BitmapFont } from "../font/psf.ts";
import type { Surface } from "../gfx/surface.ts";
import type { Rect } from "../gfx/rect.ts";
import type { KeyEvent } from "../input/keymap.ts";
import type { Theme } from "../theme.ts";

export interface LauncherEntry {
  url: string;
  name: string;
  description: string;
}

export const LAUNCHER_W = 560;
const ROW = 20;

export class Launcher {
  query = "";
  selected = 0;

  constructor(private readonly entries: LauncherEntry[]) {}

  matches(): LauncherEntry[] {
    const q = this.query.toLowerCase();
    return this.entries.filter((e) => e.name.toLowerCase().includes(q) || e.url.includes(q) || e.description.toLowerCase().includes(q));
  }

  reset(): void {
    this.query = "";
    this.selected = 0;
  }

  /** Where it sits on a screen of this size. */
  rect(screen: { width: number; height: number }): Rect {
    const h = ROW * (this.entries.length + 2) + 12;
    return { x: Math.round((screen.width - LAUNCHER_W) / 2), y: Math.round(screen.height / 5), w: LAUNCHER_W, h };
  }

  /** Handle a key; returns the URL to open on Enter, "close" on Escape, else null. */
  key(e: KeyEvent): string | "close" | null {
    if (!e.down) return null;
    const m = this.matches();
    if (e.key === "Escape") return "close";
    if (e.key === "Enter") return m[this.selected]?.url ?? null;
    if (e.key === "ArrowDown") this.selected = Math.min(m.length - 1, this.selected + 1);
    else if (e.key === "ArrowUp") this.selected = Math.max(0, this.selected - 1);
    else if (e.key === "Backspace") this.query = this.query.slice(0, -1);
    else if (e.char && !e.mods.ctrl && !e.mods.alt && this.query.length < 40) this.query += e.char;
    this.selected = Math.max(0, Math.min(this.selected, this.matches().length - 1));
    return null;
  }

  draw(s: Surface, r: Rect, font: BitmapFont, t: Theme): void {
    s.withClip(r, () => this.drawInside(s, r, font, t));
  }

  private drawInside(s: Surface, r: Rect, font: BitmapFont, t: Theme): void {
    s.fill(r, t.overlayBg);
    s.frame(r, t.accent);
    const x = r.x + 10;
    let y = r.y + 6;
    s.text(font, `Open: ${this.query}_`, x, y + 2, t.text);
    y += ROW + 4;
    s.fill({ x: r.x + 1, y: y - 3, w: r.w - 2, h: 1 }, t.dim);
    this.matches().forEach((e, i) => {
      if (i === this.selected) s.fill({ x: r.x + 1, y, w: r.w - 2, h: ROW }, t.selection);
      s.text(font, e.name.padEnd(10) + e.url.padEnd(18) + e.description, x, y + 2, i === this.selected ? t.accent : t.text);
      y += ROW;
    });
  }
}
