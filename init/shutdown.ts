// Orderly shutdown: services in reverse dependency order (SIGTERM, grace,
// SIGKILL), then every other process, sync, unmount writable filesystems, and
// the final reboot(2). The time it took is logged and printed.
import { readdirSync, readFileSync } from "node:fs";
import { reapOrphans } from "./proc/reaper.ts";
import { sync, umount, MNT_DETACH } from "../lib/ffi/libc.ts";
import type { Logger } from "./log/logger.ts";
import type { Supervisor } from "./supervisor/supervisor.ts";
import { powerOff, resetMachine } from "./power.ts";

export type PowerMode = "poweroff" | "reboot";

/** Writable block-device mounts, deepest first, from /proc/mounts text. */
export function writableMounts(procMounts: string): string[] {
  return procMounts
    .split("\n")
    .map((l) => l.split(" "))
    .filter((f) => f.length >= 4 && f[0]!.startsWith("/dev/") && f[3]!.split(",").includes("rw"))
    .map((f) => f[1]!)
    .sort((a, b) => b.length - a.length);
}

/** Userspace processes other than init (kernel threads have an empty cmdline). */
export function otherProcesses(proc = "/proc"): number[] {
  const out: number[] = [];
  for (const name of readdirSync(proc)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === 1) continue;
    try {
      if (readFileSync(`${proc}/${name}/cmdline`).length > 0) out.push(pid);
    } catch {
      // gone already
    }
  }
  return out;
}

/** SIGTERM everyone left, wait until they are gone (at most graceMs), then SIGKILL. */
async function killEverythingElse(graceMs: number): Promise<void> {
  if (!otherProcesses().length) return;
  try {
    process.kill(-1, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    reapOrphans();
    if (!otherProcesses().length) return;
    await Bun.sleep(20);
  }
  try {
    process.kill(-1, "SIGKILL");
  } catch {
    // all gone already
  }
}

let inProgress = false;

export async function shutdown(mode: PowerMode, sup: Supervisor, log: Logger, why: string, trace?: string, graceMs = 5000): Promise<never> {
  if (inProgress) return new Promise<never>(() => {});
  inProgress = true;
  const t0 = performance.now();
  log.notice("init", `${mode}: ${why}; stopping services`, trace);
  try {
    await sup.stopAll(graceMs, trace);
    await killEverythingElse(500);
    sync();
    for (const m of writableMounts(readFileSync("/proc/mounts", "utf8"))) {
      try {
        umount(m);
      } catch (e) {
        log.warn("init", `${(e as Error).message}; detaching instead`, trace);
        try {
          umount(m, MNT_DETACH);
        } catch {
          // nothing more to do; sync already ran
        }
      }
    }
  } catch (e) {
    log.error("init", `shutdown step failed: ${(e as Error).message}; going down anyway`, trace);
  }
  sync();
  log.notice("init", `${mode}: shutdown took ${Math.round(performance.now() - t0)} ms`, trace);
  console.log(mode === "reboot" ? "tsos: init: rebooting" : "tsos: init: powering off");
  return mode === "reboot" ? resetMachine() : powerOff();
}
