import type { Command } from "./types.ts";

export function dirName(p: string): string {
  const t = p.replace(/\/+$/, "");
  if (t === "") return p.startsWith("/") ? "/" : ".";
  const i = t.lastIndexOf("/");
  if (i < 0) return ".";
  const d = t.slice(0, i).replace(/\/+$/, "");
  return d === "" ? "/" : d;
}

const cmd: Command = {
  name: "dirname",
  summary: "dirname: strip the last component from a path",
  usage: "Usage: dirname NAME...\nPrints each NAME without its last component ('.' if it has no slash).",
  async run(ctx) {
    if (!ctx.args.length) {
      await ctx.err("missing operand");
      return 1;
    }
    await ctx.out(ctx.args.filter((a) => a !== "--").map((a) => dirName(a) + "\n").join(""));
    return 0;
  },
};
export default cmd;
