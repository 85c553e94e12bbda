// printf: POSIX format strings, reused until the arguments run out.
import type { Command } from "./types.ts";

/** Backslash escapes of printf formats (`echoStyle`: \0NNN octal and \c as in echo -e / %b). */
export function unescapeC(s: string, echoStyle: boolean): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", e: "\x1b", "\\": "\\", '"': '"', "'": "'" };
    if (n in simple) out += simple[n];
    else if (n === "c" && echoStyle) return { text: out, stop: true };
    else if (n === "x" && /[0-9a-fA-F]/.test(s[i + 1] ?? "")) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else if (/[0-7]/.test(n)) {
      const maxLen = echoStyle && n === "0" ? 4 : 3;
      const m = /^[0-7]+/.exec(s.slice(i, i + maxLen))![0];
      out += String.fromCharCode(parseInt(m, 8) & 255);
      i += m.length - 1;
    } else out += "\\" + n;
  }
  return { text: out, stop: false };
}

interface State {
  args: string[];
  i: number;
  bad: string[];
}

function nextArg(st: State): string | undefined {
  return st.args[st.i++];
}

function numArg(st: State, float: boolean): number | bigint {
  const a = nextArg(st);
  if (a === undefined || a === "") return float ? 0 : 0n;
  if (/^['"]/.test(a)) return float ? (a.codePointAt(1) ?? 0) : BigInt(a.codePointAt(1) ?? 0);
  const t = a.trim();
  if (float) {
    const v = Number(t);
    if (Number.isNaN(v)) {
      st.bad.push(a);
      return parseFloat(t) || 0;
    }
    return v;
  }
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(t);
  if (!m) {
    st.bad.push(a);
    const lead = /^[+-]?[0-9]+/.exec(t);
    return lead ? BigInt(lead[0]) : 0n;
  }
  const body = m[2]!;
  const v = body.startsWith("0x") || body.startsWith("0X") ? BigInt(body) : body.length > 1 && body.startsWith("0") ? BigInt("0o" + body.slice(1)) : BigInt(body);
  return m[1] === "-" ? -v : v;
}

function pad(s: string, flags: string, width: number): string {
  if (s.length >= width) return s;
  if (flags.includes("-")) return s.padEnd(width);
  if (flags.includes("0") && /^[+-]?[0-9.a-fA-Fx]/.test(s) && !/[a-z]{3}/i.test(s)) {
    const sign = /^[+-]|^0[xX]/.exec(s)?.[0] ?? "";
    return sign + s.slice(sign.length).padStart(width - sign.length, "0");
  }
  return s.padStart(width);
}

function conv(st: State, flags: string, width: number, prec: number | null, c: string): { text: string; stop: boolean } {
  switch (c) {
    case "s": {
      let s = nextArg(st) ?? "";
      if (prec !== null) s = s.slice(0, prec);
      return { text: pad(s, flags, width), stop: false };
    }
    case "b": {
      const r = unescapeC(nextArg(st) ?? "", true);
      let s = r.text;
      if (prec !== null) s = s.slice(0, prec);
      return { text: pad(s, flags, width), stop: r.stop };
    }
    case "c":
      return { text: pad((nextArg(st) ?? "").slice(0, 1), flags, width), stop: false };
    case "d":
    case "i":
    case "u":
    case "o":
    case "x":
    case "X": {
      let v = numArg(st, false) as bigint;
      if (c === "u" && v < 0n) v = BigInt.asUintN(64, v);
      let s = c === "o" ? (v < 0n ? BigInt.asUintN(64, v) : v).toString(8) : c === "x" || c === "X" ? (v < 0n ? BigInt.asUintN(64, v) : v).toString(16) : (v < 0n ? -v : v).toString();
      if (c === "X") s = s.toUpperCase();
      if (prec !== null) s = s.padStart(prec, "0");
      if (flags.includes("#") && v !== 0n) s = c === "o" ? "0" + s : c === "x" ? "0x" + s : c === "X" ? "0X" + s : s;
      if (c === "d" || c === "i") s = (v < 0n ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "") + s;
      return { text: pad(s, prec !== null ? flags.replace("0", "") : flags, width), stop: false };
    }
    case "f":
    case "F":
    case "e":
    case "E":
    case "g":
    case "G": {
      const v = numArg(st, true) as number;
      const p = prec ?? 6;
      let s: string;
      if (!Number.isFinite(v)) s = Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
      else if (c === "f" || c === "F") s = v.toFixed(p);
      else if (c === "e" || c === "E") s = expo(v.toExponential(p));
      else s = gfmt(v, p === 0 ? 1 : p, flags.includes("#"));
      if (c === "E" || c === "G") s = s.toUpperCase();
      if (v >= 0 && flags.includes("+")) s = "+" + s;
      else if (v >= 0 && flags.includes(" ")) s = " " + s;
      return { text: pad(s, flags, width), stop: false };
    }
  }
  return { text: "", stop: false };
}

/** JS writes 1e+0; C writes 1e+00. */
function expo(s: string): string {
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function gfmt(v: number, p: number, keep: boolean): string {
  if (v === 0) return "0";
  const exp = Math.floor(Math.log10(Math.abs(v)));
  let s: string;
  if (exp < -4 || exp >= p) {
    s = v.toExponential(p - 1);
    if (!keep) s = s.replace(/\.?0+e/, "e");
    return expo(s);
  }
  s = v.toFixed(Math.max(0, p - 1 - exp));
  if (!keep && s.includes(".")) s = s.replace(/\.?0+$/, "");
  return s;
}

/** Formats once through `fmt`; returns whether \c or %b's \c asked to stop. */
function formatOnce(fmt: string, st: State): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch === "\\") {
      const m = /^\\(0[0-7]{0,3}|[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/s.exec(fmt.slice(i))!;
      if (m[1] === "c") return { text: out, stop: true };
      const seq = m[0];
      out += /^\\0[0-7]/.test(seq) ? String.fromCharCode(parseInt(seq.slice(2), 8)) : unescapeC(seq, false).text;
      i += seq.length - 1;
      continue;
    }
    if (ch !== "%") {
      out += ch;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?([diouxXfFeEgGcsb%])/.exec(fmt.slice(i));
    if (!m) {
      out += ch;
      continue;
    }
    i += m[0].length - 1;
    if (m[4] === "%") {
      out += "%";
      continue;
    }
    let width = 0;
    let flags = m[1] ?? "";
    if (m[2] === "*") width = Number(numArg(st, false));
    else if (m[2]) width = Number(m[2]);
    if (width < 0) {
      flags += "-";
      width = -width;
    }
    let prec: number | null = null;
    if (m[3] !== undefined) prec = m[3] === "*" ? Number(numArg(st, false)) : Number(m[3] || "0");
    const r = conv(st, flags, width, prec, m[4]!);
    out += r.text;
    if (r.stop) return { text: out, stop: true };
  }
  return { text: out, stop: false };
}

const cmd: Command = {
  name: "printf",
  summary: "printf: format and print data",
  usage: "Usage: printf FORMAT [ARG...]\nFormats ARGs per FORMAT (%s %d %i %u %o %x %X %c %f %e %g %b %%, flags -+ #0, width, precision) and prints them; FORMAT is reused while ARGs remain.",
  async run(ctx) {
    let args = ctx.args;
    if (args[0] === "--") args = args.slice(1);
    const fmt = args[0];
    if (fmt === undefined) {
      await ctx.err("missing operand");
      return 1;
    }
    const st: State = { args: args.slice(1), i: 0, bad: [] };
    let out = "";
    for (;;) {
      const before = st.i;
      const r = formatOnce(fmt, st);
      out += r.text;
      if (r.stop || st.i >= st.args.length || st.i === before) break;
    }
    await ctx.out(out);
    for (const b of st.bad) await ctx.err(`'${b}': expected a numeric value`);
    return st.bad.length ? 1 : 0;
  },
};
export default cmd;
