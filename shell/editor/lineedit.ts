// A raw-mode line editor: keys in, line out. Emacs keys (Ctrl-A/E/K/U/W, Alt-B/F),
// arrows, Home/End, history, Ctrl-R reverse search and Tab completion.
import { commonPrefix, type Completion } from "./complete.ts";
import type { History } from "./history.ts";

export interface Terminal {
  /** Next chunk of input bytes (one or more keys), or null at end of input. */
  read(): Promise<string | null>;
  write(s: string): void;
  /** The terminal's width in columns, read at each redraw so a resize takes effect. */
  columns?(): number;
}

export type EditResult = { kind: "line"; text: string } | { kind: "eof" } | { kind: "interrupt" };

const codePoints = (s: string) => [...s].length;
const visibleLength = (s: string) => codePoints(s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ""));

/** Splits a chunk into keys: escape sequences stay whole. */
export function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < chunk.length; ) {
    if (chunk[i] === "\x1b") {
      const m = /^\x1b(\[[0-9;]*[~A-Za-z]|O[A-Za-z]|.)?/s.exec(chunk.slice(i))!;
      keys.push(m[0]);
      i += m[0].length;
    } else {
      const cp = chunk.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      keys.push(ch);
      i += ch.length;
    }
  }
  return keys;
}

export class LineEditor {
  private buf = "";
  private pos = 0;
  private histIndex = 0;
  private draft = "";
  private lastWasTab = false;
  private search: { query: string; index: number; match: string } | null = null;
  private prompt = "";
  private pending: string[] = [];
  /** Rows between the prompt's first row and the cursor, as left by the last redraw. */
  private cursorRow = 0;

  constructor(
    private readonly term: Terminal,
    private readonly history: History,
    private readonly completer: (line: string, pos: number) => Completion,
  ) {}

  async read(prompt: string): Promise<EditResult> {
    this.prompt = prompt;
    this.buf = "";
    this.pos = 0;
    this.histIndex = this.history.entries.length;
    this.search = null;
    this.cursorRow = 0;
    this.render();
    for (;;) {
      let key = this.pending.shift();
      if (key === undefined) {
        const chunk = await this.term.read();
        if (chunk === null) return { kind: "eof" };
        this.pending.push(...splitKeys(chunk));
        continue;
      }
      const r = this.key(key);
      if (r) return r;
    }
  }

  private render(): void {
    const shown = this.search ? `(reverse-i-search)'${this.search.query}': ${this.search.match}` : `${this.prompt}${this.buf}`;
    const cursor = this.search ? visibleLength(shown) : visibleLength(this.prompt) + codePoints(this.buf.slice(0, this.pos));
    this.draw(shown, cursor);
  }

