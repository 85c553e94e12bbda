// cut: select fields (-f with -d) or characters (-c) / bytes (-b) from each line.
import { eachInput, hadInputError, parseArgs, splitLines } from "./lib.ts";
import type { Command } from "./types.ts";

/** Sorted, merged copies of 1-based inclusive ranges: slicing them in order selects each position once. */
function merged(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** "1,3-5,7-" → predicate over 1-based positions, and the positions as merged ranges. */
function parseList(spec: string): ((i: number) => boolean) & { ranges: [number, number][] } | null {
  const ranges: [number, number][] = [];
  for (const part of spec.split(",")) {
    const m = /^([0-9]*)(-?)([0-9]*)$/.exec(part);
    if (!m || (!m[1] && !m[3])) return null;
    const a = m[1] ? Number(m[1]) : 1;
    const b = m[2] ? (m[3] ? Number(m[3]) : Infinity) : a;
    if (a < 1) return null;
    ranges.push([a, b]);
  }
  return Object.assign((i: number) => ranges.some(([a, b]) => i >= a && i <= b), { ranges: merged(ranges) });
}

const ASCII = /^[\x00-\x7f]*$/;

const cmd: Command = {
  name: "cut",
  summary: "cut: remove sections from each line",
  usage: "Usage: cut -f LIST [-d DELIM] [-s] | -c LIST | -b LIST [FILE...]\nPrints selected parts of lines. LIST is like 1,3-5,7-.\n  -f LIST  fields (separated by DELIM, default TAB)\n  -d DELIM field delimiter\n  -s       skip lines without a delimiter\n  -c LIST  characters   -b LIST  bytes",
  async run(ctx) {
    const p = await parseArgs(ctx, "f:d:c:b:sn", { fields: "f", delimiter: "d", characters: "c", bytes: "b", "only-delimited": "s" });
    if (!p) return 1;
    const mode = ["f", "c", "b"].filter((c) => p.opts.has(c));
    if (mode.length !== 1) {
      await ctx.err(mode.length ? "only one type of list may be specified" : "you must specify a list of bytes, characters, or fields");
      await ctx.stderr.write("Try 'cut --help' for more information.\n");
      return 1;
    }
    const m = mode[0]!;
    const sel = parseList(p.opts.get(m)!);
    if (!sel) {
      await ctx.err(`invalid field value '${p.opts.get(m)}'`);
      return 1;
    }
    const delim = p.opts.get("d") ?? "\t";
    if (delim.length !== 1) {
      await ctx.err("the delimiter must be a single character");
      return 1;
    }
    let out = "";
    for await (const { data } of eachInput(ctx, p.operands)) {
      for (const line of splitLines(Buffer.from(data).toString("utf8"))) {
        if (m === "f") {
          if (!line.includes(delim)) {
            if (!p.opts.has("s")) out += line + "\n";
            continue;
          }
          out += line.split(delim).filter((_, i) => sel(i + 1)).join(delim) + "\n";
        } else if (ASCII.test(line)) {
          // One byte per character: the ranges are string slices (the common `cut -c1-20` case).
          for (const [a, b] of sel.ranges) out += line.slice(a - 1, b === Infinity ? undefined : b);
          out += "\n";
        } else {
          const units = m === "c" ? [...line] : [...Buffer.from(line)].map((b) => String.fromCharCode(b));
          const picked = units.filter((_, i) => sel(i + 1)).join("");
          out += (m === "b" ? Buffer.from(picked, "latin1").toString("utf8") : picked) + "\n";
        }
      }
    }
    await ctx.out(out);
    return hadInputError(ctx) ? 1 : 0;
  },
};
export default cmd;
