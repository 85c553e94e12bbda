// Word expansion (XCU 2.6): tilde, parameters, command substitution, arithmetic,
// then field splitting on IFS, pathname expansion and quote removal.
import * as fs from "node:fs";
import type { Node, Word, WordPart } from "../parser/ast.ts";
import { evalArith } from "./arith.ts";
import { CaptureStream } from "./io.ts";
import { glob, hasGlobChars, matchPattern, patternSource, unescapePattern } from "./pattern.ts";
import { ExitSignal, ShellError, type Shell } from "./shell.ts";

/** Runs a command substitution body in a subshell with stdout captured (set by exec.ts). */
export type SubstRunner = (sh: Shell, body: Node) => Promise<number>;
let runSubst: SubstRunner | null = null;
export function setSubstRunner(f: SubstRunner): void {
  runSubst = f;
}

/** An expansion failure such as `${x?}` or `set -u`: a non-interactive shell exits with 2. */
export class ExpansionError extends ShellError {}

/** Where a piece of a field came from: decides how it acts in patterns. */
type Kind = "lit" | "quoted" | "exp";
interface Seg {
  text: string;
  kind: Kind;
}

class Fields {
  out: Seg[][] = [];
  cur: Seg[] | null = null;
  add(text: string, kind: Kind): void {
    (this.cur ??= []).push({ text, kind });
  }
  end(): void {
    if (this.cur !== null) this.out.push(this.cur);
    this.cur = null;
  }
  /** An unquoted expansion's value, split on IFS. */
  addSplit(value: string, ifs: string, kind: Kind = "exp"): void {
    if (!ifs) {
      if (value) this.add(value, kind);
      return;
    }
    let i = 0;
    const isWs = (c: string) => (c === " " || c === "\t" || c === "\n") && ifs.includes(c);
    while (i < value.length) {
      const c = value[i]!;
      if (!ifs.includes(c)) {
        let j = i;
        while (j < value.length && !ifs.includes(value[j]!)) j++;
        this.add(value.slice(i, j), kind);
        i = j;
        continue;
      }
      // A delimiter run: IFS whitespace, at most one other IFS char, IFS whitespace.
      let hard = false;
      while (i < value.length && isWs(value[i]!)) i++;
      if (i < value.length && ifs.includes(value[i]!) && !isWs(value[i]!)) {
        hard = true;
        i++;
        while (i < value.length && isWs(value[i]!)) i++;
      }
      if (hard && this.cur === null) this.out.push([]);
      else this.end();
    }
  }
}

function ifsOf(sh: Shell): string {
  return sh.get("IFS") ?? " \t\n";
}

/** Full expansion of command words into fields. */
export async function expandWords(sh: Shell, words: Word[]): Promise<string[]> {
  const result: string[] = [];
  for (const w of words) {
    // The common word: one plain literal (`echo`, `:`, `-n`) with nothing to glob.
    const only = w.parts.length === 1 ? w.parts[0]! : undefined;
    if (only?.type === "lit" && only.text !== "" && (sh.opts.noglob || !hasGlobChars(only.text))) {
      result.push(only.text);
      continue;
    }
    const f = new Fields();
    await expandParts(sh, w.parts, false, f);
    f.end();
    for (const field of f.out) {
      if (!sh.opts.noglob && field.some((s) => s.kind !== "quoted" && hasGlobChars(toPattern(s)))) {
        const matches = glob(field.map(toPattern).join(""), sh.cwd);
        if (matches.length) {
          result.push(...matches);
          continue;
        }
      }
      result.push(field.length === 1 ? field[0]!.text : field.map((s) => s.text).join(""));
    }
  }
  return result;
}

function toPattern(s: Seg): string {
  if (s.kind === "lit") return s.text;
  if (s.kind === "exp") return s.text.replace(/\\/g, "\\\\");
  return s.text.replace(/[\\*?[\]]/g, "\\$&");
}

