import { unameInfo } from "./sysinfo.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "hostname",
  summary: "hostname: show or set the system's host name",
  usage: "Usage: hostname [NAME]\nPrints the host name, or sets it to NAME (root only).",
  async run(ctx) {
    const name = ctx.args.find((a) => !a.startsWith("-"));
    if (name === undefined) {
      await ctx.out(unameInfo().nodename + "\n");
      return 0;
    }
    try {
      const { sethostname } = await import("../../lib/ffi/libc.ts");
      sethostname(name);
      return 0;
    } catch (e) {
      await ctx.err(`you must be root to change the host name (${(e as Error).message})`);
      return 1;
    }
  },
};
export default cmd;
