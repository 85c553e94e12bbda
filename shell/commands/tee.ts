// tee: copy stdin to stdout and files.
import * as fs from "node:fs";
import { errText, parseArgs, streamInput } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "tee",
  summary: "tee: copy standard input to files and standard output",
  usage: "Usage: tee [-a] [FILE...]\nCopies stdin to stdout and to each FILE.\n  -a  append instead of overwrite",
  async run(ctx) {
    const p = await parseArgs(ctx, "ai", { append: "a" });
    if (!p) return 1;
    let st = 0;
    const fds: number[] = [];
    for (const f of p.operands) {
      try {
        fds.push(fs.openSync(ctx.resolve(f), p.opts.has("a") ? "a" : "w"));
      } catch (e) {
        await ctx.err(`${f}: ${errText(e)}`);
        st = 1;
      }
    }
    try {
      for await (const c of streamInput(ctx, "-")) {
        for (const fd of fds) fs.writeSync(fd, c);
        await ctx.out(c);
      }
    } finally {
      for (const fd of fds) fs.closeSync(fd);
    }
    return st;
  },
};
export default cmd;
