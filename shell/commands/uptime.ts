import { printJson } from "./lib.ts";
import { readProc, takeJson, uptimeSeconds } from "./sysinfo.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "uptime",
  summary: "uptime: tell how long the system has been running",
  usage: "Usage: uptime [-p] [--json]\nPrints the time, how long the system has been up and the load averages.\n  -p  pretty duration only   --json  as JSON",
  async run(ctx) {
    const { json, rest } = takeJson(ctx.args);
    const secs = uptimeSeconds();
    const load = (readProc("/proc/loadavg") ?? "0 0 0").split(" ").slice(0, 3).map(Number);
    if (json) return printJson(ctx, { uptimeSeconds: secs, load1: load[0], load5: load[1], load15: load[2] });
    const days = Math.floor(secs / 86400);
    const hours = Math.floor((secs % 86400) / 3600);
    const mins = Math.floor((secs % 3600) / 60);
    if (rest.includes("-p")) {
      const parts = [days && `${days} day${days > 1 ? "s" : ""}`, hours && `${hours} hour${hours > 1 ? "s" : ""}`, `${mins} minute${mins === 1 ? "" : "s"}`].filter(Boolean);
      await ctx.out(`up ${parts.join(", ")}\n`);
      return 0;
    }
    const now = new Date();
    const clock = [now.getHours(), now.getMinutes(), now.getSeconds()].map((v) => String(v).padStart(2, "0")).join(":");
    const up = (days ? `${days} day${days > 1 ? "s" : ""}, ` : "") + (hours ? `${String(hours).padStart(2)}:${String(mins).padStart(2, "0")}` : `${mins} min`);
    await ctx.out(` ${clock} up ${up},  load average: ${load.map((l) => (l ?? 0).toFixed(2)).join(", ")}\n`);
    return 0;
  },
};
export default cmd;
