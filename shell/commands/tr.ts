// tr: translate, delete or squeeze characters.
import { parseArgs, streamInput } from "./lib.ts";
import type { Command } from "./types.ts";

const CLASSES: Record<string, string> = {
  alpha: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lower: "abcdefghijklmnopqrstuvwxyz",
  digit: "0123456789",
  alnum: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  space: " \t\n\r\f\v",
  blank: " \t",
  punct: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
  xdigit: "0123456789ABCDEFabcdef",
};

/** Expands a SET: ranges a-z, classes [:alpha:], escapes \n \t \\ \NNN, repeats [c*n]. */
export function expandSet(s: string): string {
  let out = "";
  const esc: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v" };
  const chars: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "[" && s[i + 1] === ":") {
      const e = s.indexOf(":]", i);
      const cls = e > 0 ? CLASSES[s.slice(i + 2, e)] : undefined;
      if (cls) {
        chars.push(...cls);
        i = e + 1;
        continue;
      }
    }
    if (s[i] === "\\" && i + 1 < s.length) {
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1));
      if (m) {
        chars.push(String.fromCharCode(parseInt(m[0], 8)));
        i += m[0].length;
      } else chars.push(esc[s[++i]!] ?? s[i]!);
      continue;
    }
    if (s[i + 1] === "-" && i + 2 < s.length && chars.length >= 0) {
      const a = s.charCodeAt(i);
      const b = s.charCodeAt(i + 2);
      if (b >= a) {
        for (let c = a; c <= b; c++) chars.push(String.fromCharCode(c));
        i += 2;
        continue;
      }
    }
    chars.push(s[i]!);
  }
  out = chars.join("");
  return out;
}

const DELETE = 256;

/**
 * A per-byte table (output byte, or DELETE) for plain translation or deletion when both sets are
 * ASCII; null when the general path is needed (-s, -c, or non-ASCII sets). UTF-8 sequences
 * never contain ASCII bytes, so other characters pass through untouched, as on the general path.
 */
function byteTable(set1: string, set2: string, del: boolean, needsGeneral: boolean): Uint16Array | null {
  if (needsGeneral || !/^[\x00-\x7f]*$/.test(set1 + set2) || (!del && !set2)) return null;
  const t = new Uint16Array(256).map((_, i) => i);
  if (del) for (const c of set1) t[c.charCodeAt(0)] = DELETE;
  else for (let i = 0; i < set1.length; i++) t[set1.charCodeAt(i)] = set2.charCodeAt(i);
  return t;
}

function applyTable(t: Uint16Array, chunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(chunk.length);
  let n = 0;
  for (let i = 0; i < chunk.length; i++) {
    const v = t[chunk[i]!]!;
    if (v !== DELETE) out[n++] = v;
  }
  return out.subarray(0, n);
}

const cmd: Command = {
  name: "tr",
  summary: "tr: translate or delete characters",
  usage: "Usage: tr [-d] [-s] [-c] SET1 [SET2]\nCopies stdin to stdout, translating SET1 characters to SET2.\n  -d  delete SET1 characters   -s  squeeze repeats   -c  complement SET1\nSETs take ranges (a-z), classes ([:upper:]) and escapes (\\n).",
  async run(ctx) {
    const p = await parseArgs(ctx, "dscC", { delete: "d", "squeeze-repeats": "s", complement: "c" });
    if (!p) return 1;
    const [s1, s2] = p.operands;
    const del = p.opts.has("d");
    const squeeze = p.opts.has("s");
    if (s1 === undefined || (!del && !squeeze && s2 === undefined)) {
      await ctx.err(s1 === undefined ? "missing operand" : `missing operand after '${s1}'`);
      return 1;
    }
    const set1 = expandSet(s1);
    const comp = p.opts.has("c") || p.opts.has("C");
    const in1 = (c: string) => set1.includes(c) !== comp;
    let set2 = s2 !== undefined ? expandSet(s2) : "";
    if (set2 && set2.length < set1.length && !del) set2 = set2.padEnd(set1.length, set2.at(-1));
    const map = new Map<string, string>();
    if (!del && set2) for (let i = 0; i < set1.length; i++) map.set(set1[i]!, set2[i]!);
    const squeezeSet = del ? set2 : set2 || set1;
    const table = byteTable(set1, set2, del, squeeze || comp);
    if (table) {
      // Every character of both sets is ASCII: translate or delete byte by byte, no decoding.
      for await (const chunk of streamInput(ctx, "-")) await ctx.out(applyTable(table, chunk));
      return 0;
    }
    let last = "";
    const dec = new TextDecoder();
    for await (const chunk of streamInput(ctx, "-")) {
      let out = "";
      for (const c0 of dec.decode(chunk, { stream: true })) {
        let c = c0;
        if (del && in1(c)) continue;
        if (!del && set2) {
          if (comp) {
            if (in1(c)) c = set2.at(-1)!;
          } else c = map.get(c) ?? c;
        }
        if (squeeze && c === last && (del || set2 ? squeezeSet.includes(c) : in1(c))) continue;
        out += c;
        last = c;
      }
      await ctx.out(out);
    }
    return 0;
  },
};
export default cmd;
