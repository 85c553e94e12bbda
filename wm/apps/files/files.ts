// tsos://files — a file browser: directories first, sizes, Enter opens a
// directory or shows the start of a file, Backspace goes up.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { human } from "../../../shell/commands/lib.ts";
import type { KeyEvent } from "../../input/keymap.ts";
import { ListApp, type Line } from "../listview.ts";

const PREVIEW_BYTES = 64 * 1024;

export interface Entry {
  name: string;
  dir: boolean;
  size: number;
}

export function listDir(dir: string): Entry[] {
  const out: Entry[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    let size = 0;
    let isDir = d.isDirectory();
    try {
      const st = statSync(join(dir, d.name));
      size = st.size;
      isDir = st.isDirectory();
    } catch {}
    out.push({ name: d.name, dir: isDir, size });
  }
  return out.sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name));
}

export class FilesApp extends ListApp {
  title = "Files";
  private entries: Entry[] = [];
  private viewing: string | null = null;

  constructor(private cwd = "/") {
    super();
  }

  protected lines(): Line[] {
    this.title = `Files: ${this.viewing ?? this.cwd}`;
    if (this.viewing) {
      try {
        const buf = readFileSync(this.viewing).subarray(0, PREVIEW_BYTES);
        if (buf.includes(0)) return [{ text: `(binary file, ${human(statSync(this.viewing).size)})`, tone: "dim" }];
        return buf.toString("utf8").split("\n").map((l) => ({ text: l.replace(/\t/g, "    ") }));
      } catch (e) {
        return [{ text: (e as Error).message, tone: "accent" }];
      }
    }
    try {
      this.entries = listDir(this.cwd);
    } catch (e) {
      this.entries = [];
      return [{ text: ".." }, { text: (e as Error).message, tone: "accent" }];
    }
    return [{ text: "..", tone: "dim" }, ...this.entries.map((e) => ({ text: e.dir ? `${e.name}/` : `${e.name.padEnd(40)} ${human(e.size).padStart(8)}`, tone: e.dir ? ("accent" as const) : undefined }))];
  }

  private go(path: string): void {
    this.cwd = path;
    this.viewing = null;
    this.selected = 0;
    this.top = 0;
    this.refresh();
    this.host.setTitle(this.title);
  }

  protected override activate(i: number): void {
    if (this.viewing) return;
    if (i === 0) return this.go(dirname(this.cwd));
    const e = this.entries[i - 1];
    if (!e) return;
    if (e.dir) return this.go(join(this.cwd, e.name));
    this.viewing = join(this.cwd, e.name);
    this.selected = 0;
    this.refresh();
    this.host.setTitle(this.title);
  }

  protected override otherKey(e: KeyEvent): boolean {
    if (e.key !== "Backspace" && e.key !== "Escape") return false;
    if (this.viewing) this.go(this.cwd);
    else this.go(dirname(this.cwd));
    return true;
  }

  protected override footer(): string {
    return this.viewing ? "Backspace: back to the directory" : "Enter: open   Backspace: up";
  }
}
