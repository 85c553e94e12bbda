// seq: print a sequence of numbers.
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "seq",
  summary: "seq: print a sequence of numbers",
  usage: "Usage: seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST\nPrints numbers from FIRST (default 1) to LAST by INCREMENT (default 1).\n  -s SEP  separator (default newline)\n  -w      pad with leading zeros to equal width",
  async run(ctx) {
    const args = ctx.args.slice();
    let sep = "\n";
    let equal = false;
    while (args.length && /^-[sw]/.test(args[0]!)) {
      const a = args.shift()!;
      if (a.startsWith("-s")) sep = a.length > 2 ? a.slice(2) : args.shift() ?? "\n";
      else equal = true;
    }
    const nums = args.map(Number);
    if (!nums.length || nums.length > 3 || nums.some((n) => Number.isNaN(n))) {
      await ctx.err(args.length ? `invalid argument: '${args.find((a) => Number.isNaN(Number(a))) ?? args[3]}'` : "missing operand");
      return 1;
    }
    const [first, inc, last] = nums.length === 1 ? [1, 1, nums[0]!] : nums.length === 2 ? [nums[0]!, 1, nums[1]!] : [nums[0]!, nums[1]!, nums[2]!];
    if (inc === 0) {
      await ctx.err("invalid Zero increment value: '0'");
      return 1;
    }
    const decimals = Math.max(...args.map((a) => (a.includes(".") ? a.split(".")[1]!.length : 0)));
    const width = equal ? Math.max(...[first, last].map((n) => n.toFixed(decimals).length)) : 0;
    const parts: string[] = [];
    let chunk = "";
    for (let i = 0; ; i++) {
      const v = first + i * inc;
      if (inc > 0 ? v > last + 1e-9 : v < last - 1e-9) break;
      let s = v.toFixed(decimals);
      if (width) s = s.startsWith("-") ? "-" + s.slice(1).padStart(width - 1, "0") : s.padStart(width, "0");
      parts.push(s);
      if (parts.length >= 4096) {
        chunk = parts.join(sep) + sep;
        parts.length = 0;
        await ctx.out(chunk);
      }
    }
    if (parts.length) await ctx.out(parts.join(sep) + "\n");
    else if (chunk) {
      // the last chunk ended with a separator; GNU ends with a newline
      if (sep !== "\n") await ctx.out("\n");
    }
    return 0;
  },
};
export default cmd;
