// The first line tsos init prints: proof that the TypeScript userspace is up.
import { readFileSync } from "node:fs";

export function kernelRelease(): string {
  return readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
}

export function helloLine(pid: number, release: string, msSinceBoot: number): string {
  return `tsos: hello from init (pid ${pid}) kernel=${release} t=${Math.round(msSinceBoot)}`;
}
