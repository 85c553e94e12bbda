import { findExecutable } from "../interp/external.ts";
import { intrinsic, SPECIAL } from "../interp/builtins/index.ts";
import { commandNames } from "./index.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "which",
  summary: "which: locate a command",
  usage: "Usage: which [-a] NAME...\nPrints where each NAME is found: 'NAME: tsh builtin' for builtins, else its path in PATH.\n  -a  also list PATH matches for builtins",
  async run(ctx) {
    const all = ctx.args.includes("-a");
    let st = 0;
    let out = "";
    for (const name of ctx.args.filter((a) => a !== "-a")) {
      const builtin = !name.includes("/") && (SPECIAL.has(name) || intrinsic(name) || commandNames().includes(name));
      if (builtin) out += `${name}: tsh builtin\n`;
      if (!builtin || all) {
        const p = findExecutable(name, ctx.sh.get("PATH") ?? "", ctx.cwd);
        if (p) out += p + "\n";
        else if (!builtin) st = 1;
      }
    }
    await ctx.out(out);
    return st;
  },
};
export default cmd;
