// Builtins that steer execution: : true false eval . exec exit return break continue trap command type times umask hash.
import * as fs from "node:fs";
import { resolve } from "node:path";
import { commandNames, loadCommand } from "../../commands/index.ts";
import type { Ctx } from "../../commands/types.ts";
import { spawnExternal, findExecutable } from "../external.ts";
import { ExitSignal, LoopSignal, ReturnSignal, type Shell } from "../shell.ts";
import { evalString, runText } from "../source.ts";
import { setTrap, signalName } from "../traps.ts";
import { replaceProcess } from "../replace.ts";
import { nodeText } from "../text.ts";
import { builtin, shQuote } from "./def.ts";
import { intrinsic, SPECIAL } from "./index.ts";
import { runBuiltin } from "../simple.ts";

async function fatal(ctx: Ctx, msg: string): Promise<number> {
  await ctx.err(msg);
  if (!ctx.sh.interactive) throw new ExitSignal(2);
  return 2;
}

function numArg(ctx: Ctx, dflt: number): number | null {
  const a = ctx.args[0];
  if (a === undefined) return dflt;
  return /^-?[0-9]+$/.test(a) ? Number(a) : null;
}

const colon = builtin(":", ": [ARG...]\nDoes nothing, successfully.", async () => 0);

const evalCmd = builtin("eval", "eval [ARG...]\nRuns the arguments, joined by spaces, as shell text.", async (ctx) => evalString(ctx.sh, ctx.args.join(" ")));

const dot = builtin(".", ". FILE [ARG...]\nRuns FILE's commands in the current shell.", async (ctx) => {
  const sh = ctx.sh;
  const file = ctx.args[0];
  if (file === undefined) return fatal(ctx, "filename argument required");
  let path: string | null = file.includes("/") ? resolve(sh.cwd, file) : null;
  if (!path) {
    for (const dir of (sh.get("PATH") ?? "").split(":")) {
      const p = resolve(sh.cwd, dir || ".", file);
      if (fs.existsSync(p) && fs.statSync(p).isFile()) {
        path = p;
        break;
      }
    }
    if (!path && fs.existsSync(resolve(sh.cwd, file))) path = resolve(sh.cwd, file);
  }
  let text: string;
  try {
    text = fs.readFileSync(path ?? resolve(sh.cwd, file), "utf8");
  } catch {
    return fatal(ctx, `${file}: not found`);
  }
  const savedPos = sh.positional;
  if (ctx.args.length > 1) sh.positional = ctx.args.slice(1);
  sh.sourceDepth++;
  try {
    return await runText(sh, text, file);
  } catch (e) {
    if (e instanceof ReturnSignal && sh.funcDepth === 0) return (sh.status = e.status);
    throw e;
  } finally {
    sh.sourceDepth--;
    if (ctx.args.length > 1) sh.positional = savedPos;
  }
});

const exitCmd = builtin("exit", "exit [N]\nExits the shell with status N (default: the last command's).", async (ctx) => {
  const n = numArg(ctx, ctx.sh.status);
  if (n === null) return fatal(ctx, `Illegal number: ${ctx.args[0]}`);
  throw new ExitSignal(n & 255);
});

const returnCmd = builtin("return", "return [N]\nReturns from a function or `.` file.", async (ctx) => {
  const n = numArg(ctx, ctx.sh.status);
  if (n === null) return fatal(ctx, `Illegal number: ${ctx.args[0]}`);
  if (ctx.sh.funcDepth === 0 && ctx.sh.sourceDepth === 0) throw new ExitSignal(n & 255);
  throw new ReturnSignal(n);
});

function loop(kind: "break" | "continue") {
  return builtin(kind, `${kind} [N]\n${kind === "break" ? "Leaves" : "Continues"} the Nth enclosing loop.`, async (ctx) => {
    const n = numArg(ctx, 1);
    if (n === null || n < 1) return fatal(ctx, `Illegal number: ${ctx.args[0]}`);
    if (ctx.sh.loopDepth === 0) return 0;
    throw new LoopSignal(kind, Math.min(n, ctx.sh.loopDepth));
  });
}

const execCmd = builtin("exec", "exec [COMMAND [ARG...]]\nWith redirections only: applies them to the shell. Otherwise runs COMMAND and exits with its status.", async (ctx) => {
  if (!ctx.args.length) {
    // Redirections were applied to a temporary table by the caller: make them the shell's own.
    ctx.sh.execFds = new Map(ctx.sh.fds);
    return 0;
  }
  // A program on PATH replaces this process; a builtin or function (or a shell whose fds are
  // in-process streams, e.g. a pipeline stage) runs in-process and the shell then exits with its status.
  const sh = ctx.sh;
  const name = ctx.args[0]!;
  const path = sh.ownsProcess ? findExecutable(name, sh.get("PATH") ?? "", sh.cwd) : null;
  if (path) {
    try {
      replaceProcess(sh, path, ctx.args, sh.environment());
    } catch (e) {
      await sh.err(`tsh: exec: ${(e as Error).message}`);
      throw new ExitSignal((e as { errno?: number }).errno === 2 ? 127 : 126);
    }
  }
  const { invoke } = await import("../simple.ts");
  const st = await invoke(sh, ctx.args, [], []);
  throw new ExitSignal(st);
});

