import * as fs from "node:fs";
import { isatty } from "node:tty";
import { RawMode, readable } from "../interp/ffi.ts";
import { userName } from "./fsinfo.ts";
import { printJson, usageError } from "./lib.ts";
import { memInfo, processes, readProc, uptimeSeconds, type ProcInfo } from "./sysinfo.ts";
import type { Command, Ctx } from "./types.ts";

interface Sample {
  at: number;
  /** Jiffies per field of /proc/stat's "cpu" line: user nice system idle iowait irq softirq steal. */
  cpu: number[];
  procs: ProcInfo[];
}

export function sample(): Sample {
  const line = (readProc("/proc/stat") ?? "").split("\n").find((l) => l.startsWith("cpu ")) ?? "cpu";
  return { at: performance.now(), cpu: line.split(/\s+/).slice(1, 9).map(Number), procs: processes() };
}

export interface Row extends ProcInfo {
  user: string;
  cpuPercent: number;
  memPercent: number;
}

export interface Report {
  time: string;
  uptimeSeconds: number;
  load: number[];
  tasks: { total: number; running: number; sleeping: number; stopped: number; zombie: number };
  cpu: { user: number; system: number; idle: number; iowait: number };
  memKiB: { total: number; free: number; used: number; buffCache: number; available: number };
  processes: Row[];
}

/** What changed between two samples, as percentages; processes sorted by CPU, then memory. */
export function report(a: Sample, b: Sample): Report {
  const d = b.cpu.map((v, i) => v - (a.cpu[i] ?? 0));
  const total = d.reduce((x, y) => x + y, 0) || 1;
  const pct = (v: number) => Math.round((1000 * v) / total) / 10;
  const before = new Map(a.procs.map((p) => [p.pid, p.cpuSeconds]));
  const secs = Math.max(0.001, (b.at - a.at) / 1000);
  const m = memInfo();
  const memTotal = m.MemTotal ?? 0;
  const buffCache = (m.Buffers ?? 0) + (m.Cached ?? 0) + (m.SReclaimable ?? 0);
  const rows = b.procs.map((p) => ({
    ...p,
    user: userName(p.uid),
    cpuPercent: Math.round((1000 * Math.max(0, p.cpuSeconds - (before.get(p.pid) ?? p.cpuSeconds))) / secs) / 10,
    memPercent: memTotal ? Math.round((1000 * p.rssKiB) / memTotal) / 10 : 0,
  }));
  rows.sort((x, y) => y.cpuPercent - x.cpuPercent || y.rssKiB - x.rssKiB || x.pid - y.pid);
  const count = (s: string) => b.procs.filter((p) => s.includes(p.state)).length;
  return {
    time: new Date().toTimeString().slice(0, 8),
    uptimeSeconds: uptimeSeconds(),
    load: (readProc("/proc/loadavg") ?? "0 0 0").split(" ").slice(0, 3).map(Number),
    tasks: { total: b.procs.length, running: count("R"), sleeping: count("SDI"), stopped: count("Tt"), zombie: count("Z") },
    cpu: { user: pct((d[0] ?? 0) + (d[1] ?? 0)), system: pct((d[2] ?? 0) + (d[5] ?? 0) + (d[6] ?? 0)), idle: pct(d[3] ?? 0), iowait: pct(d[4] ?? 0) },
    memKiB: { total: memTotal, free: m.MemFree ?? 0, used: Math.max(0, memTotal - (m.MemFree ?? 0) - buffCache), buffCache, available: m.MemAvailable ?? 0 },
    processes: rows,
  };
}

function render(r: Report, rows: number, cols: number): string {
  const up = r.uptimeSeconds;
  const upText = up >= 86400 ? `${Math.floor(up / 86400)} days, ${Math.floor((up % 86400) / 3600)}:${String(Math.floor((up % 3600) / 60)).padStart(2, "0")}` : `${Math.floor(up / 3600)}:${String(Math.floor((up % 3600) / 60)).padStart(2, "0")}`;
  const mib = (k: number) => (k / 1024).toFixed(1);
  const lines = [
    `top - ${r.time} up ${upText},  load average: ${r.load.map((l) => l.toFixed(2)).join(", ")}`,
    `Tasks: ${r.tasks.total} total, ${r.tasks.running} running, ${r.tasks.sleeping} sleeping, ${r.tasks.stopped} stopped, ${r.tasks.zombie} zombie`,
    `%Cpu(s): ${r.cpu.user.toFixed(1)} us, ${r.cpu.system.toFixed(1)} sy, ${r.cpu.idle.toFixed(1)} id, ${r.cpu.iowait.toFixed(1)} wa`,
    `MiB Mem: ${mib(r.memKiB.total)} total, ${mib(r.memKiB.free)} free, ${mib(r.memKiB.used)} used, ${mib(r.memKiB.buffCache)} buff/cache, ${mib(r.memKiB.available)} avail`,
    "",
    "    PID USER     S  %CPU  %MEM   RSS(K) COMMAND",
  ];
  for (const p of r.processes.slice(0, Math.max(1, rows - lines.length - 1))) {
    lines.push(`${String(p.pid).padStart(7)} ${p.user.padEnd(8).slice(0, 8)} ${p.state} ${p.cpuPercent.toFixed(1).padStart(5)} ${p.memPercent.toFixed(1).padStart(5)} ${String(p.rssKiB).padStart(8)} ${p.command}`);
  }
  return lines.map((l) => l.slice(0, cols)).join("\n") + "\n";
}

