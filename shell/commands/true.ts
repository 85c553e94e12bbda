import type { Command } from "./types.ts";
const cmd: Command = { name: "true", summary: "true: do nothing, successfully", usage: "Usage: true\nExits with status 0.", run: async () => 0 };
export default cmd;
