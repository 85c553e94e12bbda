// `exec CMD`: replace the tsh process with CMD, as a shell's exec does. Bun keeps
// descriptors of its own open (epoll, eventfds, its log and the executable); the
// program must see only 0/1/2 and the ones the script redirected, so every other
// descriptor is marked close-on-exec. Signals are reset: Bun ignores SIGPIPE, and
// an ignored signal stays ignored across execve (only `trap '' SIG` should).
import * as fs from "node:fs";
import { closeFd, defaultSignal, dup2, dupAbove, execve, ignoreSignal, setCloseOnExec, unblockAllSignals } from "../../lib/ffi/libc.ts";
import type { Shell } from "./shell.ts";
import { signalName } from "./traps.ts";

/** The fds the shell's table maps 0–9 to, or null when one is in-process (a capture, a pipe to a builtin). */
function osTable(sh: Shell): Map<number, number> | null {
  const table = new Map<number, number>();
  for (const [fd, s] of sh.fds) {
    if (fd > 9) continue;
    if (s.osFd === undefined) return null;
    table.set(fd, s.osFd);
  }
  return table;
}

/**
 * Replaces this process with `path` when the shell is this process and its fds are all
 * OS descriptors; returns false (nothing changed) when it cannot. Throws when execve
 * itself fails, after the fd table has been rearranged: the caller must then exit.
 */
export function replaceProcess(sh: Shell, path: string, argv: string[], env: Record<string, string>): boolean {
  if (!sh.ownsProcess) return false;
  const table = osTable(sh);
  if (!table) return false;
  process.chdir(sh.cwd);
  // Park every source above 9 first, so any permutation (3>&1 1>&2 2>&3) lands right.
  const parked = new Map<number, number>();
  for (const [fd, src] of table) parked.set(fd, dupAbove(src, 10));
  for (let fd = 0; fd < 3; fd++) if (!table.has(fd)) closeFd(fd);
  for (const [fd, p] of parked) dup2(p, fd); // dup2 clears close-on-exec on the target
  for (const name of fs.readdirSync("/proc/self/fd")) {
    const fd = Number(name);
    if (!table.has(fd)) setCloseOnExec(fd, true);
  }
  // All standard signals, not only those tsh names: Bun also ignores SIGXFSZ.
  for (let n = 1; n < 32; n++) {
    if (n === 9 || n === 19) continue;
    const name = signalName(String(n));
    if (name && sh.traps.get(name) === "") ignoreSignal(n);
    else defaultSignal(n);
  }
  unblockAllSignals();
  execve(path, argv, env);
}