interface Opts {
  batch: boolean;
  iterations?: number;
  delayS: number;
  json: boolean;
}

function parse(args: string[]): Opts | string {
  const o: Opts = { batch: false, delayS: 2, json: false };
  args = args.flatMap((a) => (/^-[nd]./.test(a) ? [a.slice(0, 2), a.slice(2)] : [a]));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-b") o.batch = true;
    else if (a === "-n") o.iterations = Number(args[++i]);
    else if (a === "-d") o.delayS = Number(args[++i]);
    else if (a === "--json") o.json = true;
    else return `invalid option '${a}'`;
  }
  if (o.iterations !== undefined && !(Number.isInteger(o.iterations) && o.iterations > 0)) return "-n needs a positive whole number";
  if (!(o.delayS > 0)) return "-d needs a positive number of seconds";
  return o;
}

/** Waits `ms`, polling the terminal for 'q' (or Ctrl-C in raw mode). True when the user quit. */
async function waitOrQuit(ctx: Ctx, ms: number, keysFd: number | undefined): Promise<boolean> {
  const end = performance.now() + ms;
  while (performance.now() < end && !ctx.signal.aborted) {
    if (keysFd !== undefined && readable(keysFd, 0)) {
      const b = new Uint8Array(16);
      const n = fs.readSync(keysFd, b);
      if (n <= 0 || b.subarray(0, n).some((c) => c === 0x71 || c === 0x51 || c === 0x03)) return true;
    }
    await Bun.sleep(Math.min(50, Math.max(0, end - performance.now())));
  }
  return ctx.signal.aborted;
}

const cmd: Command = {
  name: "top",
  summary: "top: display processes by CPU use, refreshing",
  usage: [
    "Usage: top [-b] [-n COUNT] [-d SECONDS] [--json]",
    "Shows system load, memory and the busiest processes, refreshing every -d",
    "seconds (default 2) until 'q' or Ctrl-C.",
    "  -b         batch: plain successive reports (for scripts and pipes)",
    "  -n COUNT   stop after COUNT reports",
    "  --json     one report as JSON (CPU use measured over -d seconds)",
  ].join("\n"),
  async run(ctx) {
    const o = parse(ctx.args);
    if (typeof o === "string") {
      await usageError(ctx, o);
      return 2;
    }
    // CPU shares need two samples: the first report covers a short initial interval.
    let prev = sample();
    if (o.json) {
      await waitOrQuit(ctx, Math.min(o.delayS * 1000, 1000), undefined);
      return printJson(ctx, report(prev, sample()));
    }
    const outFd = ctx.stdout.osFd;
    const screen = !o.batch && outFd !== undefined && isatty(outFd);
    const inFd = ctx.stdin.osFd;
    const raw = screen && inFd !== undefined && isatty(inFd) ? new RawMode(inFd) : undefined;
    const keysFd = raw?.enter() ? inFd : undefined;
    try {
      await waitOrQuit(ctx, 300, keysFd);
      for (let n = 0; ; ) {
        const now = sample();
        const r = report(prev, now);
        prev = now;
        const rows = screen ? (process.stdout.rows ?? 24) : Infinity;
        const cols = screen ? (process.stdout.columns ?? 80) : Infinity;
        await ctx.out((screen ? "\x1b[H\x1b[2J" : n ? "\n" : "") + render(r, rows, cols));
        if (o.iterations !== undefined && ++n >= o.iterations) break;
        if (await waitOrQuit(ctx, o.delayS * 1000, keysFd)) break;
      }
    } finally {
      raw?.restore();
    }
    return 0;
  },
};
export default cmd;
