// `status`: what a person asks of a running guest, in one object.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { memInfo } from "../bootstats.ts";
import type { Supervisor } from "../supervisor/supervisor.ts";

export function systemStatus(sup: Supervisor) {
  const read = (p: string) => {
    try {
      return readFileSync(p, "utf8");
    } catch {
      return "";
    }
  };
  const mem = memInfo(read("/proc/meminfo"));
  const load = read("/proc/loadavg").split(" ").slice(0, 3).map(Number);
  return {
    hostname: hostname(),
    kernel: read("/proc/sys/kernel/osrelease").trim(),
    uptimeS: Number(read("/proc/uptime").split(" ")[0]),
    memory: { totalKiB: mem.totalKiB, availableKiB: mem.availableKiB },
    load,
    services: sup.status(),
  };
}
