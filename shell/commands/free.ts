import { human, printJson } from "./lib.ts";
import { memInfo, takeJson } from "./sysinfo.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "free",
  summary: "free: display amount of free and used memory",
  usage: "Usage: free [-b|-k|-m|-g|-h] [--json]\nShows memory and swap use from /proc/meminfo (default KiB).\n  --json  values in KiB as JSON",
  async run(ctx) {
    const { json, rest } = takeJson(ctx.args);
    const m = memInfo();
    const total = m.MemTotal ?? 0;
    const free = m.MemFree ?? 0;
    const buffCache = (m.Buffers ?? 0) + (m.Cached ?? 0) + (m.SReclaimable ?? 0);
    const used = Math.max(0, total - free - buffCache);
    const info = { mem: { total, used, free, shared: m.Shmem ?? 0, buffCache, available: m.MemAvailable ?? free }, swap: { total: m.SwapTotal ?? 0, used: (m.SwapTotal ?? 0) - (m.SwapFree ?? 0), free: m.SwapFree ?? 0 } };
    if (json) return printJson(ctx, { unit: "KiB", ...info });
    const unit = rest.find((a) => /^-[bkmgh]$/.test(a))?.[1] ?? "k";
    const fmt = (kib: number) => (unit === "h" ? human(kib * 1024) : String(Math.floor((kib * 1024) / { b: 1, k: 1024, m: 1048576, g: 1073741824 }[unit as "b"])));
    const row = (label: string, vals: number[]) => label.padEnd(7) + vals.map((v) => fmt(v).padStart(12)).join("") + "\n";
    let out = "               total        used        free      shared  buff/cache   available\n";
    out += row("Mem:", [info.mem.total, info.mem.used, info.mem.free, info.mem.shared, info.mem.buffCache, info.mem.available]);
    out += row("Swap:", [info.swap.total, info.swap.used, info.swap.free]);
    await ctx.out(out);
    return 0;
  },
};
export default cmd;
