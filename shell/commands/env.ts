// env: print the environment, or run a command with a modified one.
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "env",
  summary: "env: run a program in a modified environment",
  usage: "Usage: env [-i] [-u NAME] [NAME=VALUE...] [COMMAND [ARG...]]\nWithout COMMAND, prints the environment.\n  -i  start with an empty environment   -u NAME  remove NAME",
  async run(ctx) {
    const args = ctx.args.slice();
    let env: Record<string, string> = { ...ctx.env };
    while (args.length) {
      const a = args[0]!;
      if (a === "-i" || a === "-") env = {};
      else if (a === "-u") {
        args.shift();
        delete env[args[0] ?? ""];
      } else if (a === "--") {
        args.shift();
        break;
      } else if (/^[^=]+=/.test(a)) {
        const eq = a.indexOf("=");
        env[a.slice(0, eq)] = a.slice(eq + 1);
      } else break;
      args.shift();
    }
    if (!args.length) {
      await ctx.out(Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""));
      return 0;
    }
    // Run the command in a subshell whose exported variables are exactly `env`.
    const sub = ctx.sh.clone();
    sub.vars.clear();
    for (const [k, v] of Object.entries(env)) sub.vars.set(k, { value: v, exported: true, readonly: false });
    if (!sub.vars.has("IFS")) sub.vars.set("IFS", { value: " \t\n", exported: false, readonly: false });
    sub.funcs.clear();
    const { invoke } = await import("../interp/simple.ts");
    return invoke(sub, args, [], []);
  },
};
export default cmd;
