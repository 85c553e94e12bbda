// Readers for /proc and /sys shared by the system-reporting commands (ps, free, uptime, uname, df, mount).
import * as fs from "node:fs";
import * as os from "node:os";

export function readProc(path: string): string | null {
  try {
    return fs.readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

export function unameInfo(): { sysname: string; nodename: string; release: string; version: string; machine: string } {
  const t = (p: string, d: string) => readProc(p)?.trim() || d;
  return {
    sysname: t("/proc/sys/kernel/ostype", os.type()),
    nodename: t("/proc/sys/kernel/hostname", os.hostname()),
    release: t("/proc/sys/kernel/osrelease", os.release()),
    version: t("/proc/sys/kernel/version", os.version()),
    machine: os.machine(),
  };
}

/** /proc/meminfo in KiB. */
export function memInfo(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (readProc("/proc/meminfo") ?? "").split("\n")) {
    const m = /^(\S+):\s+([0-9]+)/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

export interface Mount {
  source: string;
  target: string;
  fstype: string;
  options: string;
}

export function mounts(): Mount[] {
  const unesc = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return (readProc("/proc/mounts") ?? "")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [source, target, fstype, options] = l.split(" ");
      return { source: unesc(source ?? ""), target: unesc(target ?? ""), fstype: fstype ?? "", options: options ?? "" };
    });
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  uid: number;
  state: string;
  rssKiB: number;
  cpuSeconds: number;
  startSeconds: number;
  name: string;
  command: string;
  tty: number;
}

const CLK_TCK = 100;

export function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync("/proc").filter((n) => /^[0-9]+$/.test(n));
  } catch {}
  for (const n of names) {
    const stat = readProc(`/proc/${n}/stat`);
    if (!stat) continue;
    const close = stat.lastIndexOf(")");
    const name = stat.slice(stat.indexOf("(") + 1, close);
    const f = stat.slice(close + 2).split(" ");
    const status = readProc(`/proc/${n}/status`) ?? "";
    const uid = Number(/^Uid:\s+([0-9]+)/m.exec(status)?.[1] ?? 0);
    const cmdline = (readProc(`/proc/${n}/cmdline`) ?? "").replace(/\0+$/, "").split("\0").join(" ");
    out.push({
      pid: Number(n),
      ppid: Number(f[1]),
      uid,
      state: f[0] ?? "?",
      tty: Number(f[4]),
      cpuSeconds: (Number(f[11]) + Number(f[12])) / CLK_TCK,
      startSeconds: Number(f[19]) / CLK_TCK,
      rssKiB: Number(f[21]) * 4,
      name,
      command: cmdline || `[${name}]`,
    });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

export function uptimeSeconds(): number {
  return Number((readProc("/proc/uptime") ?? String(os.uptime())).split(" ")[0]);
}

/** Whether `--json` was asked for; returns the other arguments. */
export function takeJson(args: string[]): { json: boolean; rest: string[] } {
  return { json: args.includes("--json"), rest: args.filter((a) => a !== "--json") };
}
