// xargs: build command lines from standard input.
import { readAll } from "../interp/io.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "xargs",
  summary: "xargs: build and run commands from standard input",
  usage: "Usage: xargs [-n N] [-I STR] [-0] [-d DELIM] [-r] [COMMAND [ARG...]]\nRuns COMMAND (default echo) with the words read from stdin appended.\n  -n N    at most N words per command\n  -I STR  run once per line, replacing STR in the arguments\n  -0      words are NUL-separated   -d DELIM  words separated by DELIM\n  -r      do not run when input is empty",
  async run(ctx) {
    const args = ctx.args.slice();
    let max = Infinity;
    let replace: string | null = null;
    let delim: string | null = null;
    let noEmpty = false;
    while (args.length && args[0]!.startsWith("-")) {
      const a = args.shift()!;
      if (a === "--") break;
      if (a === "-n") max = Number(args.shift());
      else if (a.startsWith("-n")) max = Number(a.slice(2));
      else if (a === "-I") replace = args.shift() ?? "{}";
      else if (a === "-0") delim = "\0";
      else if (a === "-d") delim = (args.shift() ?? "\n").replace("\\n", "\n").replace("\\t", "\t");
      else if (a === "-r") noEmpty = true;
      else {
        await ctx.err(`invalid option -- '${a.slice(1)}'`);
        return 1;
      }
    }
    const cmd = args.length ? args : ["echo"];
    const text = Buffer.from(await readAll(ctx.stdin)).toString("utf8");
    let words: string[];
    if (replace !== null) words = text.split("\n").filter((l) => l.trim() !== "");
    else if (delim !== null) words = text.split(delim).filter((w, i, all) => !(w === "" && i === all.length - 1));
    else words = splitWords(text);
    const { invoke } = await import("../interp/simple.ts");
    let st = 0;
    const runOne = async (argv: string[]) => {
      const r = await invoke(ctx.sh, argv, [], []);
      if (r === 127 || r === 126) st = r;
      else if (r !== 0 && st === 0) st = 123;
    };
    if (replace !== null) {
      for (const line of words) await runOne(cmd.map((c) => c.replaceAll(replace!, line)));
      return st;
    }
    if (!words.length) {
      if (!noEmpty) await runOne(cmd);
      return st;
    }
    for (let i = 0; i < words.length; i += max === Infinity ? words.length : max) await runOne([...cmd, ...words.slice(i, max === Infinity ? undefined : i + max)]);
    return st;
  },
};

/** Blank-separated words with xargs' quoting: '...', "...", backslash. */
function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const e = text.indexOf(c, i + 1);
      cur += text.slice(i + 1, e < 0 ? text.length : e);
      i = e < 0 ? text.length : e;
      has = true;
    } else if (c === "\\" && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}
export default cmd;
