// Draws @xterm/headless's visible buffer onto a surface, one cell per glyph;
// only rows whose contents changed since the last draw are repainted.
import type { IBufferCell, Terminal } from "@xterm/headless";
import type { BitmapFont } from "../../font/psf.ts";
import type { Rect } from "../../gfx/rect.ts";
import type { Surface } from "../../gfx/surface.ts";
import { PALETTE } from "./palette.ts";

export interface GridColors {
  fg: number;
  bg: number;
  cursor: number;
  selection: number;
}

/** A selection in buffer coordinates (absolute rows), start before end. */
export interface Selection {
  start: { col: number; row: number };
  end: { col: number; row: number };
}

function inSelection(sel: Selection | null, col: number, row: number): boolean {
  if (!sel) return false;
  const { start: a, end: b } = sel;
  if (row < a.row || row > b.row) return false;
  if (row === a.row && col < a.col) return false;
  if (row === b.row && col > b.col) return false;
  return true;
}

export class GridPainter {
  private rowKeys: string[] = [];

  constructor(private readonly font: BitmapFont) {}

  forget(): void {
    this.rowKeys = [];
  }

  private color(cell: IBufferCell, fg: boolean, c: GridColors): number {
    if (fg ? cell.isFgDefault() : cell.isBgDefault()) return fg ? c.fg : c.bg;
    const v = fg ? cell.getFgColor() : cell.getBgColor();
    if (fg ? cell.isFgRGB() : cell.isBgRGB()) return v & 0xffffff;
    return PALETTE[v & 0xff] ?? c.fg;
  }

  /** Paint those of `rows` (viewport rows; default all) whose cells changed; returns the damaged rectangles. */
  paint(term: Terminal, s: Surface, c: GridColors, sel: Selection | null, showCursor: boolean, rows?: number[]): Rect[] {
    const buf = term.buffer.active;
    const fw = this.font.width;
    const fh = this.font.height;
    const cell = buf.getNullCell();
    const damaged: Rect[] = [];
    const cursorRow = buf.baseY + buf.cursorY;
    for (const y of rows ?? [...Array(term.rows).keys()]) {
      if (y < 0 || y >= term.rows) continue;
      const abs = buf.viewportY + y;
      const line = buf.getLine(abs);
      const cursorHere = showCursor && abs === cursorRow;
      const cells: [string, number, number, boolean][] = [];
      let key = "";
      for (let x = 0; x < term.cols; x++) {
        line?.getCell(x, cell);
        let ch = line ? cell.getChars() || " " : " ";
        let fg = line ? this.color(cell, true, c) : c.fg;
        let bg = line ? this.color(cell, false, c) : c.bg;
        if (line && cell.isInverse()) [fg, bg] = [bg, fg];
        if (line && cell.isInvisible()) ch = " ";
        if (line && cell.isBold() && cell.isFgPalette() && cell.getFgColor() < 8) fg = PALETTE[cell.getFgColor() + 8]!;
        if (inSelection(sel, x, abs)) bg = c.selection;
        if (cursorHere && x === buf.cursorX) [fg, bg] = [bg, c.cursor];
        const under = !!line && cell.isUnderline() !== 0;
        cells.push([ch, fg, bg, under]);
        key += ch + fg.toString(36) + "," + bg.toString(36) + (under ? "_" : "") + ";";
      }
      if (this.rowKeys[y] === key) continue;
      this.rowKeys[y] = key;
      cells.forEach(([ch, fg, bg, under], x) => {
        s.glyph(this.font, ch.codePointAt(0)!, x * fw, y * fh, fg, bg);
        if (under) s.fill({ x: x * fw, y: y * fh + fh - 2, w: fw, h: 1 }, fg);
      });
      damaged.push({ x: 0, y: y * fh, w: term.cols * fw, h: fh });
    }
    return damaged;
  }
}
