// Command history kept in ~/.tsh_history, one entry per line (newlines inside an entry escaped as \n).
import * as fs from "node:fs";

export class History {
  entries: string[] = [];
  constructor(
    private readonly file: string | null,
    private readonly max = 1000,
  ) {
    if (!file) return;
    try {
      this.entries = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => l.replace(/\\n/g, "\n").replace(/\\\\/g, "\\")).slice(-max);
    } catch {}
  }

  add(line: string): void {
    const entry = line.replace(/\n+$/, "");
    if (!entry.trim() || this.entries.at(-1) === entry) return;
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries.shift();
    if (!this.file) return;
    try {
      fs.appendFileSync(this.file, entry.replace(/\\/g, "\\\\").replace(/\n/g, "\\n") + "\n", { mode: 0o600 });
    } catch {}
  }

  /** The newest entry before index `from` containing `query`, with its index. */
  search(query: string, from: number): { index: number; entry: string } | null {
    for (let i = Math.min(from, this.entries.length) - 1; i >= 0; i--) {
      if (this.entries[i]!.includes(query)) return { index: i, entry: this.entries[i]! };
    }
    return null;
  }
}
