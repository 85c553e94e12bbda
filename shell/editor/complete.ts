// Tab completion: command names in command position, paths everywhere.
import * as fs from "node:fs";
import { join } from "node:path";
import { commandNames } from "../commands/index.ts";
import { intrinsicNames } from "../interp/builtins/index.ts";
import type { Shell } from "../interp/shell.ts";

export interface Completion {
  /** Start of the word being completed in the line. */
  start: number;
  /** Candidates (full replacement words); directories end with '/'. */
  items: string[];
}

export function complete(sh: Shell, line: string, pos: number): Completion {
  const before = line.slice(0, pos);
  const start = Math.max(before.lastIndexOf(" "), before.lastIndexOf("\t"), before.lastIndexOf(";"), before.lastIndexOf("|"), before.lastIndexOf("&")) + 1;
  const word = before.slice(start);
  const head = before.slice(0, start).trim();
  const commandPosition = head === "" || /[;|&]$/.test(head);
  const items = new Set<string>();
  if (commandPosition && !word.includes("/")) {
    const names = [...commandNames(), ...intrinsicNames(), ...sh.funcs.keys()];
    for (const dir of (sh.get("PATH") ?? "").split(":")) {
      try {
        for (const e of fs.readdirSync(dir)) if (e.startsWith(word)) names.push(e);
      } catch {}
    }
    for (const n of names) if (n.startsWith(word)) items.add(n);
  }
  if (!commandPosition || word.includes("/") || items.size === 0) for (const p of paths(sh, word)) items.add(p);
  return { start, items: [...items].sort() };
}

function paths(sh: Shell, word: string): string[] {
  const home = sh.get("HOME") ?? "/";
  const expanded = word.startsWith("~/") ? home + word.slice(1) : word;
  const slash = expanded.lastIndexOf("/");
  const dirPart = slash >= 0 ? expanded.slice(0, slash + 1) : "";
  const base = slash >= 0 ? expanded.slice(slash + 1) : expanded;
  const dir = dirPart.startsWith("/") ? dirPart : join(sh.cwd, dirPart);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const shownDir = slash >= 0 ? word.slice(0, word.lastIndexOf("/") + 1) : "";
  return entries
    .filter((e) => e.startsWith(base) && (base.startsWith(".") || !e.startsWith(".")))
    .map((e) => {
      let isDir = false;
      try {
        isDir = fs.statSync(join(dir, e)).isDirectory();
      } catch {}
      return shownDir + e + (isDir ? "/" : "");
    });
}

/** Longest common prefix of the candidates. */
export function commonPrefix(items: string[]): string {
  if (!items.length) return "";
  let p = items[0]!;
  for (const s of items) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}
