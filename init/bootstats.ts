// Boot measurements init reports for CI and `make bench-boot`: when the kernel
// ran /init (its own log line, kept in the ring buffer even under `quiet`) and memory in use.
import { closeSync, constants, openSync, readFileSync, readSync } from "node:fs";

export interface BootStats {
  initStartMs: number;
  helloMs: number;
  memUsedKiB: number;
  memTotalKiB: number;
}

/** A /dev/kmsg record "prio,seq,usec,flags;text" -> [ms, text]. */
export function parseKmsg(record: string): { ms: number; text: string } | undefined {
  const m = /^\d+,\d+,(\d+),[^;]*;(.*)/s.exec(record);
  return m ? { ms: Number(m[1]) / 1000, text: m[2]!.split("\n")[0]! } : undefined;
}

/** Kernel timestamp (ms since start) of the first log record matching `re`, from /dev/kmsg. */
export function kernelLogTime(re: RegExp, path = "/dev/kmsg"): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const buf = Buffer.alloc(8192);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EPIPE") continue; // records were overwritten while we read; go on
        return NaN; // EAGAIN: the end of the buffer
      }
      const rec = parseKmsg(buf.toString("utf8", 0, n));
      if (rec && re.test(rec.text)) return rec.ms;
    }
  } finally {
    closeSync(fd);
  }
}

export function memInfo(text: string): { totalKiB: number; availableKiB: number } {
  const field = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { totalKiB: field("MemTotal"), availableKiB: field("MemAvailable") };
}

export function collectBootStats(helloMs: number): BootStats {
  const m = memInfo(readFileSync("/proc/meminfo", "utf8"));
  return {
    initStartMs: Math.round(kernelLogTime(/^Run \/init as init process/)),
    helloMs: Math.round(helloMs),
    memUsedKiB: m.totalKiB - m.availableKiB,
    memTotalKiB: m.totalKiB,
  };
}
