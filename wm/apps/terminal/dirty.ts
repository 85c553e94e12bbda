// Which rows a write changed: xterm's input handler announces the rows each parse
// touched (the event its own renderer redraws from). That is internal API, held
// stable by the exact @xterm/headless version in package.json; where it is missing
// every row is checked, which is correct, only slower.
import type { Terminal } from "@xterm/headless";

type Range = { start: number; end: number };
type Handler = { onRequestRefreshRows?: (cb: (e?: Range) => void) => unknown };

export class DirtyRows {
  private range: Range | "all" | null = "all";
  readonly tracked: boolean;

  constructor(term: Terminal) {
    const handler = (term as unknown as { _core?: { _inputHandler?: Handler } })._core?._inputHandler;
    this.tracked = typeof handler?.onRequestRefreshRows === "function";
    handler?.onRequestRefreshRows?.((e) => this.add(e));
  }

  /** Rows start..end (viewport rows) changed; no range means all of them. */
  add(e?: Range): void {
    if (!e || this.range === "all") this.range = "all";
    else if (this.range === null) this.range = { ...e };
    else this.range = { start: Math.min(this.range.start, e.start), end: Math.max(this.range.end, e.end) };
  }

  all(): void {
    this.range = "all";
  }

  /** The rows to check now (plus `extra`, e.g. where the cursor was and is), and reset. */
  take(rows: number, extra: number[]): number[] {
    const r = this.tracked ? this.range : "all";
    this.range = null;
    const set = new Set<number>(extra.filter((y) => y >= 0 && y < rows));
    if (r === "all") for (let y = 0; y < rows; y++) set.add(y);
    else if (r) for (let y = Math.max(0, r.start); y <= Math.min(rows - 1, r.end); y++) set.add(y);
    return [...set].sort((a, b) => a - b);
  }
}