/** Expansion without field splitting or globbing: assignments, here-docs, `case` words. */
export async function expandString(sh: Shell, w: Word): Promise<string> {
  const f = new Fields();
  await expandParts(sh, w.parts, true, f);
  f.end();
  return f.out.map((field) => field.map((s) => s.text).join("")).join(" ");
}

/** Expansion to a pattern: quoted characters are escaped so they match literally. */
export async function expandPattern(sh: Shell, w: Word): Promise<string> {
  const f = new Fields();
  await expandParts(sh, w.parts, false, f, true);
  f.end();
  return f.out.map((field) => field.map(toPattern).join("")).join(" ");
}

/** `splitLit`: literal text is field-split too, as in the word of an unquoted `${x:-a b}`. */
async function expandParts(sh: Shell, parts: WordPart[], quoted: boolean, f: Fields, noSplit = false, splitLit = false): Promise<void> {
  for (const p of parts) {
    switch (p.type) {
      case "lit":
        if (splitLit) f.addSplit(p.text, ifsOf(sh), "lit");
        else f.add(p.text, quoted ? "quoted" : "lit");
        break;
      case "sq":
        f.add(p.text, "quoted");
        break;
      case "dq": {
        const only = p.parts.length === 1 ? p.parts[0] : undefined;
        if (!(only?.type === "param" && only.name === "@" && !only.op && !only.length)) f.add("", "quoted");
        await expandParts(sh, p.parts, true, f);
        break;
      }
      case "tilde":
        f.add(tilde(sh, p.user), "quoted");
        break;
      case "param":
        await expandParam(sh, p, quoted, f, noSplit);
        break;
      case "cmd": {
        const out = await commandSubst(sh, p.body);
        if (quoted || noSplit) f.add(out, quoted ? "quoted" : "exp");
        else f.addSplit(out, ifsOf(sh));
        break;
      }
      case "arith": {
        const expr = await expandString(sh, p.expr);
        const v = String(arith(sh, expr));
        if (quoted || noSplit) f.add(v, quoted ? "quoted" : "exp");
        else f.addSplit(v, ifsOf(sh));
        break;
      }
    }
  }
}

export function arith(sh: Shell, expr: string): bigint {
  return evalArith(expr, {
    get: (n) => {
      const v = sh.get(n);
      if (v === undefined && sh.opts.nounset) throw new ExpansionError(`${n}: parameter not set`);
      return v;
    },
    set: (n, v) => sh.setVar(n, v),
  });
}

function tilde(sh: Shell, user: string): string {
  if (!user) return sh.get("HOME") ?? "/";
  try {
    for (const line of fs.readFileSync("/etc/passwd", "utf8").split("\n")) {
      const f = line.split(":");
      if (f[0] === user && f[5]) return f[5];
    }
  } catch {}
  return "~" + user;
}

export async function commandSubst(sh: Shell, body: Node): Promise<string> {
  sh.substCount++;
  const sub = sh.clone();
  const cap = new CaptureStream();
  sub.fds.set(1, cap);
  try {
    sh.status = await runSubst!(sub, body);
  } catch (e) {
    if (e instanceof ExitSignal) sh.status = e.status;
    else throw e;
  }
  return cap.text().replace(/\n+$/, "");
}

/** A parameter's value; arrays for `$@`/`$*`; undefined when unset. */
function lookup(sh: Shell, name: string): string | undefined {
  if (/^[0-9]+$/.test(name)) return name === "0" ? sh.arg0 : sh.positional[Number(name) - 1];
  switch (name) {
    case "#":
      return String(sh.positional.length);
    case "?":
      return String(sh.status);
    case "$":
      return String(process.pid);
    case "!":
      return sh.lastBg ? String(sh.lastBg.pid) : undefined;
    case "-":
      return sh.optionFlags();
    case "@":
    case "*":
      return sh.positional.length ? sh.positional.join(" ") : undefined;
  }
  return sh.get(name);
}

type ParamPart = Extract<WordPart, { type: "param" }>;

