// klogd: follows the kernel's log (/dev/kmsg) and prints each record as one
// line; init's supervisor turns this service's stdout into structured log
// entries, so kernel messages are searchable with `logs --service klogd`.
// The last forwarded sequence number is kept in /run so a restarted klogd
// (a crash, or a hot replace) does not forward the whole buffer again.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { parseKmsg } from "../../init/bootstats.ts";

const LEVELS = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];
const SEQ_FILE = "/run/tsos/klogd.seq";

function lastSeq(): number {
  try {
    return Number(readFileSync(SEQ_FILE, "utf8")) || -1;
  } catch {
    return -1;
  }
}

export async function main(): Promise<number> {
  // A blocking fd read on the thread pool: one record per read, no polling at idle.
  const kmsg = await open("/dev/kmsg", "r");
  mkdirSync("/run/tsos", { recursive: true });
  const skipThrough = lastSeq();
  writeFileSync("/run/tsos/klogd.ready", String(process.pid));
  const buf = Buffer.alloc(8192);
  for (;;) {
    let n: number;
    try {
      ({ bytesRead: n } = await kmsg.read(buf, 0, buf.length, null));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EPIPE") continue; // records overwritten: go on from the next
      throw e;
    }
    const raw = buf.toString("utf8", 0, n);
    const rec = parseKmsg(raw);
    if (!rec) continue;
    const [prio, seq] = raw.split(",", 2).map(Number) as [number, number];
    if (seq <= skipThrough) continue;
    console.log(`[${(rec.ms / 1000).toFixed(6)}] ${LEVELS[prio & 7]}: ${rec.text}`);
    writeFileSync(SEQ_FILE, String(seq));
  }
}
