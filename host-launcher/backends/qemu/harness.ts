// Boot a guest under QEMU with the serial console captured line by line:
// the log goes to a file, and the caller decides when the boot has succeeded.
import { createWriteStream } from "node:fs";
import { qemuArgs, type QemuGuest } from "./args.ts";

export interface BootResult {
  /** QEMU's exit code, or null when we killed it. */
  exitCode: number | null;
  timedOut: boolean;
  panic: string | undefined;
  lines: string[];
  /** ms from QEMU's spawn to each line's arrival, same index as lines. */
  arrivals: number[];
  wallMs: number;
}

export interface BootOptions {
  logFile?: string;
  timeoutMs: number;
  onLine?: (line: string, msSinceSpawn: number) => void;
}

const PANIC = /Kernel panic|Attempted to kill init|end Kernel panic/;

export async function bootAndCapture(guest: Omit<QemuGuest, "serial">, opts: BootOptions): Promise<BootResult> {
  const argv = qemuArgs({ ...guest, serial: "pipe" });
  const log = opts.logFile ? createWriteStream(opts.logFile) : undefined;
  const t0 = performance.now();
  const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const lines: string[] = [];
  const arrivals: number[] = [];
  let panic: string | undefined;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, opts.timeoutMs);

  const decoder = new TextDecoder();
  let partial = "";
  const take = (line: string) => {
    const clean = line.replace(/\r$/, "");
    const t = performance.now() - t0;
    lines.push(clean);
    arrivals.push(t);
    if (!panic && PANIC.test(clean)) panic = clean;
    opts.onLine?.(clean, t);
  };
  const pump = (async () => {
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
      log?.write(chunk);
      partial += decoder.decode(chunk, { stream: true });
      const parts = partial.split("\n");
      partial = parts.pop()!;
      for (const p of parts) take(p);
    }
    if (partial) take(partial);
  })();
  const stderr = new Response(proc.stderr as ReadableStream).text();
  const exitCode = await proc.exited;
  clearTimeout(timer);
  await pump;
  const err = (await stderr).trim();
  if (err) {
    log?.write(`\n[qemu stderr] ${err}\n`);
    for (const l of err.split("\n")) take(`[qemu] ${l}`);
  }
  await new Promise<void>((r) => (log ? log.end(r) : r()));
  return { exitCode: timedOut ? null : exitCode, timedOut, panic, lines, arrivals, wallMs: performance.now() - t0 };
}
