import type { Command } from "./types.ts";
const cmd: Command = {
  name: "clear",
  summary: "clear: clear the terminal screen",
  usage: "Usage: clear\nClears the screen and scrollback and moves the cursor home.",
  async run(ctx) {
    await ctx.out("\x1b[H\x1b[2J\x1b[3J");
    return 0;
  },
};
export default cmd;
