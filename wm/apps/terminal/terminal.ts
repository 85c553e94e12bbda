// tsos://terminal — a terminal emulator: @xterm/headless holds the screen state
// (escape sequences, colours, scrollback), tsh runs on a real PTY from Bun.spawn,
// and the grid is drawn with the desktop's bitmap font. Selection by dragging,
// Ctrl+Shift+C / Ctrl+Shift+V (or middle click) copy and paste.
import type { Subprocess } from "bun";
import { Terminal } from "@xterm/headless";
import { terminus } from "../../font/terminus.ts";
import type { PointerEvent } from "../../input/hub.ts";
import type { KeyEvent } from "../../input/keymap.ts";
import type { App, AppHost } from "../app.ts";
import { DirtyRows } from "./dirty.ts";
import { GridPainter, type Selection } from "./grid.ts";
import { keyBytes } from "./keys.ts";

const SCROLLBACK = 2000;

export interface TerminalOptions {
  command?: string[];
  env?: Record<string, string>;
}

export class TerminalApp implements App {
  title = "Terminal";
  private host!: AppHost;
  private term!: Terminal;
  private proc: Subprocess | undefined;
  private painter = new GridPainter(terminus());
  private pending = false;
  private sel: Selection | null = null;
  private anchor: { col: number; row: number } | null = null;
  private stopped = false;
  private dirty!: DirtyRows;
  /** The viewport row the cursor was drawn on last time. */
  private cursorRow = 0;

  constructor(private readonly opts: TerminalOptions = {}) {}

  private size(): { cols: number; rows: number } {
    const f = terminus();
    return { cols: Math.max(2, Math.floor(this.host.surface.width / f.width)), rows: Math.max(1, Math.floor(this.host.surface.height / f.height)) };
  }

  start(host: AppHost): void {
    this.host = host;
    const { cols, rows } = this.size();
    this.term = new Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true });
    this.dirty = new DirtyRows(this.term);
    // Replies the emulator generates (cursor position reports, device attributes) go back to the program.
    this.term.onData((d) => this.proc?.terminal?.write(d));
    this.term.onTitleChange((t) => host.setTitle(t || "Terminal"));
    const command = this.opts.command ?? ["/bin/tsh"];
    this.proc = Bun.spawn(command, {
      cwd: "/root",
      env: { PATH: "/bin:/sbin:/usr/bin:/usr/sbin", HOME: "/root", USER: "root", TERM: "xterm-256color", ...this.opts.env },
      terminal: {
        cols,
        rows,
        data: (_t, data) => this.term.write(data, () => this.schedule()),
      },
    });
    void this.proc.exited.then(() => {
      if (!this.stopped) host.close();
    });
    this.redrawAll();
  }

  /** Coalesce writes: draw once after the emulator has consumed what arrived. */
  private schedule(): void {
    if (this.pending || this.stopped) return;
    this.pending = true;
    setTimeout(() => {
      this.pending = false;
      this.draw();
    }, 0);
  }

  private draw(): void {
    if (this.stopped) return;
    const t = this.host.theme();
    const colors = { fg: t.text, bg: t.windowBg, cursor: t.accent, selection: t.selection };
    const b = this.term.buffer.active;
    // Scrolled back into history: the rows on screen are not the ones writes touch.
    if (b.viewportY !== b.baseY) this.dirty.all();
    const cursor = b.baseY + b.cursorY - b.viewportY;
    const rows = this.dirty.take(this.term.rows, [this.cursorRow, cursor]);
    this.cursorRow = cursor;
    for (const r of this.painter.paint(this.term, this.host.surface, colors, this.sel, true, rows)) this.host.damage(r);
  }

  private redrawAll(): void {
    this.host.surface.fill(this.host.surface.bounds(), this.host.theme().windowBg);
    this.painter.forget();
    this.dirty.all();
    this.draw();
    this.host.damage();
  }

  resized(): void {
    const { cols, rows } = this.size();
    if (cols !== this.term.cols || rows !== this.term.rows) {
      this.term.resize(cols, rows);
      this.proc?.terminal?.resize(cols, rows);
    }
    this.redrawAll();
  }

  private write(s: string): void {
    if (this.term.buffer.active.viewportY !== this.term.buffer.active.baseY) {
      this.term.scrollToBottom();
      this.dirty.all();
    }
    this.proc?.terminal?.write(s);
  }

  key(e: KeyEvent): void {
    if (!e.down) return;
    if (e.mods.ctrl && e.mods.shift && (e.key === "c" || e.key === "v")) {
      if (e.key === "c") this.host.clipboard.set(this.selectedText());
      else this.paste();
      return;
    }
    if (e.mods.shift && (e.key === "PageUp" || e.key === "PageDown")) {
      this.term.scrollLines((e.key === "PageUp" ? -1 : 1) * (this.term.rows - 1));
      this.dirty.all();
      this.draw();
      return;
    }
    const bytes = keyBytes(e, this.term.modes.applicationCursorKeysMode);
    if (bytes !== null) {
      if (this.sel) this.setSelection(null);
      this.write(bytes);
    }
  }

  private paste(): void {
    const text = this.host.clipboard.get().replace(/\r?\n/g, "\r");
    if (!text) return;
    this.write(this.term.modes.bracketedPasteMode ? `\x1b[200~${text}\x1b[201~` : text);
  }

  private cellAt(e: PointerEvent): { col: number; row: number } {
    const f = terminus();
    const col = Math.max(0, Math.min(this.term.cols - 1, Math.floor(e.x / f.width)));
    const row = Math.max(0, Math.min(this.term.rows - 1, Math.floor(e.y / f.height)));
    return { col, row: row + this.term.buffer.active.viewportY };
  }

  private setSelection(sel: Selection | null): void {
    this.sel = sel;
    this.dirty.all();
    this.draw();
  }

  pointer(e: PointerEvent): void {
    if (e.wheel) {
      this.term.scrollLines(-e.wheel * 3);
      this.dirty.all();
      this.draw();
      return;
    }
    if (e.changed & 4 && e.buttons & 4) return this.paste();
    if (e.changed & 1 && e.buttons & 1) {
      this.anchor = this.cellAt(e);
      this.setSelection(null);
    } else if (e.buttons & 1 && this.anchor) {
      const here = this.cellAt(e);
      const [a, b] = here.row < this.anchor.row || (here.row === this.anchor.row && here.col < this.anchor.col) ? [here, this.anchor] : [this.anchor, here];
      this.setSelection({ start: a, end: b });
    } else if (e.changed & 1) this.anchor = null;
  }

  selectedText(): string {
    const s = this.sel;
    if (!s) return "";
    const out: string[] = [];
    for (let row = s.start.row; row <= s.end.row; row++) {
      const line = this.term.buffer.active.getLine(row);
      const from = row === s.start.row ? s.start.col : 0;
      const to = row === s.end.row ? s.end.col + 1 : this.term.cols;
      out.push(line?.translateToString(true, from, to) ?? "");
    }
    return out.join("\n");
  }

  /** The visible screen as text (the control socket and tests use it). */
  screenText(): string {
    const b = this.term.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.term.rows; y++) rows.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? "");
    return rows.join("\n");
  }

  stop(): void {
    this.stopped = true;
    this.proc?.kill("SIGHUP");
    this.proc?.terminal?.close();
    this.term?.dispose();
  }
}
