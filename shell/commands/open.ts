import { printJson } from "./lib.ts";
import { takeJson } from "./sysinfo.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "open",
  summary: "open: open an app on the desktop by URL (tsos://terminal, ...)",
  usage:
    "Usage: open [--json] URL...\n" +
    "Asks the desktop (wm, over /run/tsos/wm.sock) to open each URL in a new window.\n" +
    "Apps: tsos://terminal tsos://monitor tsos://logs tsos://files tsos://settings\n" +
    "  --json  print the desktop's replies as JSON",
  async run(ctx) {
    const { json, rest } = takeJson(ctx.args);
    if (rest.length === 0) {
      await ctx.err("missing URL (try: open tsos://terminal)");
      return 2;
    }
    const { wmRequest } = await import("../../wm/control/client.ts");
    const replies = [];
    let status = 0;
    for (const url of rest) {
      try {
        const r = await wmRequest({ op: "open", url });
        replies.push(r);
        if (!r.ok) {
          status = 1;
          if (!json) await ctx.err(r.error ?? "failed");
        }
      } catch (e) {
        await ctx.err((e as Error).message);
        return 1;
      }
    }
    if (json) await printJson(ctx, replies);
    return status;
  },
};
export default cmd;
