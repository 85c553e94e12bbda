import type { Command } from "../../commands/types.ts";

/** Builds a Command from a name, help text (first line is the summary) and body. */
export function builtin(name: string, usage: string, run: Command["run"]): Command {
  return { name, summary: usage.split("\n")[0]!, usage, run };
}

/** Quotes a value for re-input to the shell (`set`, `export -p`, `trap`). */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
