// Shell state: variables, positional parameters, functions, options, the fd
// table and the working directory. The process's own cwd is never changed:
// subshells and background jobs run in-process concurrently, each with its own copy.
import * as fs from "node:fs";
import type { Node } from "../parser/ast.ts";
import { FdStream, type Stream } from "./io.ts";
import { JobTable, type Job } from "./jobs.ts";

/** The processes of one job under job control: a process group once its first child runs. */
export interface ProcessGroup {
  pgid?: number;
  /** Children of the group still running (the group ends with the last). */
  live: number;
  /** A child of the group was stopped (Ctrl-Z, SIGSTOP, SIGTTIN). */
  onStop?: () => void;
}

export interface Var {
  value: string;
  exported: boolean;
  readonly: boolean;
}

export interface Options {
  errexit: boolean;
  nounset: boolean;
  xtrace: boolean;
  noglob: boolean;
  noclobber: boolean;
  allexport: boolean;
  verbose: boolean;
  noexec: boolean;
  monitor: boolean;
}

export const OPTION_LETTERS: Record<string, keyof Options> = {
  e: "errexit",
  u: "nounset",
  x: "xtrace",
  f: "noglob",
  C: "noclobber",
  a: "allexport",
  v: "verbose",
  n: "noexec",
  m: "monitor",
};

export class ShellError extends Error {}
/** `exit`, or a fatal error in a non-interactive shell. */
export class ExitSignal {
  constructor(readonly status: number) {}
}
export class ReturnSignal {
  constructor(readonly status: number) {}
}
export class LoopSignal {
  constructor(
    readonly kind: "break" | "continue",
    public levels: number,
  ) {}
}

/** Shared by a shell and all its subshells: the foreground interruption state. */
export interface Control {
  interrupted: boolean;
  abort: AbortController;
}

export class Shell {
  vars = new Map<string, Var>();
  positional: string[] = [];
  arg0 = "tsh";
  funcs = new Map<string, Node>();
  opts: Options = { errexit: false, nounset: false, xtrace: false, noglob: false, noclobber: false, allexport: false, verbose: false, noexec: false, monitor: false };
  cwd = process.cwd();
  status = 0;
  /** The last background job, for `$!` (its pid may still be settling). */
  lastBg: Job | null = null;
  /**
   * Set on a background job's subshell (and passed to the last stage of its pipeline):
   * the simple command that runs there reports the real pid of the program it starts,
   * or that it runs in-process. Never inherited by clones.
   */
  pidSlot: ((pid?: number) => void) | null = null;
  /** True only for the shell that is this process (main.ts): `exec CMD` may replace it. */
  ownsProcess = false;
  fds = new Map<number, Stream>();
  traps = new Map<string, string>();
  /** Saved values for `local`, one frame per active function call. */
  locals: Map<string, Var | undefined>[] = [];
  loopDepth = 0;
  /** >0 while running a condition, where `set -e` does not apply. */
  errexitOff = 0;
  interactive = false;
  isSubshell = false;
  jobs = new JobTable();
  control: Control = { interrupted: false, abort: new AbortController() };
  /** Commands that must run from PATH even when a builtin has the name (`command -p`). */
  preferExternal = false;
  pendingSignals: string[] = [];
  ticks = 0;
  /** Counts command substitutions, so an assignment-only command knows its status came from one. */
  substCount = 0;
  /** The background job this (sub)shell runs for: its child processes are recorded there. */
  job: Job | null = null;
  /** Set by the interactive shell once it owns its terminal: job control is on. */
  jobControl: { ttyFd: number; shellPgid: number } | null = null;
  /** The process group of the command line running in the foreground (job control). */
  fgGroup: ProcessGroup | null = null;
  /** Set by `exec` with only redirections: the table that outlives the command. */
  execFds: Map<number, Stream> | null = null;
  /** The job `fg` is waiting for, so Ctrl-Z can stop it. */
  foregroundJob: Job | null = null;
  /** getopts' place inside a group of flags (-abc), valid while OPTIND is `optind`. */
  getopts = { optind: 1, char: 0 };
  /** Child processes of the interactive foreground command (what Ctrl-Z stops). */
  foregroundProcs = new Set<number>();
  /** Names `export`ed while unset: exported once assigned. */
  exportPending = new Set<string>();
  /** Nesting of `.` files and functions, for `return`. */
  funcDepth = 0;
  sourceDepth = 0;

