// head: first lines (or bytes) of each input.
import { eachInputWithHeaders, hadInputError, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "head",
  summary: "head: print the first lines of files",
  usage: "Usage: head [-n N] [-c N] [FILE...]\nPrints the first N (default 10) lines of each FILE.\n  -n N  lines (-n -N: all but the last N)\n  -c N  bytes\n  -q    never print headers",
  async run(ctx) {
    const p = await parseArgs(ctx, "n:c:qv", { lines: "n", bytes: "c", quiet: "q" }, { numeric: "n" });
    if (!p) return 1;
    const spec = p.opts.get("c") ?? p.opts.get("n") ?? "10";
    const bytes = p.opts.has("c");
    const n = Number(spec);
    if (!Number.isInteger(n)) {
      await ctx.err(`invalid number of ${bytes ? "bytes" : "lines"}: '${spec}'`);
      return 1;
    }
    for await (const { data } of eachInputWithHeaders(ctx, p.operands, p.opts.has("q"))) {
      if (bytes) {
        await ctx.out(n >= 0 ? data.subarray(0, n) : data.subarray(0, Math.max(0, data.length + n)));
        continue;
      }
      let end = 0;
      if (n >= 0) {
        let count = 0;
        while (count < n && end < data.length) {
          const nl = data.indexOf(10, end);
          end = nl < 0 ? data.length : nl + 1;
          count++;
        }
      } else {
        const ends: number[] = [];
        for (let i = 0; i < data.length; i++) if (data[i] === 10) ends.push(i + 1);
        if (data.length && data[data.length - 1] !== 10) ends.push(data.length);
        end = ends.length + n > 0 ? ends[ends.length + n - 1]! : 0;
      }
      await ctx.out(data.subarray(0, end));
    }
    return hadInputError(ctx) ? 1 : 0;
  },
};
export default cmd;