const trapCmd = builtin("trap", "trap [ACTION SIGNAL...]\nRuns ACTION when the shell gets SIGNAL (EXIT, INT, TERM, HUP, USR1...). '-' resets, '' ignores.", async (ctx) => {
  const sh = ctx.sh;
  let args = ctx.args;
  if (args[0] === "--") args = args.slice(1);
  if (!args.length || args[0] === "-p") {
    const out = [...sh.traps.entries()].map(([sig, a]) => `trap -- ${shQuote(a)} ${sig}\n`).join("");
    await ctx.out(out);
    return 0;
  }
  let action: string | null = args[0]!;
  let sigs = args.slice(1);
  if (/^[0-9]+$/.test(action) && signalName(action)) {
    sigs = args;
    action = null;
  }
  if (action === "-") action = null;
  let st = 0;
  for (const s of sigs) {
    const name = signalName(s);
    if (!name) {
      await ctx.err(`${s}: bad trap`);
      st = 1;
      continue;
    }
    setTrap(sh, name, action);
  }
  return st;
});

/** How a name would be run: for `command -v/-V` and `type`. */
export async function describe(sh: Shell, name: string): Promise<{ kind: string; text: string } | null> {
  if (["if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done", "{", "}", "!", "in"].includes(name)) return { kind: "keyword", text: `${name} is a shell keyword` };
  if (SPECIAL.has(name)) return { kind: "builtin", text: `${name} is a special shell builtin` };
  const fn = sh.funcs.get(name);
  if (fn) return { kind: "function", text: `${name} is a shell function\n${name}() ${nodeText(fn)}` };
  if (!name.includes("/") && (intrinsic(name) || (await loadCommand(name)))) return { kind: "builtin", text: `${name} is a shell builtin` };
  const p = findExecutable(name, sh.get("PATH") ?? "", sh.cwd);
  return p ? { kind: "file", text: `${name} is ${p}`, path: p } as { kind: string; text: string } : null;
}

const commandCmd = builtin("command", "command [-p] [-v|-V] NAME [ARG...]\nRuns NAME ignoring functions; -p runs the program from the default PATH even if a builtin has the name; -v/-V describe it.", async (ctx) => {
  const sh = ctx.sh;
  let args = ctx.args;
  let mode = "";
  let useDefaultPath = false;
  while (args[0]?.startsWith("-") && args[0] !== "-" ) {
    const a = args.shift()!;
    if (a === "--") break;
    for (const c of a.slice(1)) {
      if (c === "p") useDefaultPath = true;
      else if (c === "v" || c === "V") mode = c;
      else return fatal(ctx, `-${c}: invalid option`);
    }
  }
  if (!args.length) return 0;
  if (mode) {
    let st = 0;
    for (const name of args) {
      const d = await describe(sh, name);
      if (!d) {
        if (mode === "V") await ctx.err(`${name}: not found`);
        st = 127;
        continue;
      }
      if (mode === "V") await ctx.out(d.text.split("\n")[0] + "\n");
      else await ctx.out((d.kind === "file" ? findExecutable(name, sh.get("PATH") ?? "", sh.cwd) : name) + "\n");
    }
    return st;
  }
  const name = args[0]!;
  if (useDefaultPath) {
    const env = sh.environment();
    env.PATH = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
    return spawnExternal(sh, args, env);
  }
  const b = SPECIAL.get(name) ?? (name.includes("/") ? undefined : intrinsic(name) ?? (await loadCommand(name)));
  if (b) return runBuiltin(sh, b, args);
  return spawnExternal(sh, args, sh.environment());
});

const typeCmd = builtin("type", "type NAME...\nTells how each NAME would be run.", async (ctx) => {
  let st = 0;
  for (const name of ctx.args) {
    const d = await describe(ctx.sh, name);
    if (d) await ctx.out(d.text + "\n");
    else {
      await ctx.out(`${name}: not found\n`);
      st = 1;
    }
  }
  return st;
});

const timesCmd = builtin("times", "times\nPrints the shell's accumulated user and system times.", async (ctx) => {
  const u = process.cpuUsage();
  const f = (us: number) => `${Math.floor(us / 6e7)}m${((us / 1e6) % 60).toFixed(3)}s`;
  await ctx.out(`${f(u.user)} ${f(u.system)}\n0m0.000s 0m0.000s\n`);
  return 0;
});

const umaskCmd = builtin("umask", "umask [MODE]\nShows or sets the file creation mask (octal).", async (ctx) => {
  const a = ctx.args.filter((x) => x !== "-S")[0];
  if (a === undefined) {
    await ctx.out(process.umask().toString(8).padStart(4, "0") + "\n");
    return 0;
  }
  if (!/^[0-7]+$/.test(a)) return fatal(ctx, `${a}: invalid mode`);
  process.umask(parseInt(a, 8));
  return 0;
});

const hashCmd = builtin("hash", "hash [-r]\nPATH lookups are not cached in tsh; accepted for compatibility.", async () => 0);

export const specialFlow = [colon, evalCmd, dot, { ...dot, name: "source" }, exitCmd, returnCmd, loop("break"), loop("continue"), execCmd, trapCmd, timesCmd];
export const flowBuiltins = [commandCmd, typeCmd, umaskCmd, hashCmd];
export { commandNames };
