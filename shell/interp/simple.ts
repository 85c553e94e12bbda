// Simple commands: expansion, assignments, lookup (special builtin, function,
// builtin, PATH) and running the command with its redirections.
import type { Node, Redir } from "../parser/ast.ts";
import { loadCommand } from "../commands/index.ts";
import type { Command, Ctx } from "../commands/types.ts";
import { intrinsic, SPECIAL } from "./builtins/index.ts";
import { checkErrexit, checkpoint, InterruptSignal, redirFailure, run, withRedirs } from "./exec.ts";
import { expandString, expandWords } from "./expand.ts";
import { spawnExternal } from "./external.ts";
import { BrokenPipe, BufferStream, type Stream } from "./io.ts";
import { ExitSignal, LoopSignal, ReturnSignal, ShellError, type Shell, type Var } from "./shell.ts";
import { resolve } from "node:path";

type Simple = Extract<Node, { type: "simple" }>;

export function runSimple(sh: Shell, node: Simple): Promise<number> {
  const pidSlot = sh.pidSlot;
  if (!pidSlot) return runSimpleCommand(sh, node, null); // the hot path: no extra async layer
  // Only the command itself reports a background job's pid, not one run later by this shell.
  sh.pidSlot = null;
  return runSimpleCommand(sh, node, pidSlot).finally(() => pidSlot());
}

async function runSimpleCommand(sh: Shell, node: Simple, pidSlot: ((pid?: number) => void) | null): Promise<number> {
  await checkpoint(sh);
  const before = sh.substCount;
  if (!node.words.length) {
    // No command name: dash applies the redirections first, then assigns left to right.
    const assignOnly = async () => {
      try {
        for (const a of node.assigns) {
          const v = await expandString(sh, a.value);
          if (sh.opts.xtrace) await trace(sh, [[a.name, v]], []);
          sh.setVar(a.name, v);
        }
      } catch (e) {
        return redirFailure(sh, e);
      }
      return sh.substCount !== before ? sh.status : 0;
    };
    const r = node.redirs.length ? await withRedirs(sh, node.redirs, assignOnly) : await assignOnly();
    sh.status = r;
    checkErrexit(sh, r);
    return r;
  }
  let argv: string[];
  const assigns: [string, string][] = [];
  try {
    argv = await expandWords(sh, node.words);
    for (const a of node.assigns) assigns.push([a.name, await expandString(sh, a.value)]);
  } catch (e) {
    return redirFailure(sh, e);
  }
  if (sh.opts.xtrace) await trace(sh, assigns, argv);
  if (!argv.length) {
    for (const [k, v] of assigns) {
      try {
        sh.setVar(k, v);
      } catch (e) {
        return redirFailure(sh, e);
      }
    }
    const st = sh.substCount !== before ? sh.status : 0;
    const r = node.redirs.length ? await withRedirs(sh, node.redirs, async () => st) : st;
    checkErrexit(sh, r);
    return r;
  }
  const st = await invoke(sh, argv, assigns, node.redirs, pidSlot);
  sh.status = st;
  checkErrexit(sh, st);
  return st;
}

async function trace(sh: Shell, assigns: [string, string][], argv: string[]): Promise<void> {
  const q = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  const words = [...assigns.map(([k, v]) => `${k}=${q(v)}`), ...argv.map(q)];
  await sh.err((sh.get("PS4") ?? "+ ") + words.join(" "));
}

/** Finds and runs argv[0]. Also used by `command`, `exec` and `eval`-free callers. */
export async function invoke(sh: Shell, argv: string[], assigns: [string, string][], redirs: Redir[], pidSlot: ((pid?: number) => void) | null = null): Promise<number> {
  const name = argv[0]!;
  const inProcess = (f: () => Promise<number>) => {
    pidSlot?.();
    return f();
  };
  const special = SPECIAL.get(name);
  if (special) {
    for (const [k, v] of assigns) {
      try {
        sh.setVar(k, v);
      } catch (e) {
        return redirFailure(sh, e);
      }
    }
    return inProcess(() => withRedirs(sh, redirs, () => runBuiltin(sh, special, argv)));
  }
  const fn = sh.funcs.get(name);
  if (fn) return inProcess(() => withTempVars(sh, assigns, () => withRedirs(sh, redirs, () => callFunction(sh, fn, argv.slice(1)))));
  if (!name.includes("/") && !sh.preferExternal) {
    const b = intrinsic(name) ?? (await loadCommand(name));
    if (b) return inProcess(() => withTempVars(sh, assigns, () => withRedirs(sh, redirs, () => runBuiltin(sh, b, argv))));
  }
  const env = sh.environment(new Map(assigns));
  return withRedirs(sh, redirs, () => spawnExternal(sh, argv, env, pidSlot ?? undefined));
}

