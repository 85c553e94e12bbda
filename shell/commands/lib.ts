// Helpers shared by commands: option parsing, reading inputs, error text.
import * as fs from "node:fs";
import { basename, join } from "node:path";
import { errText } from "../interp/redirect.ts";
import { FdStream, readAll, type Stream } from "../interp/io.ts";
import type { Ctx } from "./types.ts";

export interface Parsed {
  /** Flags seen, with their value ("" for plain flags). Repeated flags keep the last value. */
  opts: Map<string, string>;
  /** Count of each flag (for -v -v style). */
  count: Map<string, number>;
  operands: string[];
}

/**
 * getopt-style parsing. `spec` lists letters, a ':' after one means it takes a value.
 * `long` maps --names to letters (value-taking when the letter takes one). Options
 * may follow operands (GNU style) unless `posix` is set. `numeric` lets `-5` mean `-n 5` (head/tail).
 */
export async function parseArgs(ctx: Ctx, spec: string, long: Record<string, string> = {}, opts: { posix?: boolean; numeric?: string } = {}): Promise<Parsed | null> {
  const out: Parsed = { opts: new Map(), count: new Map(), operands: [] };
  const takes = (c: string) => spec[spec.indexOf(c) + 1] === ":";
  const set = (c: string, v: string) => {
    out.opts.set(c, v);
    out.count.set(c, (out.count.get(c) ?? 0) + 1);
  };
  const args = ctx.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      out.operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const letter = long[name];
      if (letter === undefined) {
        await usageError(ctx, `unrecognized option '${a}'`);
        return null;
      }
      if (takes(letter)) {
        const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) {
          await usageError(ctx, `option '${a}' requires an argument`);
          return null;
        }
        set(letter, v);
      } else set(letter, eq >= 0 ? a.slice(eq + 1) : "");
      continue;
    }
    if (opts.numeric && /^-[0-9]+$/.test(a)) {
      set(opts.numeric, a.slice(1));
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (!spec.includes(c) || c === ":") {
          await usageError(ctx, `invalid option -- '${c}'`);
          return null;
        }
        if (takes(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) {
            await usageError(ctx, `option requires an argument -- '${c}'`);
            return null;
          }
          set(c, v);
          break;
        }
        set(c, "");
      }
      continue;
    }
    out.operands.push(a);
    if (opts.posix) {
      out.operands.push(...args.slice(i + 1));
      break;
    }
  }
  return out;
}

/**
 * SOURCE... DEST operands (cp, mv): each source with where it goes, or null
 * after printing the coreutils error for a missing operand or a non-directory target.
 */
export async function sourcesToTarget(ctx: Ctx, operands: string[]): Promise<{ operand: string; src: string; to: string }[] | null> {
  if (operands.length < 2) {
    await ctx.err(operands.length ? `missing destination file operand after '${operands[0]}'` : "missing file operand");
    return null;
  }
  const dest = ctx.resolve(operands.at(-1)!);
  const srcs = operands.slice(0, -1);
  let destIsDir = false;
  try {
    destIsDir = fs.statSync(dest).isDirectory();
  } catch {}
  if (srcs.length > 1 && !destIsDir) {
    await ctx.err(`target '${operands.at(-1)}' is not a directory`);
    return null;
  }
  return srcs.map((operand) => {
    const src = ctx.resolve(operand);
    return { operand, src, to: destIsDir ? join(dest, basename(src)) : dest };
  });
}

export async function usageError(ctx: Ctx, msg: string): Promise<void> {
  await ctx.stderr.write(`${ctx.name}: ${msg}\nTry '${ctx.name} --help' for more information.\n`).catch(() => {});
}

/** Reads a whole file operand ("-" is stdin). Throws with the error text. */
export async function readInput(ctx: Ctx, file: string): Promise<Uint8Array> {
  if (file === "-") return readAll(ctx.stdin);
  return fs.readFileSync(ctx.resolve(file));
}

/** Each input in order (stdin when there are no operands), reporting unreadable ones. */
export async function* eachInput(ctx: Ctx, files: string[]): AsyncGenerator<{ name: string; data: Uint8Array }> {
  if (!files.length) files = ["-"];
  for (const f of files) {
    try {
      yield { name: f, data: await readInput(ctx, f) };
    } catch (e) {
      await ctx.err(`${f}: ${errText(e)}`);
      failed.add(ctx);
    }
  }
}

const failed = new WeakSet<Ctx>();
/** Whether eachInput reported an error for this command run. */
export function hadInputError(ctx: Ctx): boolean {
  return failed.has(ctx);
}

/** Streams an input chunk by chunk (for large files and pipes). */
export async function* streamInput(ctx: Ctx, file: string): AsyncGenerator<Uint8Array> {
  let s: Stream;
  let own: FdStream | null = null;
  if (file === "-") s = ctx.stdin;
  else {
    own = new FdStream(fs.openSync(ctx.resolve(file), "r"), true);
    s = own;
  }
  try {
    for (let c = await s.read(); c; c = await s.read()) yield c;
  } finally {
    own?.close();
  }
}

/** Splits text into lines; a final line without newline counts. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

export { errText };

/** Human-readable size like `ls -h`/`df -h`: 1.5K, 23M. */
export function human(n: number): string {
  const units = ["", "K", "M", "G", "T", "P"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return String(n);
  return (v < 10 ? (Math.ceil(v * 10) / 10).toFixed(1) : String(Math.ceil(v))) + units[i];
}

/** Output for --json switches: one JSON document and a newline. */
export async function printJson(ctx: Ctx, value: unknown): Promise<number> {
  await ctx.out(JSON.stringify(value, null, 2) + "\n");
  return 0;
}

/** eachInput with head/tail's "==> NAME <==" headers between several inputs (unless quiet). */
export async function* eachInputWithHeaders(ctx: Ctx, operands: string[], quiet: boolean): AsyncGenerator<{ name: string; data: Uint8Array }> {
  const multi = operands.length > 1 && !quiet;
  let first = true;
  for await (const input of eachInput(ctx, operands)) {
    if (multi) await ctx.out(`${first ? "" : "\n"}==> ${input.name === "-" ? "standard input" : input.name} <==\n`);
    first = false;
    yield input;
  }
}
