// sort: sort lines (byte order like LC_ALL=C; -n numeric, -r reverse, -u unique, -k field, -t separator).
import { eachInput, hadInputError, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

function numPrefix(s: string): number {
  const m = /^\s*(-?[0-9]*\.?[0-9]+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

const cmd: Command = {
  name: "sort",
  summary: "sort: sort lines of text",
  usage: "Usage: sort [-nrufb] [-t SEP] [-k N[,M]] [-o FILE] [FILE...]\nWrites the sorted lines of all FILEs.\n  -n  numeric   -r  reverse   -u  unique   -f  fold case\n  -t SEP  field separator   -k N[,M]  sort key fields N..M   -o FILE  output file",
  async run(ctx) {
    const p = await parseArgs(ctx, "nrufbt:k:o:s", { numeric: "n", reverse: "r", unique: "u", "ignore-case": "f", "field-separator": "t", key: "k", output: "o" });
    if (!p) return 2;
    const o = (c: string) => p.opts.has(c);
    let lines: string[] = [];
    for await (const { data } of eachInput(ctx, p.operands)) {
      const t = Buffer.from(data).toString("utf8").split("\n");
      if (t.at(-1) === "") t.pop();
      lines.push(...t);
    }
    const sep = p.opts.get("t");
    const keySpec = p.opts.get("k");
    let key = (s: string) => s;
    if (keySpec) {
      const [a, b] = keySpec.split(",");
      const from = parseInt(a!, 10) - 1;
      const to = b ? parseInt(b, 10) : Infinity;
      key = (s) => {
        if (sep !== undefined) return s.split(sep).slice(from, to).join(sep);
        const fields = s.match(/\s*\S+/g) ?? [];
        const k = fields.slice(from, to).join("");
        return o("b") || true ? k.replace(/^\s+/, "") : k;
      };
    }
    const fold = o("f");
    const cmpStr = (x: string, y: string) => {
      const a = fold ? x.toUpperCase() : x;
      const b = fold ? y.toUpperCase() : y;
      return a < b ? -1 : a > b ? 1 : 0;
    };
    const compareKeys = (x: string, y: string) => (o("n") ? numPrefix(key(x)) - numPrefix(key(y)) : cmpStr(key(x), key(y)));
    const cmp = (x: string, y: string) => {
      const c = compareKeys(x, y);
      if (c !== 0 || o("u") || o("s")) return c;
      return cmpStr(x, y); // last-resort whole-line comparison, as GNU does
    };
    lines.sort(cmp);
    if (o("r")) lines.reverse();
    if (o("u")) lines = lines.filter((l, i) => i === 0 || compareKeys(lines[i - 1]!, l) !== 0);
    const text = lines.length ? lines.join("\n") + "\n" : "";
    const outFile = p.opts.get("o");
    if (outFile) await Bun.write(ctx.resolve(outFile), text);
    else await ctx.out(text);
    return hadInputError(ctx) ? 2 : 0;
  },
};
export default cmd;