/** Prefix assignments (`VAR=x cmd`) visible to a builtin or function only while it runs. */
async function withTempVars(sh: Shell, assigns: [string, string][], fn: () => Promise<number>): Promise<number> {
  if (!assigns.length) return fn();
  const saved: [string, Var | undefined][] = assigns.map(([k]) => [k, sh.vars.get(k) ? { ...sh.vars.get(k)! } : undefined]);
  try {
    for (const [k, v] of assigns) sh.setVar(k, v, true);
  } catch (e) {
    return redirFailure(sh, e);
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v) sh.vars.set(k, v);
      else sh.vars.delete(k);
    }
  }
}

export async function callFunction(sh: Shell, body: Node, args: string[]): Promise<number> {
  const savedPos = sh.positional;
  sh.positional = args;
  const frame = new Map<string, Var | undefined>();
  sh.locals.push(frame);
  sh.funcDepth++;
  const savedLoop = sh.loopDepth;
  sh.loopDepth = 0;
  try {
    return await run(sh, body);
  } catch (e) {
    if (e instanceof ReturnSignal) return (sh.status = e.status);
    throw e;
  } finally {
    sh.funcDepth--;
    sh.loopDepth = savedLoop;
    sh.locals.pop();
    for (const [k, v] of frame) {
      if (v) sh.vars.set(k, v);
      else sh.vars.delete(k);
    }
    sh.positional = savedPos;
  }
}

const NULL_IN = () => new BufferStream("");
/** A closed descriptor: writing fails like EBADF. */
const CLOSED_OUT: Stream = {
  read: async () => null,
  unread() {},
  write: async () => {
    throw new Error("write error: Bad file descriptor");
  },
  close() {},
};

/** Runs an in-process command against the shell's current fd table. */
export async function runBuiltin(sh: Shell, cmd: Command, argv: string[]): Promise<number> {
  const stdin = sh.fds.get(0) ?? NULL_IN();
  const stdout = sh.fds.get(1) ?? CLOSED_OUT;
  const stderr = sh.fds.get(2) ?? CLOSED_OUT;
  const name = argv[0]!;
  const ctx: Ctx = {
    name,
    args: argv.slice(1),
    sh,
    stdin,
    stdout,
    stderr,
    cwd: sh.cwd,
    // Built on demand: most builtins never look, and building it costs a pass over every variable.
    get env() {
      return sh.environment();
    },
    signal: sh.job?.abort.signal ?? sh.control.abort.signal,
    out: (s) => stdout.write(s),
    err: (msg) => stderr.write(`${name}: ${msg}\n`).catch(() => {}),
    resolve: (p) => resolve(sh.cwd, p),
  };
  try {
    if (!cmd.noHelp && argv.length === 2 && argv[1] === "--help") {
      await stdout.write(cmd.usage.endsWith("\n") ? cmd.usage : cmd.usage + "\n");
      return 0;
    }
    return await cmd.run(ctx);
  } catch (e) {
    if (e instanceof BrokenPipe) return 141;
    if (e instanceof ExitSignal || e instanceof ReturnSignal || e instanceof LoopSignal || e instanceof InterruptSignal) throw e;
    if (e instanceof ShellError) {
      await sh.err(`tsh: ${name}: ${e.message}`);
      return 2;
    }
    if (ctx.signal.aborted) return 130;
    await ctx.err((e as Error)?.message ?? String(e));
    return 1;
  }
}
