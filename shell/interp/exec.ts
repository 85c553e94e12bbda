// Executing the syntax tree: lists, and-or lists, pipelines, compound commands.
import * as fs from "node:fs";
import type { Node, Redir } from "../parser/ast.ts";
import { expandPattern, expandString, expandWords, ExpansionError, matchPattern, setSubstRunner } from "./expand.ts";
import { FdStream, Pipe, type Stream } from "./io.ts";
import { applyRedirs, RedirError } from "./redirect.ts";
import { ExitSignal, LoopSignal, ShellError, type Shell } from "./shell.ts";
import { runSimple } from "./simple.ts";
import { runTraps, runExitTrap } from "./traps.ts";
import { nodeText } from "./text.ts";

/** Ctrl-C in an interactive shell: unwinds to the prompt. */
export class InterruptSignal {}

/** Called before every command: lets signals and timers run, and delivers traps. */
export async function checkpoint(sh: Shell): Promise<void> {
  // Yield to the event loop now and then so signal handlers (Ctrl-C, traps) run even in tight loops.
  if ((++sh.ticks & 127) === 0) await new Promise<void>((r) => setImmediate(r));
  if (sh.control.interrupted) throw new InterruptSignal();
  if (sh.pendingSignals.length && !sh.isSubshell) await runTraps(sh);
  if (sh.job?.abort.signal.aborted) throw new ExitSignal(130);
}

export async function run(sh: Shell, node: Node): Promise<number> {
  switch (node.type) {
    case "simple":
      return (sh.status = await runSimple(sh, node));
    case "list":
      return runList(sh, node.items);
    case "andor": {
      sh.errexitOff++;
      let st: number;
      try {
        st = await run(sh, node.left);
      } finally {
        sh.errexitOff--;
      }
      if ((node.op === "&&") === (st === 0)) st = await run(sh, node.right);
      return (sh.status = st);
    }
    case "pipeline":
      return runPipeline(sh, node);
    case "subshell":
      return withRedirs(sh, node.redirs, async () => {
        const st = await runIsolated(sh.clone(), node.body);
        sh.status = st;
        checkErrexit(sh, st);
        return st;
      });
    case "group":
      return withRedirs(sh, node.redirs, () => run(sh, node.body));
    case "if":
      return withRedirs(sh, node.redirs, async () => {
        for (const c of node.clauses) {
          if ((await condition(sh, c.cond)) === 0) return run(sh, c.body);
        }
        return node.else ? run(sh, node.else) : (sh.status = 0);
      });
    case "while":
      return withRedirs(sh, node.redirs, () => runWhile(sh, node));
    case "for":
      return withRedirs(sh, node.redirs, async () => {
        const items = node.words ? await expandWords(sh, node.words) : sh.positional.slice();
        let i = 0;
        return runLoop(sh, node.body, async () => {
          if (i >= items.length) return false;
          sh.setVar(node.name, items[i++]!);
          return true;
        });
      });
    case "case":
      return withRedirs(sh, node.redirs, async () => {
        const word = await expandString(sh, node.word);
        for (const item of node.items) {
          for (const p of item.patterns) {
            if (matchPattern(await expandPattern(sh, p), word)) return item.body ? run(sh, item.body) : (sh.status = 0);
          }
        }
        return (sh.status = 0);
      });
    case "func":
      sh.funcs.set(node.name, node.body);
      return (sh.status = 0);
  }
}

async function condition(sh: Shell, node: Node): Promise<number> {
  sh.errexitOff++;
  try {
    return await run(sh, node);
  } finally {
    sh.errexitOff--;
  }
}

async function runWhile(sh: Shell, node: Extract<Node, { type: "while" }>): Promise<number> {
  return runLoop(sh, node.body, async () => ((await condition(sh, node.cond)) === 0) !== node.until);
}

/** What for, while and until share: run the body while `more()` says so, honouring break/continue N. */
async function runLoop(sh: Shell, body: Node, more: () => Promise<boolean>): Promise<number> {
  let st = 0;
  sh.loopDepth++;
  try {
    while (await more()) {
      try {
        st = await run(sh, body);
      } catch (e) {
        if (!(e instanceof LoopSignal)) throw e;
        if (e.levels > 1) {
          e.levels--;
          throw e;
        }
        st = 0;
        if (e.kind === "break") break;
      }
    }
  } finally {
    sh.loopDepth--;
  }
  return (sh.status = st);
}

async function runList(sh: Shell, items: { node: Node; bg: boolean }[]): Promise<number> {
  let st = sh.status;
  for (const { node, bg } of items) {
    if (bg) {
      startBackground(sh, node);
      st = sh.status = 0;
    } else st = await run(sh, node);
  }
  return st;
}

