import { userName } from "./fsinfo.ts";
import { printJson } from "./lib.ts";
import { processes, takeJson } from "./sysinfo.ts";
import type { Command } from "./types.ts";

function cpuTime(s: number): string {
  const t = Math.floor(s);
  return `${String(Math.floor(t / 3600)).padStart(2, "0")}:${String(Math.floor((t % 3600) / 60)).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
}

const cmd: Command = {
  name: "ps",
  summary: "ps: report processes",
  usage: "Usage: ps [-ef|aux|-e|-A] [--json]\nLists every process (from /proc): PID, user, state, memory, CPU time and command line.\n  --json  as JSON",
  async run(ctx) {
    const { json } = takeJson(ctx.args);
    const procs = processes();
    if (json) return printJson(ctx, procs.map((p) => ({ ...p, user: userName(p.uid) })));
    let out = "    PID    PPID USER     STAT   RSS(K)     TIME COMMAND\n";
    for (const p of procs) out += `${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)} ${userName(p.uid).padEnd(8).slice(0, 8)} ${p.state.padEnd(4)} ${String(p.rssKiB).padStart(8)} ${cpuTime(p.cpuSeconds)} ${p.command}\n`;
    await ctx.out(out);
    return 0;
  },
};
export default cmd;
