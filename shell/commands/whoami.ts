import { userName } from "./fsinfo.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "whoami",
  summary: "whoami: print the effective user name",
  usage: "Usage: whoami\nPrints the user name of the effective user id.",
  async run(ctx) {
    await ctx.out(userName(process.geteuid?.() ?? 0) + "\n");
    return 0;
  },
};
export default cmd;