  /** Redraws a possibly wrapped line: up to its first row, clear below, write, then place the cursor. */
  private draw(text: string, cursor: number): void {
    const cols = Math.max(1, this.term.columns?.() ?? 80);
    const total = visibleLength(text);
    let out = this.cursorRow > 0 ? `\x1b[${this.cursorRow}A` : "";
    out += `\r\x1b[J${text}`;
    // A line ending exactly at the right margin leaves the cursor in the pending-wrap
    // state; a newline puts it on the next row so the arithmetic below holds.
    if (total > 0 && total % cols === 0) out += "\r\n";
    const endRow = Math.floor(total / cols);
    const row = Math.floor(cursor / cols);
    const col = cursor % cols;
    if (cursor !== total) {
      if (endRow > row) out += `\x1b[${endRow - row}A`;
      out += `\r${col ? `\x1b[${col}C` : ""}`;
    }
    this.cursorRow = row;
    this.term.write(out);
  }

  /** Typing at the end of a line that does not reach the margin needs only the character itself. */
  private appendFast(k: string): boolean {
    if (this.search || this.pos !== this.buf.length) return false;
    const cols = Math.max(1, this.term.columns?.() ?? 80);
    const total = visibleLength(this.prompt) + codePoints(this.buf);
    const after = total + codePoints(k);
    if (Math.floor(total / cols) !== Math.floor(after / cols) || after % cols === 0 || total % cols === 0) return false;
    this.insert(k);
    this.term.write(k);
    return true;
  }

  /** Puts the cursor after the whole line, so output that follows starts below it. */
  private toEnd(): void {
    if (this.pos === this.buf.length) return;
    this.pos = this.buf.length;
    this.render();
  }

  private insert(s: string): void {
    this.buf = this.buf.slice(0, this.pos) + s + this.buf.slice(this.pos);
    this.pos += s.length;
  }

  private wordLeft(): number {
    let i = this.pos;
    while (i > 0 && !/[A-Za-z0-9_]/.test(this.buf[i - 1]!)) i--;
    while (i > 0 && /[A-Za-z0-9_]/.test(this.buf[i - 1]!)) i--;
    return i;
  }

  private wordRight(): number {
    let i = this.pos;
    while (i < this.buf.length && !/[A-Za-z0-9_]/.test(this.buf[i]!)) i++;
    while (i < this.buf.length && /[A-Za-z0-9_]/.test(this.buf[i]!)) i++;
    return i;
  }

  private key(k: string): EditResult | null {
    if (this.search) return this.searchKey(k);
    const wasTab = this.lastWasTab;
    this.lastWasTab = false;
    switch (k) {
      case "\r":
      case "\n":
        this.toEnd();
        this.term.write("\r\n");
        return { kind: "line", text: this.buf };
      case "\x03": // Ctrl-C
        this.toEnd();
        this.term.write("^C\r\n");
        return { kind: "interrupt" };
      case "\x04": // Ctrl-D
        if (!this.buf) {
          this.term.write("\r\n");
          return { kind: "eof" };
        }
        this.buf = this.buf.slice(0, this.pos) + this.buf.slice(this.pos + 1);
        break;
      case "\x7f":
      case "\b":
        if (this.pos > 0) {
          this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
          this.pos--;
        }
        break;
      case "\x1b[3~":
        this.buf = this.buf.slice(0, this.pos) + this.buf.slice(this.pos + 1);
        break;
      case "\x01":
      case "\x1b[H":
      case "\x1bOH":
      case "\x1b[1~":
        this.pos = 0;
        break;
      case "\x05":
      case "\x1b[F":
      case "\x1bOF":
      case "\x1b[4~":
        this.pos = this.buf.length;
        break;
      case "\x02":
      case "\x1b[D":
      case "\x1bOD":
        if (this.pos > 0) this.pos--;
        break;
      case "\x06":
      case "\x1b[C":
      case "\x1bOC":
        if (this.pos < this.buf.length) this.pos++;
        break;
      case "\x0b": // Ctrl-K
        this.buf = this.buf.slice(0, this.pos);
        break;
      case "\x15": // Ctrl-U
        this.buf = this.buf.slice(this.pos);
        this.pos = 0;
        break;
      case "\x17": {
        // Ctrl-W: delete the blank-separated word before the cursor
        let i = this.pos;
        while (i > 0 && this.buf[i - 1] === " ") i--;
        while (i > 0 && this.buf[i - 1] !== " ") i--;
        this.buf = this.buf.slice(0, i) + this.buf.slice(this.pos);
        this.pos = i;
        break;
      }
      case "\x1bb":
      case "\x1b[1;5D":
        this.pos = this.wordLeft();
        break;
      case "\x1bf":
      case "\x1b[1;5C":
        this.pos = this.wordRight();
        break;
      case "\x1b[A":
      case "\x1bOA":
      case "\x10":
        this.historyMove(-1);
        break;
      case "\x1b[B":
      case "\x1bOB":
      case "\x0e":
        this.historyMove(1);
        break;
      case "\x0c": // Ctrl-L
        this.term.write("\x1b[H\x1b[2J");
        this.cursorRow = 0;
        break;
      case "\x12": // Ctrl-R
        this.search = { query: "", index: this.history.entries.length, match: "" };
        break;
      case "\t":
        this.tab(wasTab);
        break;
      default:
        if (k.startsWith("\x1b") || (k.length === 1 && k.charCodeAt(0) < 32)) break;
        if (this.appendFast(k)) return null;
        this.insert(k);
    }
    this.render();
    return null;
  }

  private historyMove(dir: number): void {
    const n = this.history.entries.length;
    if (this.histIndex === n) this.draft = this.buf;
    const next = Math.max(0, Math.min(n, this.histIndex + dir));
    if (next === this.histIndex) return;
    this.histIndex = next;
    this.buf = next === n ? this.draft : this.history.entries[next]!;
    this.pos = this.buf.length;
  }

  private searchKey(k: string): EditResult | null {
    const s = this.search!;
    if (k === "\x12") {
      const hit = this.history.search(s.query, s.index);
      if (hit) {
        s.index = hit.index;
        s.match = hit.entry;
      }
    } else if (k === "\x03" || k === "\x07") {
      this.search = null;
    } else if (k === "\x7f" || k === "\b") {
      s.query = s.query.slice(0, -1);
      const hit = this.history.search(s.query, this.history.entries.length);
      s.index = hit?.index ?? this.history.entries.length;
      s.match = hit?.entry ?? "";
    } else if (k.length === 1 && k >= " ") {
      s.query += k;
      const hit = this.history.search(s.query, Math.min(s.index + 1, this.history.entries.length));
      if (hit) {
        s.index = hit.index;
        s.match = hit.entry;
      }
    } else {
      // Any other key accepts the match into the line; Enter also runs it.
      this.buf = s.match;
      this.pos = this.buf.length;
      this.histIndex = s.index;
      this.search = null;
      if (k === "\r" || k === "\n") {
        this.render();
        this.term.write("\r\n");
        return { kind: "line", text: this.buf };
      }
    }
    this.render();
    return null;
  }

  private tab(second: boolean): void {
    const c = this.completer(this.buf, this.pos);
    if (!c.items.length) return;
    const word = this.buf.slice(c.start, this.pos);
    if (c.items.length === 1) {
      const item = c.items[0]!;
      const add = item.slice(word.length) + (item.endsWith("/") ? "" : " ");
      this.insert(add);
      return;
    }
    const prefix = commonPrefix(c.items);
    if (prefix.length > word.length) {
      this.insert(prefix.slice(word.length));
      return;
    }
    this.lastWasTab = true;
    if (second || c.items.length <= 100) {
      this.term.write("\r\n" + c.items.map((i) => i.replace(/.*\/(?=.)/, "")).join("  ") + "\r\n");
    }
  }
}
