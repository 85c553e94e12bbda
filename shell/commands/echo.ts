// echo: like bash's builtin and coreutils: escapes only with -e, -n drops the newline.
import type { Command } from "./types.ts";
import { unescapeC } from "./printf.ts";

const cmd: Command = {
  name: "echo",
  summary: "echo: print arguments",
  usage: "Usage: echo [-neE] [ARG...]\nPrints the arguments separated by spaces.\n  -n  no trailing newline\n  -e  interpret backslash escapes (\\n \\t \\\\ \\c ...)\n  -E  do not interpret escapes (default)",
  async run(ctx) {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < ctx.args.length; i++) {
      const a = ctx.args[i]!;
      if (!/^-[neE]+$/.test(a)) break;
      for (const c of a.slice(1)) {
        if (c === "n") newline = false;
        else if (c === "e") escapes = true;
        else escapes = false;
      }
    }
    let text = ctx.args.slice(i).join(" ");
    if (escapes) {
      const r = unescapeC(text, true);
      text = r.text;
      if (r.stop) newline = false;
    }
    await ctx.out(newline ? text + "\n" : text);
    return 0;
  },
};
export default cmd;
