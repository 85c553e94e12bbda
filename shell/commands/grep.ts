// grep: print lines matching a pattern (basic or extended regular expressions, translated to JS RegExp).
import * as fs from "node:fs";
import { join } from "node:path";
import { errText, parseArgs, readInput } from "./lib.ts";
import type { Command, Ctx } from "./types.ts";

/** POSIX BRE → JS: \( \) \{ \} \| are operators, bare ( ) { } | + ? are literal. */
export function breToJs(re: string): string {
  let out = "";
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === "\\" && i + 1 < re.length) {
      const n = re[++i]!;
      if ("(){}|+?".includes(n)) out += n;
      else out += "\\" + n;
    } else if ("(){}|+?".includes(c)) out += "\\" + c;
    else if (c === "[") {
      const end = bracketEnd(re, i);
      out += classToJs(re.slice(i, end + 1));
      i = end;
    } else if (c === "*" && (out === "" || out === "^")) out += "\\*";
    else out += c;
  }
  return out;
}

function bracketEnd(re: string, i: number): number {
  let j = i + 1;
  if (re[j] === "^") j++;
  if (re[j] === "]") j++;
  for (; j < re.length; j++) {
    if (re[j] === "[" && re[j + 1] === ":") {
      const e = re.indexOf(":]", j + 2);
      if (e > 0) j = e + 1;
    } else if (re[j] === "]") return j;
  }
  return re.length - 1;
}

const CLASSES: Record<string, string> = { alpha: "a-zA-Z", digit: "0-9", alnum: "a-zA-Z0-9", upper: "A-Z", lower: "a-z", space: "\\s", blank: " \\t", punct: "!-\\/:-@\\[-`{-~", xdigit: "0-9A-Fa-f", cntrl: "\\x00-\\x1f", print: "\\x20-\\x7e", graph: "\\x21-\\x7e" };

function classToJs(cls: string): string {
  let body = cls.slice(1, -1);
  let neg = "";
  if (body.startsWith("^")) {
    neg = "^";
    body = body.slice(1);
  }
  body = body.replace(/\[:([a-z]+):\]/g, (m, n: string) => CLASSES[n] ?? m).replace(/\\/g, "\\\\").replace(/^\]/, "\\]").replace(/\[/g, "\\[");
  return `[${neg}${body}]`;
}

export function ereToJs(re: string): string {
  let out = "";
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === "\\" && i + 1 < re.length) out += c + re[++i];
    else if (c === "[") {
      const end = bracketEnd(re, i);
      out += classToJs(re.slice(i, end + 1));
      i = end;
    } else if (c === "{" && !/^\{[0-9]+(,[0-9]*)?\}/.test(re.slice(i))) out += "\\{";
    else out += c;
  }
  return out;
}

const cmd: Command = {
  name: "grep",
  summary: "grep: print lines that match patterns",
  usage: "Usage: grep [OPTION...] PATTERN [FILE...]\nSearches FILEs (or stdin) for lines matching PATTERN.\n  -E  extended regexp   -F  fixed string    -i  ignore case\n  -v  invert match      -n  line numbers    -c  count only\n  -l  file names only   -q  quiet           -r  recursive\n  -w  whole words       -x  whole lines     -o  only matching part\n  -h/-H  hide/show file names   -e PATTERN  (repeatable)\nExit status: 0 if a line matched, 1 if none, 2 on error.",
  async run(ctx) {
    const p = await parseArgs(ctx, "EFGivncqlrRhHwxose:", { "extended-regexp": "E", "fixed-strings": "F", "ignore-case": "i", "invert-match": "v", "line-number": "n", count: "c", quiet: "q", silent: "q", "files-with-matches": "l", recursive: "r", regexp: "e" });
    if (!p) return 2;
    const o = (c: string) => p.opts.has(c);
    const patterns: string[] = [];
    for (const a of ctx.args.keys()) void a;
    // -e may be repeated: collect every value in order.
    for (let i = 0; i < ctx.args.length; i++) {
      const a = ctx.args[i]!;
      if (a === "-e") patterns.push(ctx.args[++i] ?? "");
      else if (/^-[^-]*e/.test(a) && !a.startsWith("--")) {
        const idx = a.indexOf("e");
        if (idx > 0 && /^-[EFGivncqlrRhHwxos]*e/.test(a)) patterns.push(a.length > idx + 1 ? a.slice(idx + 1) : ctx.args[++i] ?? "");
      } else if (a.startsWith("--regexp=")) patterns.push(a.slice(9));
    }
    const operands = p.operands.slice();
    if (!patterns.length) {
      const pat = operands.shift();
      if (pat === undefined) {
        await ctx.stderr.write("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
        return 2;
      }
      patterns.push(pat);
    }
    const sources = patterns.flatMap((x) => x.split("\n")).map((x) => (o("F") ? x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : o("E") ? ereToJs(x) : breToJs(x)));
    let src = sources.map((s) => `(?:${s})`).join("|");
    if (o("w")) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
    if (o("x")) src = `^(?:${src})$`;
    let re: RegExp;
    try {
      re = new RegExp(src, o("i") ? "gi" : "g");
    } catch (e) {
      await ctx.err(`invalid regular expression: ${(e as Error).message}`);
      return 2;
    }
    const recursive = o("r") || o("R");
    let files = operands.length ? operands : recursive ? ["."] : ["-"];
    if (recursive) files = files.flatMap((f) => walk(ctx, f));
    const showName = o("H") || (!o("h") && (files.length > 1 || recursive));
    let matched = false;
    let error = false;
    for (const f of files) {
      let data: Uint8Array;
      try {
        data = await readInput(ctx, f);
      } catch (e) {
        if (!o("s")) await ctx.err(`${f}: ${errText(e)}`);
        error = true;
        continue;
      }
      const text = Buffer.from(data).toString("utf8");
      const lines = text.split("\n");
      if (lines.at(-1) === "") lines.pop();
      const label = f === "-" ? "(standard input)" : f;
      let count = 0;
      let out = "";
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        re.lastIndex = 0;
        const hit = re.test(line) !== o("v");
        if (!hit) continue;
        count++;
        matched = true;
        if (o("q")) return 0;
        if (o("l") || o("c")) continue;
        const prefix = (showName ? label + ":" : "") + (o("n") ? `${i + 1}:` : "");
        if (o("o") && !o("v")) {
          re.lastIndex = 0;
          for (const m of line.matchAll(re)) if (m[0]) out += prefix + m[0] + "\n";
        } else out += prefix + line + "\n";
      }
      if (o("l") && count) out += label + "\n";
      if (o("c")) out += (showName ? label + ":" : "") + count + "\n";
      await ctx.out(out);
    }
    return error && !(o("q") && matched) ? 2 : matched ? 0 : 1;
  },
};

function walk(ctx: Ctx, f: string): string[] {
  const p = ctx.resolve(f);
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return [f];
  }
  if (!st.isDirectory()) return [f];
  const out: string[] = [];
  for (const e of fs.readdirSync(p).sort()) out.push(...walk(ctx, f === "." && false ? e : join(f, e)));
  return out;
}
export default cmd;
