// Boot a guest under QEMU with the serial console captured line by line:
// the log goes to a file, and the caller decides when the boot has succeeded.
import type { QemuGuest } from "./args.ts";
import { QemuVm } from "./vm.ts";

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
}

/** Boot until QEMU exits (the guest powered off or panicked) or the timeout kills it. */
export async function bootAndCapture(guest: Omit<QemuGuest, "serial">, opts: BootOptions): Promise<BootResult> {
  const vm = new QemuVm({ ...guest, logFile: opts.logFile });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    vm.kill();
  }, opts.timeoutMs);
  const exitCode = await vm.exited;
  clearTimeout(timer);
  const wallMs = vm.msSinceSpawn();
  await vm.dispose();
  return { exitCode: timedOut ? null : exitCode, timedOut, panic: vm.panic, lines: vm.lines, arrivals: vm.arrivals, wallMs };
}
