// chmod: octal or symbolic (u+x, go-w, a=r) modes, -R recursive.
import * as fs from "node:fs";
import { join } from "node:path";
import { errText } from "./lib.ts";
import type { Command } from "./types.ts";

/** Applies a mode spec to an existing mode; null when the spec is invalid. */
export function applyMode(spec: string, mode: number, isDir: boolean): number | null {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let m = mode & 0o7777;
  for (const clause of spec.split(",")) {
    const c = /^([ugoa]*)([-+=])([rwxXst]*|[ugo])$/.exec(clause);
    if (!c) return null;
    const who = c[1] || "a";
    let bits = 0;
    const perms = c[3]!;
    if (/^[ugo]$/.test(perms)) {
      const shift = perms === "u" ? 6 : perms === "g" ? 3 : 0;
      const v = (m >> shift) & 7;
      bits = (v << 6) | (v << 3) | v;
    } else {
      for (const ch of perms) {
        if (ch === "r") bits |= 0o444;
        else if (ch === "w") bits |= 0o222;
        else if (ch === "x" || (ch === "X" && (isDir || m & 0o111))) bits |= 0o111;
        else if (ch === "s") bits |= 0o6000;
        else if (ch === "t") bits |= 0o1000;
      }
    }
    let mask = 0;
    if (who.includes("u") || who.includes("a")) mask |= 0o4700;
    if (who.includes("g") || who.includes("a")) mask |= 0o2070;
    if (who.includes("o") || who.includes("a")) mask |= 0o1007;
    bits &= mask;
    if (c[2] === "+") m |= bits;
    else if (c[2] === "-") m &= ~bits;
    else m = (m & ~mask) | bits;
  }
  return m;
}

const cmd: Command = {
  name: "chmod",
  summary: "chmod: change file mode bits",
  usage: "Usage: chmod [-R] MODE FILE...\nMODE is octal (755) or symbolic ([ugoa][+-=][rwxXst], comma-separated).\n  -R  change directories recursively",
  async run(ctx) {
    const args = ctx.args.slice();
    let recursive = false;
    while (args[0] === "-R" || args[0] === "-f" || args[0] === "-v") if (args.shift() === "-R") recursive = true;
    const spec = args.shift();
    if (spec === undefined || !args.length) {
      await ctx.err(spec === undefined ? "missing operand" : `missing operand after '${spec}'`);
      return 1;
    }
    if (applyMode(spec, 0, false) === null) {
      await ctx.err(`invalid mode: '${spec}'`);
      return 1;
    }
    let st = 0;
    const apply = (p: string, shown: string) => {
      const s = fs.statSync(p);
      fs.chmodSync(p, applyMode(spec, s.mode, s.isDirectory())!);
      if (recursive && s.isDirectory()) for (const e of fs.readdirSync(p)) apply(join(p, e), join(shown, e));
    };
    for (const f of args) {
      try {
        apply(ctx.resolve(f), f);
      } catch (e) {
        await ctx.err(`cannot access '${f}': ${errText(e)}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
