// `trap`: EXIT and signal actions. Signal handlers only queue the signal; the
// action runs at the next command boundary, as POSIX shells do.
import { ExitSignal, type Shell } from "./shell.ts";

export const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, WINCH: 28 };

/** `2`, `INT`, `SIGINT` → `INT`; `0`/`EXIT` → `EXIT`. */
export function signalName(s: string): string | null {
  const u = s.toUpperCase().replace(/^SIG/, "");
  if (u === "EXIT" || u === "0") return "EXIT";
  if (/^[0-9]+$/.test(u)) return Object.keys(SIGNALS).find((k) => SIGNALS[k] === Number(u)) ?? null;
  return u in SIGNALS ? u : null;
}

const listeners = new Map<string, () => void>();

/** Sets (or with `null` resets) the action for a signal, installing a process handler for it. */
export function setTrap(sh: Shell, sig: string, action: string | null): void {
  if (action === null) sh.traps.delete(sig);
  else sh.traps.set(sig, action);
  if (sig === "EXIT" || sh.isSubshell) return;
  const name = ("SIG" + sig) as NodeJS.Signals;
  const old = listeners.get(sig);
  if (old) {
    process.off(name, old);
    listeners.delete(sig);
  }
  // The interactive shell keeps its own INT/TSTP/QUIT handling; traps are queued on top.
  if (action !== null || (sh.interactive && (sig === "INT" || sig === "TSTP" || sig === "QUIT"))) {
    const h = () => {
      if (sh.traps.get(sig)) sh.pendingSignals.push(sig);
    };
    try {
      process.on(name, h);
      listeners.set(sig, h);
    } catch {}
  }
}

/** Removes every process-level handler this module installed (the shell is finishing). */
export function clearTrapHandlers(): void {
  for (const [sig, h] of listeners) process.off(("SIG" + sig) as NodeJS.Signals, h);
  listeners.clear();
}

let running = false;

export async function runTraps(sh: Shell): Promise<void> {
  if (running) return;
  running = true;
  try {
    while (sh.pendingSignals.length) {
      const sig = sh.pendingSignals.shift()!;
      const action = sh.traps.get(sig);
      if (!action) continue;
      const saved = sh.status;
      const { evalString } = await import("./source.ts");
      await evalString(sh, action);
      sh.status = saved;
    }
  } finally {
    running = false;
  }
}

/** Runs the EXIT trap once; `exit` inside it sets the final status. */
export async function runExitTrap(sh: Shell, status: number): Promise<number> {
  const action = sh.traps.get("EXIT");
  if (!action) return status;
  sh.traps.delete("EXIT");
  sh.status = status;
  const { evalString } = await import("./source.ts");
  try {
    await evalString(sh, action);
  } catch (e) {
    if (e instanceof ExitSignal) return e.status;
    throw e;
  }
  return status;
}