/** `cmd &`: runs in a subshell copy; its stdin is /dev/null unless job control is on (POSIX 2.9.3). */
export function startBackground(sh: Shell, node: Node): void {
  const sub = sh.clone();
  const job = sh.jobs.create(nodeText(node));
  sub.job = job;
  if (sh.jobControl) job.group = { live: 0, onStop: () => (job.state = "stopped") };
  if (!sh.interactive) {
    try {
      sub.fds.set(0, new FdStream(fs.openSync("/dev/null", "r"), true));
    } catch {}
  }
  // `cmd &` and `a | cmd &` report the program's real pid; anything else runs in-process.
  if (reportsPid(node)) sub.pidSlot = job.settlePid;
  else job.settlePid();
  job.promise = runIsolated(sub, node).then((st) => {
    // Killed while running in-process: report it as the signal, not as an interrupted builtin.
    if (job.killedBy !== undefined && job.procs.size === 0 && st === 130) st = 128 + job.killedBy;
    job.state = "done";
    job.status = st;
    return st;
  });
  job.promise.then(
    () => job.settlePid(),
    () => job.settlePid(),
  );
  sh.lastBg = job;
}

/** A simple command, or a pipeline (not negated) whose last command is one. */
function reportsPid(node: Node): boolean {
  if (node.type === "simple") return true;
  return node.type === "pipeline" && !node.bang && node.cmds.at(-1)?.type === "simple";
}

/** Runs a node as a subshell: `exit` ends only it, and its EXIT trap runs at its end. */
export async function runIsolated(sub: Shell, node: Node): Promise<number> {
  let st: number;
  try {
    st = await run(sub, node);
  } catch (e) {
    if (e instanceof ExitSignal) st = e.status;
    else if (e instanceof LoopSignal) st = 0;
    else throw e;
  }
  sub.status = st;
  return runExitTrap(sub, st);
}

async function runPipeline(sh: Shell, node: Extract<Node, { type: "pipeline" }>): Promise<number> {
  let st: number;
  if (node.cmds.length === 1) {
    if (node.bang) sh.errexitOff++;
    try {
      st = await run(sh, node.cmds[0]!);
    } finally {
      if (node.bang) sh.errexitOff--;
    }
  } else {
    const stages: Promise<number>[] = [];
    let prev: Pipe | null = null;
    node.cmds.forEach((cmd, i) => {
      const sub = sh.clone();
      const inPipe = prev;
      const outPipe = i < node.cmds.length - 1 ? new Pipe() : null;
      if (inPipe) sub.fds.set(0, inPipe);
      if (outPipe) sub.fds.set(1, outPipe);
      if (node.bang) sub.errexitOff++;
      // A background pipeline's pid ($!) is its last process's, as in dash.
      if (i === node.cmds.length - 1) sub.pidSlot = sh.pidSlot;
      stages.push(
        runIsolated(sub, cmd).finally(() => {
          outPipe?.closeWrite();
          inPipe?.closeRead();
        }),
      );
      prev = outPipe;
    });
    const results = await Promise.all(stages);
    st = results.at(-1)!;
  }
  if (node.bang) st = st === 0 ? 1 : 0;
  sh.status = st;
  if (!node.bang) checkErrexit(sh, st);
  return st;
}

/** `set -e`: a failing command outside a condition ends the shell. */
export function checkErrexit(sh: Shell, st: number): void {
  if (st !== 0 && sh.opts.errexit && sh.errexitOff === 0) throw new ExitSignal(st);
}

/** After `exec` without a command, its fd table becomes the shell's; false when there was none. */
function adoptExecFds(sh: Shell): boolean {
  if (!sh.execFds) return false;
  sh.fds = sh.execFds;
  sh.execFds = null;
  return true;
}

/** Runs `fn` with redirections applied to the shell's fd table, restoring it afterwards. */
export async function withRedirs(sh: Shell, redirs: Redir[], fn: () => Promise<number>): Promise<number> {
  if (!redirs.length) {
    const saved = sh.fds;
    try {
      return await fn();
    } finally {
      if (!adoptExecFds(sh)) sh.fds = saved;
    }
  }
  let table: { fds: Map<number, Stream>; opened: Stream[] };
  try {
    table = await applyRedirs(sh, redirs);
  } catch (e) {
    return redirFailure(sh, e);
  }
  const saved = sh.fds;
  sh.fds = table.fds;
  try {
    return await fn();
  } finally {
    if (adoptExecFds(sh)) {
      // `exec 3>file`: the new table stays; what it replaced is released.
      const kept = new Set(sh.fds.values());
      for (const s of saved.values()) if (!kept.has(s) && s.osFd !== undefined && s.osFd > 2) s.close();
    } else {
      sh.fds = saved;
      for (const s of table.opened) s.close();
    }
  }
}

/** Reports a failed redirection or expansion; a non-interactive shell exits on expansion errors. */
export async function redirFailure(sh: Shell, e: unknown): Promise<number> {
  if (e instanceof RedirError) {
    await sh.err(`tsh: ${e.message}`);
    return (sh.status = 2);
  }
  if (e instanceof ExpansionError) {
    await sh.err(`tsh: ${e.message}`);
    if (!sh.interactive) throw new ExitSignal(2);
    return (sh.status = 2);
  }
  if (e instanceof ShellError) {
    await sh.err(`tsh: ${e.message}`);
    if (!sh.interactive) throw new ExitSignal(2);
    return (sh.status = 2);
  }
  throw e;
}

setSubstRunner(async (sub, body) => runIsolated(sub, body));