async function expandParam(sh: Shell, p: ParamPart, quoted: boolean, f: Fields, noSplit: boolean): Promise<void> {
  const ifs = ifsOf(sh);
  const emit = (v: string) => {
    if (quoted || noSplit) f.add(v, quoted ? "quoted" : "exp");
    else f.addSplit(v, ifs);
  };
  const isList = p.name === "@" || p.name === "*";
  // A background job's real pid is known once its program has been spawned.
  if (p.name === "!" && sh.lastBg) await sh.lastBg.pidKnown;
  let value = lookup(sh, p.name);
  if (p.length) {
    if (value === undefined && sh.opts.nounset && !isList) throw new ExpansionError(`${p.name}: parameter not set`);
    emit(String(isList ? sh.positional.length : [...(value ?? "")].length));
    return;
  }
  const unset = value === undefined || (p.colon && value === "");
  switch (p.op) {
    case "-":
      if (unset) return expandParts(sh, p.arg!.parts, quoted, f, noSplit, !quoted && !noSplit);
      break;
    case "=":
      if (unset) {
        if (!/^[A-Za-z_]/.test(p.name)) throw new ExpansionError(`${p.name}: cannot assign in this way`);
        value = await expandString(sh, p.arg!);
        sh.setVar(p.name, value);
        emit(value);
        return;
      }
      break;
    case "?":
      if (unset) {
        const msg = p.arg && p.arg.parts.length ? await expandString(sh, p.arg) : value === undefined ? "parameter not set" : "parameter null or not set";
        throw new ExpansionError(`${p.name}: ${msg}`);
      }
      break;
    case "+":
      if (!unset) return expandParts(sh, p.arg!.parts, quoted, f, noSplit, !quoted && !noSplit);
      return;
    case "%":
    case "%%":
    case "#":
    case "##": {
      if (value === undefined && sh.opts.nounset) throw new ExpansionError(`${p.name}: parameter not set`);
      const pat = await expandPattern(sh, p.arg!);
      emit(trim(value ?? "", pat, p.op));
      return;
    }
  }
  if (value === undefined && sh.opts.nounset && !isList) throw new ExpansionError(`${p.name}: parameter not set`);
  if (isList && !p.op) {
    emitList(sh, p.name, quoted, noSplit, f);
    return;
  }
  emit(value ?? "");
}

function emitList(sh: Shell, name: string, quoted: boolean, noSplit: boolean, f: Fields): void {
  const params = sh.positional;
  const ifs = ifsOf(sh);
  if (quoted && name === "*") {
    f.add(params.join(sh.get("IFS") === undefined ? " " : ifs.slice(0, 1)), "quoted");
    return;
  }
  if (noSplit) {
    f.add(params.join(" "), quoted ? "quoted" : "exp");
    return;
  }
  params.forEach((v, i) => {
    if (i > 0) f.end();
    if (quoted) f.add(v, "quoted");
    else f.addSplit(v, ifs);
  });
}

/** `${x%pat}` and friends: remove the shortest/longest matching suffix/prefix. */
export function trim(value: string, pat: string, op: "%" | "%%" | "#" | "##"): string {
  if (!hasGlobChars(pat)) {
    const lit = unescapePattern(pat);
    if (op.startsWith("#")) return value.startsWith(lit) ? value.slice(lit.length) : value;
    return value.endsWith(lit) ? value.slice(0, value.length - lit.length) : value;
  }
  const src = patternSource(pat);
  const re = new RegExp(`^(?:${src})$`);
  const n = value.length;
  if (op === "#") {
    for (let i = 0; i <= n; i++) if (re.test(value.slice(0, i))) return value.slice(i);
  } else if (op === "##") {
    for (let i = n; i >= 0; i--) if (re.test(value.slice(0, i))) return value.slice(i);
  } else if (op === "%") {
    for (let i = n; i >= 0; i--) if (re.test(value.slice(i))) return value.slice(0, i);
  } else {
    for (let i = 0; i <= n; i++) if (re.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

export { matchPattern };
