// PID 1 inherits every orphan; when one exits it stays a zombie until init
// waits for it. Bun only waits for the children it spawned, so init scans /proc
// for zombies whose parent is 1 and that Bun does not own, and reaps each by pid.
import { readdirSync, readFileSync } from "node:fs";
import { reapNoHang } from "../../lib/ffi/libc.ts";
import { ownedPids } from "./spawn.ts";

/** state and ppid from /proc/PID/stat ("pid (comm) S ppid ..."). */
export function statStateAndParent(stat: string): { state: string; ppid: number } {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: rest[0] ?? "?", ppid: Number(rest[1]) };
}

export function findOrphanZombies(proc = "/proc", owned: ReadonlySet<number> = ownedPids()): number[] {
  const out: number[] = [];
  for (const name of readdirSync(proc)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || owned.has(pid)) continue;
    try {
      const { state, ppid } = statStateAndParent(readFileSync(`${proc}/${name}/stat`, "utf8"));
      if (state === "Z" && ppid === 1) out.push(pid);
    } catch {
      // the process went away between readdir and read
    }
  }
  return out;
}

/** Reap every orphan zombie now; returns how many were reaped. */
export function reapOrphans(): number {
  let n = 0;
  for (const pid of findOrphanZombies()) if (reapNoHang(pid) === pid) n++;
  return n;
}

export function startReaper(intervalMs = 1000): () => void {
  const timer = setInterval(reapOrphans, intervalMs);
  return () => clearInterval(timer);
}
