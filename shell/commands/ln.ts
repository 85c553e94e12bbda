import * as fs from "node:fs";
import { basename, join } from "node:path";
import { errText, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "ln",
  summary: "ln: make links between files",
  usage: "Usage: ln [-sf] TARGET [LINK_NAME]\n       ln [-sf] TARGET... DIRECTORY\nCreates a hard link (or with -s a symbolic link) to TARGET.\n  -s  symbolic   -f  remove existing destination files",
  async run(ctx) {
    const p = await parseArgs(ctx, "sfnv", { symbolic: "s", force: "f" });
    if (!p) return 1;
    if (!p.operands.length) {
      await ctx.err("missing file operand");
      return 1;
    }
    const ops = p.operands.length === 1 ? [p.operands[0]!, basename(p.operands[0]!)] : p.operands;
    const last = ctx.resolve(ops.at(-1)!);
    let isDir = false;
    try {
      isDir = fs.statSync(last).isDirectory() && !(p.opts.has("n") && fs.lstatSync(last).isSymbolicLink());
    } catch {}
    const targets = ops.slice(0, -1);
    if (targets.length > 1 && !isDir) {
      await ctx.err(`target '${ops.at(-1)}' is not a directory`);
      return 1;
    }
    let st = 0;
    for (const t of targets) {
      const link = isDir ? join(last, basename(t)) : last;
      try {
        if (p.opts.has("f")) fs.rmSync(link, { force: true });
        if (p.opts.has("s")) fs.symlinkSync(t, link);
        else fs.linkSync(ctx.resolve(t), link);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        await ctx.err(code === "EEXIST" ? `failed to create ${p.opts.has("s") ? "symbolic " : "hard "}link '${ops.at(-1)}': File exists` : `failed to access '${t}': ${errText(e)}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
