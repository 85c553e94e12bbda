import type { Command } from "./types.ts";

export function baseName(p: string): string {
  if (p === "") return "";
  const t = p.replace(/\/+$/, "");
  if (t === "") return "/";
  return t.slice(t.lastIndexOf("/") + 1);
}

const cmd: Command = {
  name: "basename",
  summary: "basename: strip directory and suffix from a path",
  usage: "Usage: basename NAME [SUFFIX]\n       basename -a [-s SUFFIX] NAME...\nPrints NAME without leading directories (and without SUFFIX).",
  async run(ctx) {
    const args = ctx.args.slice();
    let multiple = false;
    let suffix = "";
    while (args[0]?.startsWith("-") && args[0] !== "-") {
      const a = args.shift()!;
      if (a === "--") break;
      if (a === "-a") multiple = true;
      else if (a === "-s") {
        suffix = args.shift() ?? "";
        multiple = true;
      } else {
        await ctx.err(`invalid option -- '${a.slice(1)}'`);
        return 1;
      }
    }
    if (!args.length) {
      await ctx.err("missing operand");
      return 1;
    }
    const names = multiple ? args : [args[0]!];
    if (!multiple && args[1] !== undefined) suffix = args[1];
    let out = "";
    for (const n of names) {
      let b = baseName(n);
      if (suffix && b !== suffix && b.endsWith(suffix)) b = b.slice(0, -suffix.length);
      out += b + "\n";
    }
    await ctx.out(out);
    return 0;
  },
};
export default cmd;
