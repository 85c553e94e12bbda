// cat: concatenate files to standard output, streaming.
import { errText, parseArgs, streamInput } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "cat",
  summary: "cat: concatenate files and print them",
  usage: "Usage: cat [-n] [FILE...]\nPrints each FILE (or standard input, also for '-') in order.\n  -n  number all output lines",
  async run(ctx) {
    const p = await parseArgs(ctx, "nu", { number: "n" });
    if (!p) return 1;
    const files = p.operands.length ? p.operands : ["-"];
    const number = p.opts.has("n");
    let st = 0;
    let lineNo = 1;
    let atStart = true;
    for (const f of files) {
      try {
        for await (const chunk of streamInput(ctx, f)) {
          if (!number) {
            await ctx.out(chunk);
            continue;
          }
          let out = "";
          for (const ch of Buffer.from(chunk).toString("utf8")) {
            if (atStart) out += String(lineNo++).padStart(6) + "\t";
            out += ch;
            atStart = ch === "\n";
          }
          await ctx.out(out);
        }
      } catch (e) {
        if ((e as Error).name === "BrokenPipe" || (e as Error).message === "broken pipe") throw e;
        await ctx.err(`${f}: ${errText(e)}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
