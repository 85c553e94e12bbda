import type { Command } from "./types.ts";
const cmd: Command = { name: "false", summary: "false: do nothing, unsuccessfully", usage: "Usage: false\nExits with status 1.", run: async () => 1 };
export default cmd;
