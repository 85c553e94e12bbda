// dmesg: the kernel log, read record by record from /dev/kmsg without blocking.
import * as fs from "node:fs";
import type { Command } from "./types.ts";

export function formatKmsg(record: string): string | null {
  const semi = record.indexOf(";");
  if (semi < 0) return null;
  const [, , ts] = record.slice(0, semi).split(",");
  const usec = Number(ts ?? 0);
  const msg = record.slice(semi + 1).split("\n")[0]!.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return `[${(usec / 1e6).toFixed(6).padStart(12)}] ${msg}`;
}

const cmd: Command = {
  name: "dmesg",
  summary: "dmesg: print the kernel ring buffer",
  usage: "Usage: dmesg\nPrints the kernel log from /dev/kmsg as '[seconds] message' lines.",
  async run(ctx) {
    let fd: number;
    try {
      fd = fs.openSync("/dev/kmsg", fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    } catch (e) {
      await ctx.err(`read kernel buffer failed: ${(e as NodeJS.ErrnoException).code === "EACCES" || (e as NodeJS.ErrnoException).code === "EPERM" ? "Operation not permitted" : (e as Error).message}`);
      return 1;
    }
    const buf = Buffer.alloc(8192);
    let out = "";
    try {
      for (;;) {
        let n: number;
        try {
          n = fs.readSync(fd, buf, 0, buf.length, null);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === "EPIPE") continue; // records overwritten while reading
          break; // EAGAIN: the end of the log
        }
        if (n <= 0) break;
        const line = formatKmsg(buf.subarray(0, n).toString("utf8"));
        if (line) out += line + "\n";
      }
    } finally {
      fs.closeSync(fd);
    }
    await ctx.out(out);
    return 0;
  },
};
export default cmd;
