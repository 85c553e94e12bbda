// wc: line, word and byte counts, formatted like GNU wc.
import * as fs from "node:fs";
import { eachInput, hadInputError, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "wc",
  summary: "wc: count lines, words and bytes",
  usage: "Usage: wc [-lwcm] [FILE...]\nPrints newline, word and byte counts for each FILE and a total.\n  -l lines  -w words  -c bytes  -m characters",
  async run(ctx) {
    const p = await parseArgs(ctx, "lwcm", { lines: "l", words: "w", bytes: "c", chars: "m" });
    if (!p) return 1;
    let which = ["l", "w", "m", "c"].filter((c) => p.opts.has(c));
    if (!which.length) which = ["l", "w", "c"];
    const rows: { counts: number[]; name: string }[] = [];
    const total = [0, 0, 0, 0];
    for await (const { name, data } of eachInput(ctx, p.operands)) {
      let lines = 0;
      let words = 0;
      let inWord = false;
      for (const b of data) {
        if (b === 10) lines++;
        const space = b === 32 || (b >= 9 && b <= 13);
        if (!space && !inWord) words++;
        inWord = !space;
      }
      const chars = Buffer.from(data).toString("utf8").length;
      const all = { l: lines, w: words, m: chars, c: data.length };
      const counts = which.map((c) => all[c as keyof typeof all]);
      counts.forEach((v, i) => (total[i]! += v));
      rows.push({ counts, name: p.operands.length ? name : "" });
    }
    if (rows.length > 1) rows.push({ counts: total.slice(0, which.length), name: "total" });
    // GNU pads every column to the widest number, except a single count of stdin.
    const single = which.length === 1 && !p.operands.length;
    // GNU's minimum width is 7 only when some input is not a regular file (a pipe, a tty).
    let stdinFile = false;
    try {
      stdinFile = ctx.stdin.osFd !== undefined && fs.fstatSync(ctx.stdin.osFd).isFile();
    } catch {}
    const width = single ? 0 : Math.max(p.operands.length || stdinFile ? 1 : 7, ...rows.flatMap((r) => r.counts.map((c) => String(c).length)));
    let out = "";
    for (const r of rows) out += r.counts.map((c) => String(c).padStart(width)).join(" ") + (r.name ? " " + r.name : "") + "\n";
    await ctx.out(out);
    return hadInputError(ctx) ? 1 : 0;
  },
};
export default cmd;
