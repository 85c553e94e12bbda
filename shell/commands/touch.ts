import * as fs from "node:fs";
import { errText, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "touch",
  summary: "touch: change file timestamps, creating files",
  usage: "Usage: touch [-c] [-d DATE] FILE...\nSets each FILE's times to now (or DATE), creating it if missing.\n  -c  do not create files",
  async run(ctx) {
    const p = await parseArgs(ctx, "cd:am", { "no-create": "c", date: "d" });
    if (!p) return 1;
    if (!p.operands.length) {
      await ctx.err("missing file operand");
      return 1;
    }
    const when = p.opts.has("d") ? new Date(p.opts.get("d")!) : new Date();
    if (Number.isNaN(when.getTime())) {
      await ctx.err(`invalid date format '${p.opts.get("d")}'`);
      return 1;
    }
    let st = 0;
    for (const f of p.operands) {
      const path = ctx.resolve(f);
      try {
        if (!fs.existsSync(path)) {
          if (p.opts.has("c")) continue;
          fs.closeSync(fs.openSync(path, "a"));
        }
        fs.utimesSync(path, when, when);
      } catch (e) {
        await ctx.err(`cannot touch '${f}': ${errText(e)}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
