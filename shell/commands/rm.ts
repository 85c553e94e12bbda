// rm: remove files (-r directories, -f ignore missing).
import * as fs from "node:fs";
import { errText, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "rm",
  summary: "rm: remove files or directories",
  usage: "Usage: rm [-rRfd] FILE...\nRemoves each FILE.\n  -r, -R  remove directories and their contents\n  -f      ignore missing files, never complain about them\n  -d      remove empty directories",
  async run(ctx) {
    const p = await parseArgs(ctx, "rRfdiv", { recursive: "r", force: "f", dir: "d" });
    if (!p) return 1;
    const force = p.opts.has("f");
    const recursive = p.opts.has("r") || p.opts.has("R");
    if (!p.operands.length && !force) {
      await ctx.err("missing operand");
      return 1;
    }
    let st = 0;
    for (const f of p.operands) {
      const path = ctx.resolve(f);
      if (/(^|\/)\.\.?\/*$/.test(f)) {
        await ctx.err(`refusing to remove '.' or '..' directory: skipping '${f}'`);
        st = 1;
        continue;
      }
      try {
        const s = fs.lstatSync(path);
        if (s.isDirectory()) {
          if (recursive) fs.rmSync(path, { recursive: true, force: true });
          else if (p.opts.has("d")) fs.rmdirSync(path);
          else {
            await ctx.err(`cannot remove '${f}': Is a directory`);
            st = 1;
          }
        } else fs.unlinkSync(path);
      } catch (e) {
        if (force && (e as NodeJS.ErrnoException).code === "ENOENT") continue;
        await ctx.err(`cannot remove '${f}': ${errText(e)}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