  static fromEnvironment(env: Record<string, string | undefined> = process.env): Shell {
    const sh = new Shell();
    for (const [k, v] of Object.entries(env)) if (v !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) sh.vars.set(k, { value: v, exported: true, readonly: false });
    sh.fds.set(0, new FdStream(0));
    sh.fds.set(1, new FdStream(1));
    sh.fds.set(2, new FdStream(2));
    if (!sh.vars.has("IFS")) sh.setVar("IFS", " \t\n");
    if (!sh.vars.has("PATH")) sh.setVar("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", true);
    sh.setVar("PS1", process.getuid?.() === 0 ? "# " : "$ ");
    sh.setVar("PS2", "> ");
    sh.setVar("PS4", "+ ");
    sh.setVar("PPID", String(process.ppid));
    const pwd = env.PWD;
    sh.cwd = pwd && isSameDir(pwd, process.cwd()) ? pwd : process.cwd();
    sh.setVar("PWD", sh.cwd, true);
    sh.setVar("OPTIND", "1");
    return sh;
  }

  /** A subshell: a copy that cannot affect this shell. */
  clone(): Shell {
    const c = new Shell();
    for (const [k, v] of this.vars) c.vars.set(k, { ...v });
    c.positional = this.positional.slice();
    c.arg0 = this.arg0;
    c.funcs = new Map(this.funcs);
    c.exportPending = new Set(this.exportPending);
    c.opts = { ...this.opts };
    c.cwd = this.cwd;
    c.status = this.status;
    c.lastBg = this.lastBg;
    c.fds = new Map(this.fds);
    // Traps are reset in subshells, except ignored signals (POSIX 2.11).
    for (const [k, v] of this.traps) if (v === "") c.traps.set(k, v);
    c.isSubshell = true;
    c.control = this.control;
    c.preferExternal = this.preferExternal;
    c.jobs = this.jobs;
    c.job = this.job;
    c.jobControl = this.jobControl;
    c.fgGroup = this.fgGroup;
    c.foregroundProcs = this.foregroundProcs;
    c.interactive = false;
    return c;
  }

  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  setVar(name: string, value: string, exported?: boolean): void {
    const v = this.vars.get(name);
    if (v?.readonly) throw new ShellError(`${name}: is read only`);
    if (v) {
      v.value = value;
      if (exported) v.exported = true;
    } else this.vars.set(name, { value, exported: exported || this.opts.allexport || this.exportPending.delete(name), readonly: false });
    if (this.opts.allexport) this.vars.get(name)!.exported = true;
  }

  unsetVar(name: string): void {
    const v = this.vars.get(name);
    if (v?.readonly) throw new ShellError(`${name}: is read only`);
    this.vars.delete(name);
  }

  /** Environment for child processes: exported variables plus per-command assignments. */
  environment(extra?: Map<string, string>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of this.vars) if (v.exported) env[k] = v.value;
    if (extra) for (const [k, v] of extra) env[k] = v;
    return env;
  }

  /** `$-` */
  optionFlags(): string {
    let s = "";
    for (const [letter, name] of Object.entries(OPTION_LETTERS)) if (this.opts[name]) s += letter;
    if (this.interactive) s += "i";
    return s;
  }

  /** Writes to the shell's stderr (fd 2 of the current fd table). */
  async err(msg: string): Promise<void> {
    const s = this.fds.get(2);
    if (s) await s.write(msg.endsWith("\n") ? msg : msg + "\n").catch(() => {});
  }
}

function isSameDir(a: string, b: string): boolean {
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}
