// Builtins that change variables and parameters: export, readonly, unset, set, shift, local, read, getopts.
import { NAME_RE } from "../../parser/lexer.ts";
import type { Ctx } from "../../commands/types.ts";
import { readLine } from "../io.ts";
import { ExitSignal, OPTION_LETTERS, ShellError, type Options, type Shell } from "../shell.ts";
import { builtin, shQuote } from "./def.ts";

/** A special builtin's usage error: fatal in a non-interactive shell, as in dash. */
async function fatal(ctx: Ctx, msg: string): Promise<number> {
  await ctx.err(msg);
  if (!ctx.sh.interactive) throw new ExitSignal(2);
  return 2;
}

function assignList(ctx: Ctx, mark: (sh: Shell, name: string) => void, label: string): Promise<number> | number {
  const sh = ctx.sh;
  const args = ctx.args.filter((a) => a !== "-p" && a !== "--");
  if (!args.length) {
    const lines = [...sh.vars.entries()]
      .filter(([, v]) => (label === "export" ? v.exported : v.readonly))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${label} ${k}=${shQuote(v.value)}\n`);
    return ctx.out(lines.join("")).then(() => 0);
  }
  for (const a of args) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!NAME_RE.test(name)) return fatal(ctx, `${name}: bad variable name`);
    try {
      if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
    } catch (e) {
      return fatal(ctx, (e as Error).message);
    }
    mark(sh, name);
  }
  return 0;
}

const exportCmd = builtin("export", "export [-p] NAME[=VALUE]...\nMarks variables for the environment of commands.", async (ctx) =>
  assignList(ctx, (sh, n) => {
    const v = sh.vars.get(n);
    if (v) v.exported = true;
    else sh.exportPending.add(n);
  }, "export"),
);

const readonlyCmd = builtin("readonly", "readonly [-p] NAME[=VALUE]...\nMakes variables read-only.", async (ctx) =>
  assignList(ctx, (sh, n) => {
    const v = sh.vars.get(n);
    if (v) v.readonly = true;
    else sh.vars.set(n, { value: "", exported: false, readonly: true });
  }, "readonly"),
);

const unsetCmd = builtin("unset", "unset [-f|-v] NAME...\nRemoves variables or functions.", async (ctx) => {
  let funcs = false;
  let st = 0;
  for (const a of ctx.args) {
    if (a === "-f") funcs = true;
    else if (a === "-v") funcs = false;
    else if (funcs) ctx.sh.funcs.delete(a);
    else {
      try {
        ctx.sh.unsetVar(a);
      } catch (e) {
        st = await fatal(ctx, (e as Error).message);
      }
    }
  }
  return st;
});

function setOption(sh: Shell, name: keyof Options, on: boolean): void {
  sh.opts[name] = on;
}

const LONG_OPTIONS: Record<string, keyof Options> = Object.fromEntries(Object.values(OPTION_LETTERS).map((n) => [n, n]));

const setCmd = builtin("set", "set [-euxfCav] [-o OPTION] [--] [ARG...]\nSets shell options and positional parameters.", async (ctx) => {
  const sh = ctx.sh;
  const args = ctx.args;
  if (!args.length) {
    const lines = [...sh.vars.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}='${v.value.replace(/'/g, "'\\''")}'\n`);
    await ctx.out(lines.join(""));
    return 0;
  }
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      sh.positional = args.slice(i);
      return 0;
    }
    if (a === "-" ) {
      sh.opts.xtrace = sh.opts.verbose = false;
      i++;
      break;
    }
    if (!/^[-+]/.test(a)) break;
    const on = a[0] === "-";
    for (const letter of a.slice(1)) {
      if (letter === "o") {
        const opt = args[++i];
        if (opt === undefined) {
          const out = Object.keys(LONG_OPTIONS).map((n) => on ? `${n.padEnd(16)}${sh.opts[n as keyof Options] ? "on" : "off"}\n` : `set ${sh.opts[n as keyof Options] ? "-" : "+"}o ${n}\n`);
          await ctx.out(out.join(""));
          continue;
        }
        const name = LONG_OPTIONS[opt];
        if (!name) return fatal(ctx, `-o ${opt}: invalid option`);
        setOption(sh, name, on);
        continue;
      }
      const name = OPTION_LETTERS[letter];
      if (!name) return fatal(ctx, `-${letter}: invalid option`);
      setOption(sh, name, on);
    }
  }
  if (i < args.length) sh.positional = args.slice(i);
  return 0;
});

const shiftCmd = builtin("shift", "shift [N]\nDrops the first N positional parameters (default 1).", async (ctx) => {
  const n = ctx.args[0] === undefined ? 1 : Number(ctx.args[0]);
  if (!Number.isInteger(n) || n < 0) return fatal(ctx, `${ctx.args[0]}: bad number`);
  if (n > ctx.sh.positional.length) return fatal(ctx, "can't shift that many");
  ctx.sh.positional = ctx.sh.positional.slice(n);
  return 0;
});

const localCmd = builtin("local", "local NAME[=VALUE]...\nMakes variables local to the running function.", async (ctx) => {
  const sh = ctx.sh;
  const frame = sh.locals.at(-1);
  if (!frame) {
    await ctx.err("not in a function");
    return 2;
  }
  for (const a of ctx.args) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!NAME_RE.test(name)) {
      await ctx.err(`${name}: bad variable name`);
      return 2;
    }
    if (!frame.has(name)) {
      const cur = sh.vars.get(name);
      frame.set(name, cur ? { ...cur } : undefined);
    }
    if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
  }
  return 0;
});

