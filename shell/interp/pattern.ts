// Shell pattern matching (XCU 2.13): `*`, `?`, bracket expressions. A pattern is
// a string in which quoted characters carry a backslash, so they match literally.
import * as fs from "node:fs";
import { join } from "node:path";

const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  cntrl: "\\x00-\\x1f\\x7f",
  print: "\\x20-\\x7e",
  graph: "\\x21-\\x7e",
};

const cache = new Map<string, RegExp>();

/** Regex source for a pattern (no anchors). `greedy` false makes `*` lazy, for `${x#pat}`. */
export function patternSource(pat: string, greedy = true): string {
  let re = "";
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === "\\") {
      const n = pat[++i];
      re += n === undefined ? "\\\\" : escapeRe(n);
    } else if (c === "*") re += greedy ? "[\\s\\S]*" : "[\\s\\S]*?";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const b = bracket(pat, i);
      if (b) {
        re += b.re;
        i = b.end;
      } else re += "\\[";
    } else re += escapeRe(c);
  }
  return re;
}

function bracket(pat: string, start: number): { re: string; end: number } | null {
  let i = start + 1;
  let neg = false;
  if (pat[i] === "!" || pat[i] === "^") {
    neg = true;
    i++;
  }
  let body = "";
  let first = true;
  for (; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === "]" && !first) return { re: `[${neg ? "^" : ""}${body}]`, end: i };
    first = false;
    if (c === "[" && pat[i + 1] === ":") {
      const close = pat.indexOf(":]", i + 2);
      if (close > 0) {
        const cls = CLASSES[pat.slice(i + 2, close)];
        if (cls) {
          body += cls;
          i = close + 1;
          continue;
        }
      }
    }
    if (c === "\\") {
      const n = pat[++i];
      if (n === undefined) return null;
      body += escapeRe(n);
    } else if (c === "-" && body && pat[i + 1] !== "]") body += "-";
    else body += escapeRe(c);
  }
  return null;
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|\/-]/.test(c) ? "\\" + c : c;
}

/** Whole-string match, as `case` and `[[ = ]]`-free test need. */
export function matchPattern(pat: string, s: string): boolean {
  let re = cache.get(pat);
  if (!re) {
    re = new RegExp(`^${patternSource(pat)}$`);
    if (cache.size > 500) cache.clear();
    cache.set(pat, re);
  }
  return re.test(s);
}

export function hasGlobChars(pat: string): boolean {
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?") return true;
    else if (c === "[" && closesBracket(pat, i)) return true;
  }
  return false;
}

/**
 * Whether the `[` at `open` starts a bracket expression, i.e. a `]` closes it. A lone `[`
 * (the `[` command, `a[`) is literal: it matches only itself, so globbing it would only cost
 * a directory read per command.
 */
function closesBracket(pat: string, open: number): boolean {
  let j = open + 1;
  if (pat[j] === "!" || pat[j] === "^") j++;
  if (pat[j] === "]") j++;
  for (; j < pat.length; j++) {
    if (pat[j] === "\\") j++;
    else if (pat[j] === "]") return true;
  }
  return false;
}

/** Removes the quoting backslashes of a pattern. */
export function unescapePattern(pat: string): string {
  return pat.replace(/\\([\s\S])/g, "$1");
}

/** Pathname expansion relative to `cwd`. Returns sorted matches, or [] when none. */
export function glob(pat: string, cwd: string): string[] {
  const absolute = pat.startsWith("/");
  const segs = splitSegments(pat).filter((s, i) => s !== "" || i === 0);
  let results: string[] = [absolute ? "/" : ""];
  for (let si = absolute ? 1 : 0; si < segs.length; si++) {
    const seg = segs[si]!;
    const last = si === segs.length - 1;
    const next: string[] = [];
    for (const base of results) {
      const dir = base === "" ? cwd : base.startsWith("/") ? base : join(cwd, base);
      if (!hasGlobChars(seg)) {
        const name = unescapePattern(seg);
        const p = base === "" ? name : base.endsWith("/") ? base + name : base + "/" + name;
        if (last ? exists(join(dir, name)) : isDir(join(dir, name))) next.push(p);
        continue;
      }
      let entries: string[];
      try {
        entries = fs.readdirSync(dir);
      } catch {
        continue;
      }
      const re = new RegExp(`^${patternSource(seg)}$`);
      const dotOk = seg.startsWith(".") || seg.startsWith("\\.");
      for (const e of entries.sort()) {
        if (e.startsWith(".") && !dotOk) continue;
        if (!re.test(e)) continue;
        const p = base === "" ? e : base.endsWith("/") ? base + e : base + "/" + e;
        if (!last && !isDir(join(dir, e))) continue;
        next.push(p);
      }
    }
    results = next;
    if (!results.length) return [];
  }
  if (pat.endsWith("/")) results = results.map((r) => r + "/");
  return results.sort(compareNames);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function splitSegments(pat: string): string[] {
  const segs: string[] = [];
  let cur = "";
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === "\\" && i + 1 < pat.length) {
      cur += c + pat[++i];
    } else if (c === "/") {
      segs.push(cur);
      cur = "";
    } else cur += c;
  }
  segs.push(cur);
  return segs;
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
