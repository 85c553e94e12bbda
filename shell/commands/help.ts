import { intrinsicNames } from "../interp/builtins/index.ts";
import { commandNames, loadCommand } from "./index.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "help",
  summary: "help: list tsh's builtin commands",
  usage: "Usage: help [NAME]\nLists the builtin commands, or shows NAME's help (same as NAME --help).",
  async run(ctx) {
    if (ctx.args[0]) {
      const c = await loadCommand(ctx.args[0]);
      const { SPECIAL, intrinsic } = await import("../interp/builtins/index.ts");
      const b = c ?? SPECIAL.get(ctx.args[0]) ?? intrinsic(ctx.args[0]);
      if (!b) {
        await ctx.err(`no help topics match '${ctx.args[0]}'`);
        return 1;
      }
      await ctx.out(b.usage + "\n");
      return 0;
    }
    let out = "tsh, the tsos shell. Builtin commands (NAME --help for details):\n\n";
    for (const n of commandNames()) {
      const c = await loadCommand(n);
      if (c && n !== "[") out += `  ${c.summary}\n`;
    }
    out += `\nShell builtins: ${intrinsicNames().sort().join(" ")}\n`;
    await ctx.out(out);
    return 0;
  },
};
export default cmd;
