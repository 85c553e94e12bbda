// test / [: POSIX expression evaluation (unary file tests, string and integer comparisons, ! -a -o and parentheses).
import * as fs from "node:fs";
import { isatty } from "node:tty";
import type { Command, Ctx } from "./types.ts";

class TestError extends Error {}

function stat(ctx: Ctx, p: string, follow = true): fs.Stats | null {
  try {
    return follow ? fs.statSync(ctx.resolve(p)) : fs.lstatSync(ctx.resolve(p));
  } catch {
    return null;
  }
}

function access(ctx: Ctx, p: string, mode: number): boolean {
  try {
    fs.accessSync(ctx.resolve(p), mode);
    return true;
  } catch {
    return false;
  }
}

function int(s: string): bigint {
  const t = s.trim();
  if (!/^[+-]?[0-9]+$/.test(t)) throw new TestError(`${s}: integer expression expected`);
  return BigInt(t);
}

const UNARY = new Set(["-e", "-f", "-d", "-r", "-w", "-x", "-s", "-L", "-h", "-b", "-c", "-p", "-S", "-g", "-u", "-k", "-n", "-z", "-t", "-O", "-G"]);
const BINARY = new Set(["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "<", ">"]);

function unary(ctx: Ctx, op: string, a: string): boolean {
  switch (op) {
    case "-n": return a !== "";
    case "-z": return a === "";
    case "-t": return /^[0-9]+$/.test(a) && isatty(Number(a));
    case "-L":
    case "-h": return stat(ctx, a, false)?.isSymbolicLink() ?? false;
  }
  const st = stat(ctx, a);
  if (!st) return false;
  switch (op) {
    case "-e": return true;
    case "-f": return st.isFile();
    case "-d": return st.isDirectory();
    case "-b": return st.isBlockDevice();
    case "-c": return st.isCharacterDevice();
    case "-p": return st.isFIFO();
    case "-S": return st.isSocket();
    case "-s": return st.size > 0;
    case "-g": return (st.mode & 0o2000) !== 0;
    case "-u": return (st.mode & 0o4000) !== 0;
    case "-k": return (st.mode & 0o1000) !== 0;
    case "-r": return access(ctx, a, fs.constants.R_OK);
    case "-w": return access(ctx, a, fs.constants.W_OK);
    case "-x": return access(ctx, a, fs.constants.X_OK);
    case "-O": return st.uid === process.getuid?.();
    case "-G": return st.gid === process.getgid?.();
  }
  return false;
}

function binary(ctx: Ctx, a: string, op: string, b: string): boolean {
  switch (op) {
    case "=":
    case "==": return a === b;
    case "!=": return a !== b;
    case "<": return a < b;
    case ">": return a > b;
    case "-eq": return int(a) === int(b);
    case "-ne": return int(a) !== int(b);
    case "-lt": return int(a) < int(b);
    case "-le": return int(a) <= int(b);
    case "-gt": return int(a) > int(b);
    case "-ge": return int(a) >= int(b);
    case "-nt":
    case "-ot": {
      const x = stat(ctx, a)?.mtimeMs;
      const y = stat(ctx, b)?.mtimeMs;
      if (op === "-nt") return x !== undefined && (y === undefined || x > y);
      return y !== undefined && (x === undefined || x < y);
    }
    case "-ef": {
      const x = stat(ctx, a);
      const y = stat(ctx, b);
      return !!x && !!y && x.ino === y.ino && x.dev === y.dev;
    }
  }
  throw new TestError(`${op}: binary operator expected`);
}

/** Evaluates args[lo..hi). POSIX fixes the meaning for up to 4 arguments; beyond, a precedence parser. */
function evaluate(ctx: Ctx, args: string[]): boolean {
  const n = args.length;
  if (n === 0) return false;
  if (n === 1) return args[0] !== "";
  if (n === 2) {
    if (args[0] === "!") return args[1] === "";
    if (UNARY.has(args[0]!)) return unary(ctx, args[0]!, args[1]!);
    throw new TestError(`${args[0]}: unary operator expected`);
  }
  if (n === 3) {
    if (BINARY.has(args[1]!)) return binary(ctx, args[0]!, args[1]!, args[2]!);
    if (args[1] === "-a") return args[0] !== "" && args[2] !== "";
    if (args[1] === "-o") return args[0] !== "" || args[2] !== "";
    if (args[0] === "!") return !evaluate(ctx, args.slice(1));
    if (args[0] === "(" && args[2] === ")") return args[1] !== "";
    throw new TestError(`${args[1]}: binary operator expected`);
  }
  if (n === 4) {
    if (args[0] === "!") return !evaluate(ctx, args.slice(1));
    if (args[0] === "(" && args[3] === ")") return evaluate(ctx, args.slice(1, 3));
  }
  let p = 0;
  const orExpr = (): boolean => {
    let v = andExpr();
    while (args[p] === "-o") {
      p++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (args[p] === "-a") {
      p++;
      const r = notExpr();
      v = v && r;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (args[p] === "!") {
      p++;
      return !notExpr();
    }
    return prim();
  };
  const prim = (): boolean => {
    const a = args[p];
    if (a === undefined) throw new TestError("argument expected");
    if (a === "(") {
      p++;
      const v = orExpr();
      if (args[p] !== ")") throw new TestError("')' expected");
      p++;
      return v;
    }
    if (BINARY.has(args[p + 1] ?? "") && p + 2 < args.length) {
      p += 3;
      return binary(ctx, a, args[p - 2]!, args[p - 1]!);
    }
    if (UNARY.has(a) && p + 1 < args.length) {
      p += 2;
      return unary(ctx, a, args[p - 1]!);
    }
    p++;
    return a !== "";
  };
  const v = orExpr();
  if (p !== args.length) throw new TestError(`${args[p]}: unexpected operator`);
  return v;
}

const cmd: Command = {
  name: "test",
  summary: "test, [: evaluate a conditional expression",
  usage: "Usage: test EXPR  or  [ EXPR ]\nFile tests -e -f -d -r -w -x -s -L -h -b -c -p -S; strings -n -z = != < >; integers -eq -ne -lt -le -gt -ge; files -nt -ot -ef; ! -a -o ( ).\nExit status 0 if true, 1 if false, 2 on error.",
  noHelp: true,
  async run(ctx) {
    let args = ctx.args;
    if (ctx.name === "[") {
      if (args.at(-1) !== "]") {
        await ctx.err("missing ']'");
        return 2;
      }
      args = args.slice(0, -1);
    }
    try {
      return evaluate(ctx, args) ? 0 : 1;
    } catch (e) {
      if (e instanceof TestError) {
        await ctx.err(e.message);
        return 2;
      }
      throw e;
    }
  },
};
export default cmd;