/** Splits a `read` line into `n` fields by IFS; the last takes the rest. `escaped[i]` chars never split. */
export function splitRead(line: string, escaped: boolean[], ifs: string, n: number): string[] {
  const isWs = (i: number) => !escaped[i] && " \t\n".includes(line[i]!) && ifs.includes(line[i]!);
  const isIfs = (i: number) => !escaped[i] && ifs.includes(line[i]!);
  const out: string[] = [];
  let i = 0;
  while (i < line.length && isWs(i)) i++;
  while (out.length < n - 1 && i < line.length) {
    let j = i;
    while (j < line.length && !isIfs(j)) j++;
    out.push(line.slice(i, j));
    i = j;
    while (i < line.length && isWs(i)) i++;
    if (i < line.length && isIfs(i)) {
      i++;
      while (i < line.length && isWs(i)) i++;
    }
  }
  let end = line.length;
  while (end > i && isWs(end - 1)) end--;
  if (i < line.length || out.length < n) out.push(line.slice(i, end));
  while (out.length < n) out.push("");
  return out;
}

const readCmd = builtin("read", "read [-r] [-p PROMPT] [NAME...]\nReads a line from standard input into variables (default REPLY).", async (ctx) => {
  let raw = false;
  let prompt = "";
  const names: string[] = [];
  for (let i = 0; i < ctx.args.length; i++) {
    const a = ctx.args[i]!;
    if (a === "-r") raw = true;
    else if (a === "-p") prompt = ctx.args[++i] ?? "";
    else if (a === "-rp" || a === "-pr") {
      raw = true;
      prompt = ctx.args[++i] ?? "";
    } else if (a === "--") continue;
    else if (a.startsWith("-") && !names.length) return fatal(ctx, `${a}: invalid option`);
    else names.push(a);
  }
  // POSIX (and dash) require a name; bash's implicit REPLY is not offered.
  if (!names.length) {
    await ctx.err("arg count");
    return 2;
  }
  if (prompt) await ctx.stderr.write(prompt);
  let text = "";
  const escaped: boolean[] = [];
  let eof = false;
  for (;;) {
    const r = await readLine(ctx.stdin);
    if (!r) {
      eof = true;
      break;
    }
    if (!r.eol) eof = true;
    let line = r.line;
    let cont = false;
    if (!raw) {
      for (let i = 0; i < line.length; i++) {
        if (line[i] === "\\") {
          if (i === line.length - 1) {
            cont = r.eol;
            break;
          }
          text += line[++i];
          escaped.push(true);
        } else {
          text += line[i];
          escaped.push(false);
        }
      }
    } else {
      text += line;
      for (let i = 0; i < line.length; i++) escaped.push(false);
    }
    if (!cont) break;
  }
  const fields = splitRead(text, escaped, ctx.sh.get("IFS") ?? " \t\n", names.length);
  try {
    names.forEach((n, i) => ctx.sh.setVar(n, fields[i] ?? ""));
  } catch (e) {
    throw new ShellError((e as Error).message);
  }
  return eof ? 1 : 0;
});

const getoptsCmd = builtin("getopts", "getopts OPTSTRING NAME [ARG...]\nParses options from the positional parameters.", async (ctx) => {
  const sh = ctx.sh;
  const [spec, name, ...rest] = ctx.args;
  if (spec === undefined || name === undefined) return fatal(ctx, "usage: getopts optstring name [arg...]");
  const args = rest.length ? rest : sh.positional;
  let ind = Number(sh.get("OPTIND") ?? "1") || 1;
  // Position inside a group like -abc; forgotten when the script resets OPTIND.
  let optChar = sh.getopts.optind === ind ? sh.getopts.char : 0;
  const save = () => (sh.getopts = { optind: Number(sh.get("OPTIND")), char: optChar });
  const silent = spec.startsWith(":");
  const arg = args[ind - 1];
  if (optChar === 0) {
    if (arg === undefined || arg === "-" || !arg.startsWith("-")) return done();
    if (arg === "--") {
      ind++;
      return done();
    }
    optChar = 1;
  }
  const cur = args[ind - 1]!;
  const c = cur[optChar]!;
  optChar++;
  const advance = () => {
    if (optChar >= cur.length) {
      ind++;
      optChar = 0;
    }
  };
  const pos = spec.indexOf(c);
  if (pos < 0 || c === ":") {
    advance();
    sh.setVar("OPTIND", String(ind));
    if (silent) {
      sh.setVar(name, "?");
      sh.setVar("OPTARG", c);
    } else {
      await ctx.stderr.write(`${sh.arg0}: illegal option -- ${c}\n`);
      sh.setVar(name, "?");
      sh.vars.delete("OPTARG");
    }
    save();
    return 0;
  }
  if (spec[pos + 1] === ":") {
    let val: string | undefined;
    if (optChar < cur.length) val = cur.slice(optChar);
    else val = args[ind];
    ind += optChar < cur.length ? 1 : 2;
    optChar = 0;
    if (val === undefined) {
      sh.setVar("OPTIND", String(ind - 1));
      if (silent) {
        sh.setVar(name, ":");
        sh.setVar("OPTARG", c);
      } else {
        await ctx.stderr.write(`${sh.arg0}: option requires an argument -- ${c}\n`);
        sh.setVar(name, "?");
      }
      save();
      return 0;
    }
    sh.setVar("OPTARG", val);
  } else {
    advance();
    sh.vars.delete("OPTARG");
  }
  sh.setVar("OPTIND", String(ind));
  sh.setVar(name, c);
  save();
  return 0;
  function done(): number {
    optChar = 0;
    sh.setVar("OPTIND", String(ind));
    sh.setVar(name!, "?");
    save();
    return 1;
  }
});

export const specialVars = [exportCmd, readonlyCmd, unsetCmd, setCmd, shiftCmd];
export const varBuiltins = [localCmd, readCmd, getoptsCmd];
