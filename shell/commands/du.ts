// du: disk usage in 1K blocks (from st_blocks, like GNU du).
import * as fs from "node:fs";
import { join } from "node:path";
import { errText, human, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "du",
  summary: "du: estimate file space usage",
  usage: "Usage: du [-sha] [-d N] [FILE...]\nPrints the space used by each FILE and directory (1K blocks).\n  -s  summary only   -h  human-readable   -a  files too   -d N  max depth",
  async run(ctx) {
    const p = await parseArgs(ctx, "shacd:k", { summarize: "s", "human-readable": "h", all: "a", "max-depth": "d" });
    if (!p) return 1;
    const maxDepth = p.opts.has("s") ? 0 : p.opts.has("d") ? Number(p.opts.get("d")) : Infinity;
    const fmt = (blocks512: number) => (p.opts.has("h") ? human(blocks512 * 512) : String(Math.ceil(blocks512 / 2)));
    let out = "";
    let st = 0;
    const seen = new Set<string>();
    const walk = (path: string, shown: string, depth: number): number => {
      const s = fs.lstatSync(path);
      const key = `${s.dev}:${s.ino}`;
      if (seen.has(key)) return 0;
      seen.add(key);
      let total = s.blocks;
      if (s.isDirectory()) {
        for (const e of fs.readdirSync(path).sort()) {
          try {
            total += walk(join(path, e), join(shown, e), depth + 1);
          } catch (e2) {
            st = 1;
            void e2;
          }
        }
        if (depth <= maxDepth) out += `${fmt(total)}\t${shown}\n`;
      } else if (p.opts.has("a") && depth <= maxDepth) out += `${fmt(total)}\t${shown}\n`;
      else if (depth === 0) out += `${fmt(total)}\t${shown}\n`;
      return total;
    };
    for (const f of p.operands.length ? p.operands : ["."]) {
      try {
        walk(ctx.resolve(f), f, 0);
      } catch (e) {
        await ctx.err(`cannot access '${f}': ${errText(e)}`);
        st = 1;
      }
    }
    await ctx.out(out);
    return st;
  },
};
export default cmd;
