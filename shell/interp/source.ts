// Running shell text: scripts, `-c` strings, `eval`, `.` files and trap actions.
// Text is parsed and run one complete command at a time, like dash does.
import { ShellSyntaxError } from "../parser/ast.ts";
import { Parser } from "../parser/parser.ts";
import { run } from "./exec.ts";
import { ExitSignal, type Shell } from "./shell.ts";
import { runExitTrap, clearTrapHandlers } from "./traps.ts";

/** Runs `src`; a syntax error is reported as `tsh: NAME:LINE:COL: message` and exits a non-interactive shell. */
export async function runText(sh: Shell, src: string, name = "tsh"): Promise<number> {
  const p = new Parser(src);
  let st = 0;
  let ran = false;
  for (;;) {
    let node;
    try {
      node = p.next();
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      await sh.err(`tsh: ${name}:${e.line}:${e.col}: ${e.message}`);
      sh.status = 2;
      if (!sh.interactive) throw new ExitSignal(2);
      return 2;
    }
    if (!node) break;
    if (sh.opts.verbose) await sh.err(src.slice(0, p.lx.pos).split("\n").slice(-2)[0] ?? "");
    if (sh.opts.noexec) continue;
    st = await run(sh, node);
    ran = true;
  }
  if (!ran) sh.status = 0;
  return ran ? st : 0;
}

export async function evalString(sh: Shell, src: string): Promise<number> {
  return runText(sh, src, "eval");
}

/** A whole program run: `exit` and the EXIT trap end here. */
export async function runProgram(sh: Shell, src: string, name: string): Promise<number> {
  let st: number;
  try {
    st = await runText(sh, src, name);
  } catch (e) {
    if (e instanceof ExitSignal) st = e.status;
    else {
      await sh.err(`tsh: internal error: ${(e as Error)?.stack ?? e}`);
      st = 70;
    }
  }
  try {
    st = await runExitTrap(sh, st);
  } catch (e) {
    if (!(e instanceof ExitSignal)) throw e;
    st = e.status;
  }
  if (!sh.isSubshell) clearTrapHandlers();
  return st & 255;
}
