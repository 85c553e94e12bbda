// Boot a guest on the native backend in its own process (vm-process.ts) with the
// serial console captured line by line and timed; tests, benchmarks and
// `tsos run --headless` share it. Same result shape as the QEMU harness.
import { appendFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { BootResult } from "../backends/qemu/harness.ts";
import type { VmProcessConfig } from "./vm-process.ts";

const PANIC = /Kernel panic|Attempted to kill init/;
const VM_PROCESS = resolve(import.meta.dir, "vm-process.ts");

export interface NativeBootResult extends BootResult {
  /** What vm-process said about how the VM ended (its last stderr line). */
  stopLine: string;
}

export async function bootNativeAndCapture(cfg: Omit<VmProcessConfig, "interactive" | "timeoutS">, opts: { timeoutMs: number; logFile?: string }): Promise<NativeBootResult> {
  const t0 = performance.now();
  const full: VmProcessConfig = { ...cfg, interactive: false, timeoutS: opts.timeoutMs / 1000 };
  const p = Bun.spawn([process.execPath, VM_PROCESS, JSON.stringify(full)], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  if (opts.logFile) writeFileSync(opts.logFile, "");
  const lines: string[] = [];
  const arrivals: number[] = [];
  let panic: string | undefined;
  const take = (line: string) => {
    lines.push(line);
    arrivals.push(performance.now() - t0);
    if (!panic && PANIC.test(line)) panic = line;
    if (opts.logFile) appendFileSync(opts.logFile, line + "\n");
  };
  const readLines = async () => {
    const dec = new TextDecoder();
    let partial = "";
    for await (const chunk of p.stdout) {
      const parts = (partial + dec.decode(chunk, { stream: true })).split("\n");
      partial = parts.pop()!;
      for (const l of parts) take(l.replace(/\r$/, ""));
    }
    if (partial) take(partial);
  };
  // A hard stop in case the VM process itself wedges: its own timeout plus a margin.
  const killer = setTimeout(() => p.kill("SIGKILL"), opts.timeoutMs + 15_000);
  const [, stderr, code] = await Promise.all([readLines(), new Response(p.stderr).text(), p.exited]);
  clearTimeout(killer);
  const stopLine = stderr.trim().split("\n").filter((l) => l.startsWith("tsos-vm:")).pop() ?? stderr.trim().split("\n").pop() ?? "";
  return { exitCode: code, timedOut: code === 124 || p.signalCode === "SIGKILL", panic, lines, arrivals, wallMs: performance.now() - t0, stopLine };
}
