import { printJson } from "./lib.ts";
import { takeJson, unameInfo } from "./sysinfo.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "uname",
  summary: "uname: print system information",
  usage: "Usage: uname [-asnrvmo] [--json]\n  -s kernel name  -n node name  -r kernel release  -v kernel version\n  -m machine  -o operating system  -a all\n  --json  all fields as JSON",
  async run(ctx) {
    const { json, rest } = takeJson(ctx.args);
    const u = unameInfo();
    if (json) return printJson(ctx, { ...u, os: "GNU/Linux" });
    let flags = "";
    for (const a of rest) {
      if (!/^-[asnrvmpio]+$/.test(a)) {
        await ctx.stderr.write(`uname: invalid option -- '${a.replace(/^-+/, "")}'\nTry 'uname --help' for more information.\n`);
        return 1;
      }
      flags += a.slice(1);
    }
    if (!flags) flags = "s";
    const all = flags.includes("a");
    const parts: string[] = [];
    if (all || flags.includes("s")) parts.push(u.sysname);
    if (all || flags.includes("n")) parts.push(u.nodename);
    if (all || flags.includes("r")) parts.push(u.release);
    if (all || flags.includes("v")) parts.push(u.version);
    if (all || flags.includes("m")) parts.push(u.machine);
    if (!all && flags.includes("p")) parts.push("unknown");
    if (!all && flags.includes("i")) parts.push("unknown");
    if (all || flags.includes("o")) parts.push("GNU/Linux");
    await ctx.out(parts.join(" ") + "\n");
    return 0;
  },
};
export default cmd;
