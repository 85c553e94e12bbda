// tail: last lines of each input; -f keeps following a file as it grows.
import * as fs from "node:fs";
import { eachInputWithHeaders, errText, hadInputError, parseArgs } from "./lib.ts";
import type { Command, Ctx } from "./types.ts";

function lastLines(data: Uint8Array, n: number, fromStart: boolean): Uint8Array {
  if (fromStart) {
    let pos = 0;
    for (let line = 1; line < n && pos < data.length; line++) {
      const nl = data.indexOf(10, pos);
      if (nl < 0) return data.subarray(data.length);
      pos = nl + 1;
    }
    return data.subarray(pos);
  }
  if (n === 0) return data.subarray(data.length);
  let pos = data.length;
  if (pos > 0 && data[pos - 1] === 10) pos--;
  let count = 0;
  while (pos > 0) {
    if (data[pos - 1] === 10 && ++count === n) break;
    pos--;
  }
  return data.subarray(pos);
}

async function follow(ctx: Ctx, file: string, from: number): Promise<void> {
  const path = ctx.resolve(file);
  let off = from;
  while (!ctx.signal.aborted) {
    await new Promise<void>((r) => {
      const t = setTimeout(r, 200);
      ctx.signal.addEventListener("abort", () => (clearTimeout(t), r()), { once: true });
    });
    let size: number;
    try {
      size = fs.statSync(path).size;
    } catch {
      continue;
    }
    if (size < off) off = 0;
    if (size > off) {
      const fd = fs.openSync(path, "r");
      const buf = Buffer.alloc(size - off);
      fs.readSync(fd, buf, 0, buf.length, off);
      fs.closeSync(fd);
      off = size;
      await ctx.out(buf);
    }
  }
}

const cmd: Command = {
  name: "tail",
  summary: "tail: print the last lines of files",
  usage: "Usage: tail [-n [+]N] [-c [+]N] [-f] [FILE...]\nPrints the last N (default 10) lines of each FILE.\n  -n N   lines; +N starts at line N\n  -c N   bytes\n  -f     keep printing data appended to the file (until Ctrl-C)",
  async run(ctx) {
    const p = await parseArgs(ctx, "n:c:fqv", { lines: "n", bytes: "c", follow: "f" }, { numeric: "n" });
    if (!p) return 1;
    const bytes = p.opts.has("c");
    const spec = p.opts.get("c") ?? p.opts.get("n") ?? "10";
    const fromStart = spec.startsWith("+");
    const n = Math.abs(Number(spec));
    if (!Number.isInteger(n)) {
      await ctx.err(`invalid number of ${bytes ? "bytes" : "lines"}: '${spec}'`);
      return 1;
    }
    for await (const { data } of eachInputWithHeaders(ctx, p.operands, p.opts.has("q"))) {
      if (bytes) await ctx.out(fromStart ? data.subarray(Math.max(0, n - 1)) : data.subarray(Math.max(0, data.length - n)));
      else await ctx.out(lastLines(data, n, fromStart));
    }
    if (p.opts.has("f") && p.operands.length) {
      const file = p.operands.at(-1)!;
      try {
        await follow(ctx, file, fs.statSync(ctx.resolve(file)).size);
      } catch (e) {
        await ctx.err(`${file}: ${errText(e)}`);
        return 1;
      }
    }
    return hadInputError(ctx) ? 1 : 0;
  },
};
export default cmd;
