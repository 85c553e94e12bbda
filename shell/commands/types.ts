// The interface every tsh command implements, builtin or shell-intrinsic.
import type { Stream } from "../interp/io.ts";
import type { Shell } from "../interp/shell.ts";

export interface Ctx {
  /** argv[0] as typed. */
  name: string;
  /** Arguments after argv[0]. */
  args: string[];
  sh: Shell;
  stdin: Stream;
  stdout: Stream;
  stderr: Stream;
  cwd: string;
  env: Record<string, string>;
  /** Aborted on Ctrl-C or `kill` of the job: long-running commands must stop. */
  signal: AbortSignal;
  out(s: string | Uint8Array): Promise<void>;
  /** Writes "name: msg" to stderr. */
  err(msg: string): Promise<void>;
  /** A path made absolute against the shell's cwd. */
  resolve(p: string): string;
}

export interface Command {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** Full text for `--help`. */
  usage: string;
  run(ctx: Ctx): Promise<number>;
  /** Commands for which `--help` is an ordinary argument (test, [). */
  noHelp?: boolean;
}
