import * as fs from "node:fs";
import { dirname } from "node:path";
import { errText, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "rmdir",
  summary: "rmdir: remove empty directories",
  usage: "Usage: rmdir [-p] DIR...\nRemoves each empty DIR (-p: and its empty parents).",
  async run(ctx) {
    const p = await parseArgs(ctx, "p", { parents: "p" });
    if (!p) return 1;
    if (!p.operands.length) {
      await ctx.err("missing operand");
      return 1;
    }
    let st = 0;
    for (const d of p.operands) {
      let cur = d;
      for (;;) {
        try {
          fs.rmdirSync(ctx.resolve(cur));
        } catch (e) {
          await ctx.err(`failed to remove '${cur}': ${errText(e)}`);
          st = 1;
          break;
        }
        const up = dirname(cur);
        if (!p.opts.has("p") || up === cur || up === "." || up === "/") break;
        cur = up;
      }
    }
    return st;
  },
};
export default cmd;
