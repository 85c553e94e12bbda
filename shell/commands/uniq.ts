// uniq: collapse adjacent repeated lines.
import { eachInput, hadInputError, parseArgs, splitLines } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "uniq",
  summary: "uniq: report or omit repeated lines",
  usage: "Usage: uniq [-c] [-d] [-u] [-i] [INPUT [OUTPUT]]\nWrites INPUT with adjacent duplicate lines merged.\n  -c  prefix counts   -d  only repeated lines   -u  only unique lines   -i  ignore case",
  async run(ctx) {
    const p = await parseArgs(ctx, "cdui", { count: "c", repeated: "d", unique: "u", "ignore-case": "i" });
    if (!p) return 1;
    const lines: string[] = [];
    for await (const { data } of eachInput(ctx, p.operands.slice(0, 1))) lines.push(...splitLines(Buffer.from(data).toString("utf8")));
    const same = (a: string, b: string) => (p.opts.has("i") ? a.toLowerCase() === b.toLowerCase() : a === b);
    let out = "";
    for (let i = 0; i < lines.length; ) {
      let j = i + 1;
      while (j < lines.length && same(lines[j]!, lines[i]!)) j++;
      const n = j - i;
      if (!(p.opts.has("d") && n < 2) && !(p.opts.has("u") && n > 1)) out += (p.opts.has("c") ? String(n).padStart(7) + " " : "") + lines[i] + "\n";
      i = j;
    }
    if (p.operands[1]) await Bun.write(ctx.resolve(p.operands[1]), out);
    else await ctx.out(out);
    return hadInputError(ctx) ? 1 : 0;
  },
};
export default cmd;
