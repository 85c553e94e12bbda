import * as fs from "node:fs";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "pwd",
  summary: "pwd: print the working directory",
  usage: "Usage: pwd [-L|-P]\nPrints the shell's working directory (-P: with symlinks resolved).",
  async run(ctx) {
    const physical = ctx.args.includes("-P");
    await ctx.out((physical ? fs.realpathSync(ctx.sh.cwd) : ctx.sh.cwd) + "\n");
    return 0;
  },
};
export default cmd;
