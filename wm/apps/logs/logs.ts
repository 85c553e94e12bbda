// tsos://logs — the structured system log (/var/log/tsos.jsonl) as text, newest
// at the bottom, following new entries (inotify) while the selection is at the end.
import { closeSync, existsSync, fstatSync, openSync, readSync, watch, type FSWatcher } from "node:fs";
import { formatText, parseEntry } from "../../../lib/log/entry.ts";
import type { KeyEvent } from "../../input/keymap.ts";
import { ListApp, type Line } from "../listview.ts";

export const LOG_FILE = "/var/log/tsos.jsonl";
const TAIL_BYTES = 256 * 1024;

/** The last `max` bytes of a file, read without loading the rest (the log only grows). */
export function readTail(path: string, max: number): string {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, max));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

export function logLines(text: string, filter: string): Line[] {
  const out: Line[] = [];
  for (const raw of text.split("\n")) {
    const e = parseEntry(raw);
    if (!e) continue;
    const line = formatText(e);
    if (filter && !line.toLowerCase().includes(filter)) continue;
    out.push({ text: line, tone: e.level === "error" || e.level === "warn" ? "accent" : "text" });
  }
  return out;
}

export class LogsApp extends ListApp {
  title = "Logs";
  private watcher: FSWatcher | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private filter = "";

  constructor(private readonly file = LOG_FILE) {
    super();
  }

  override start(host: Parameters<ListApp["start"]>[0]): void {
    super.start(host);
    this.selected = this.shown.length - 1;
    this.draw();
    if (existsSync(this.file)) {
      this.watcher = watch(this.file, () => {
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => {
          const follow = this.selected >= this.shown.length - 1;
          this.refresh();
          if (follow) {
            this.selected = this.shown.length - 1;
            this.draw();
          }
        }, 300);
      });
    }
  }

  protected lines(): Line[] {
    let text = "";
    try {
      text = readTail(this.file, TAIL_BYTES);
    } catch (e) {
      return [{ text: `cannot read ${this.file}: ${(e as Error).message}`, tone: "accent" }];
    }
    const lines = logLines(text, this.filter);
    return lines.length ? lines : [{ text: this.filter ? `no entries match '${this.filter}'` : "the log is empty", tone: "dim" }];
  }

  protected override otherKey(e: KeyEvent): boolean {
    if (e.key === "Backspace") this.filter = this.filter.slice(0, -1);
    else if (e.key === "Escape") this.filter = "";
    else if (e.char && !e.mods.ctrl && this.filter.length < 40) this.filter += e.char.toLowerCase();
    else return false;
    this.refresh();
    this.selected = this.shown.length - 1;
    return true;
  }

  protected override footer(): string {
    return `filter: ${this.filter}_   (type to filter, Escape clears)`;
  }

  override stop(): void {
    super.stop();
    clearTimeout(this.debounce);
    this.watcher?.close();
  }
}
