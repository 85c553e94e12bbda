import * as fs from "node:fs";
import { human, printJson } from "./lib.ts";
import { mounts, takeJson } from "./sysinfo.ts";
import type { Command } from "./types.ts";

const PSEUDO = new Set(["proc", "sysfs", "devpts", "cgroup", "cgroup2", "securityfs", "pstore", "debugfs", "tracefs", "bpf", "mqueue", "hugetlbfs", "configfs", "fusectl", "binfmt_misc", "autofs", "nsfs", "rpc_pipefs", "efivarfs", "selinuxfs"]);

const cmd: Command = {
  name: "df",
  summary: "df: report file system space usage",
  usage: "Usage: df [-h] [-a] [--json] [FILE...]\nShows size, used and available space of mounted filesystems (1K blocks).\n  -h  human-readable   -a  include pseudo filesystems   --json  bytes as JSON",
  async run(ctx) {
    const { json, rest } = takeJson(ctx.args);
    const h = rest.includes("-h");
    const all = rest.includes("-a");
    const files = rest.filter((a) => !a.startsWith("-"));
    let list = mounts().filter((m) => all || !PSEUDO.has(m.fstype));
    if (files.length) {
      list = files.map((f) => {
        const p = ctx.resolve(f);
        return list.filter((m) => p === m.target || p.startsWith(m.target.endsWith("/") ? m.target : m.target + "/")).sort((a, b) => b.target.length - a.target.length)[0]!;
      }).filter(Boolean);
    }
    const rows = list.flatMap((m) => {
      try {
        const s = fs.statfsSync(m.target);
        const size = s.blocks * s.bsize;
        const avail = s.bavail * s.bsize;
        const used = (s.blocks - s.bfree) * s.bsize;
        if (!all && size === 0) return [];
        return [{ filesystem: m.source, type: m.fstype, size, used, available: avail, mountedOn: m.target }];
      } catch {
        return [];
      }
    });
    if (json) return printJson(ctx, rows);
    const fmt = (b: number) => (h ? human(b) : String(Math.ceil(b / 1024)));
    const table = [["Filesystem", h ? "Size" : "1K-blocks", "Used", "Available", "Use%", "Mounted on"], ...rows.map((r) => [r.filesystem, fmt(r.size), fmt(r.used), fmt(r.available), r.size ? `${Math.ceil((r.used / (r.used + r.available || 1)) * 100)}%` : "-", r.mountedOn])];
    const w = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    await ctx.out(table.map((r) => r.map((c, i) => (i === 0 || i === 5 ? c.padEnd(i === 5 ? 0 : w[i]!) : c.padStart(w[i]!))).join(" ") + "\n").join(""));
    return 0;
  },
};
export default cmd;
