import * as fs from "node:fs";
import { errText, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "mkdir",
  summary: "mkdir: make directories",
  usage: "Usage: mkdir [-p] [-m MODE] DIR...\nCreates each DIR.\n  -p  create parents as needed, no error if it exists\n  -m  permission bits (octal)",
  async run(ctx) {
    const p = await parseArgs(ctx, "pm:v", { parents: "p", mode: "m" });
    if (!p) return 1;
    if (!p.operands.length) {
      await ctx.err("missing operand");
      return 1;
    }
    const mode = p.opts.has("m") ? parseInt(p.opts.get("m")!, 8) : 0o777;
    let st = 0;
    for (const d of p.operands) {
      try {
        if (p.opts.has("p")) fs.mkdirSync(ctx.resolve(d), { recursive: true, mode });
        else fs.mkdirSync(ctx.resolve(d), { mode });
        if (p.opts.has("m")) fs.chmodSync(ctx.resolve(d), mode);
      } catch (e) {
        await ctx.err(`cannot create directory '${d}': ${errText(e)}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
