// find: walk directories, filtering by -name/-iname/-type/-path/-maxdepth/-mindepth, with -print/-exec.
import * as fs from "node:fs";
import { join } from "node:path";
import { matchPattern } from "../interp/pattern.ts";
import { errText } from "./lib.ts";
import type { Command, Ctx } from "./types.ts";

type Test = (path: string, name: string, st: fs.Stats) => boolean;

const cmd: Command = {
  name: "find",
  summary: "find: search for files in a directory hierarchy",
  usage: "Usage: find [PATH...] [EXPR]\nEXPR: -name PAT  -iname PAT  -path PAT  -type f|d|l  -maxdepth N  -mindepth N  -newer FILE  -empty  ! EXPR  -o  -print  -exec CMD {} ;\nPrints matching paths (default: everything under '.').",
  async run(ctx) {
    const args = ctx.args.slice();
    const roots: string[] = [];
    while (args.length && !args[0]!.startsWith("-") && args[0] !== "!" && args[0] !== "(") roots.push(args.shift()!);
    if (!roots.length) roots.push(".");
    let maxDepth = Infinity;
    let minDepth = 0;
    const execs: string[][] = [];
    // Expression: a list of OR-groups, each a list of AND-ed (possibly negated) tests.
    const groups: Test[][] = [[]];
    let negate = false;
    let printExplicit = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const val = () => {
        const v = args[++i];
        if (v === undefined) throw new Error(`missing argument to '${a}'`);
        return v;
      };
      let t: Test | null = null;
      switch (a) {
        case "!":
        case "-not":
          negate = !negate;
          continue;
        case "-o":
        case "-or":
          groups.push([]);
          continue;
        case "-a":
        case "-and":
          continue;
        case "-name": {
          const p = val();
          t = (_p, n) => matchPattern(p, n);
          break;
        }
        case "-iname": {
          const p = val().toLowerCase();
          t = (_p, n) => matchPattern(p, n.toLowerCase());
          break;
        }
        case "-path":
        case "-wholename": {
          const p = val();
          t = (path) => matchPattern(p, path);
          break;
        }
        case "-type": {
          const ty = val();
          t = (_p, _n, st) => (ty === "f" ? st.isFile() : ty === "d" ? st.isDirectory() : ty === "l" ? st.isSymbolicLink() : ty === "p" ? st.isFIFO() : ty === "s" ? st.isSocket() : ty === "c" ? st.isCharacterDevice() : ty === "b" ? st.isBlockDevice() : false);
          break;
        }
        case "-empty":
          t = (path, _n, st) => (st.isDirectory() ? fs.readdirSync(path).length === 0 : st.isFile() && st.size === 0);
          break;
        case "-newer": {
          const ref = fs.statSync(ctx.resolve(val())).mtimeMs;
          t = (_p, _n, st) => st.mtimeMs > ref;
          break;
        }
        case "-maxdepth":
          maxDepth = Number(val());
          continue;
        case "-mindepth":
          minDepth = Number(val());
          continue;
        case "-print":
          printExplicit = true;
          continue;
        case "-exec": {
          const c: string[] = [];
          while (i + 1 < args.length && args[i + 1] !== ";" && args[i + 1] !== "+") c.push(args[++i]!);
          i++;
          execs.push(c);
          continue;
        }
        default:
          await ctx.err(`unknown predicate '${a}'`);
          return 1;
      }
      const test = t;
      const neg = negate;
      groups.at(-1)!.push(neg ? (p, n, s) => !test(p, n, s) : test);
      negate = false;
    }
    void printExplicit;
    const matches = (p: string, n: string, st: fs.Stats) => groups.some((g) => g.every((t) => t(p, n, st)));
    let out = "";
    let status = 0;
    const found: string[] = [];
    const walk = async (path: string, shown: string, depth: number) => {
      let st: fs.Stats;
      try {
        st = fs.lstatSync(path);
      } catch (e) {
        await ctx.err(`'${shown}': ${errText(e)}`);
        status = 1;
        return;
      }
      const name = depth === 0 ? shown : shown.slice(shown.lastIndexOf("/") + 1);
      if (depth >= minDepth && matches(shown, name, st)) {
        if (execs.length) found.push(shown);
        else out += shown + "\n";
      }
      if (out.length > 65536) {
        await ctx.out(out);
        out = "";
      }
      if (st.isDirectory() && depth < maxDepth) {
        let entries: string[];
        try {
          entries = fs.readdirSync(path);
        } catch (e) {
          await ctx.err(`'${shown}': ${errText(e)}`);
          status = 1;
          return;
        }
        for (const e of entries) await walk(join(path, e), shown.endsWith("/") ? shown + e : shown + "/" + e, depth + 1);
      }
    };
    for (const r of roots) await walk(ctx.resolve(r), r, 0);
    await ctx.out(out);
    if (execs.length) status = (await runExecs(ctx, execs, found)) || status;
    return status;
  },
};

async function runExecs(ctx: Ctx, execs: string[][], found: string[]): Promise<number> {
  const { invoke } = await import("../interp/simple.ts");
  let st = 0;
  for (const f of found) {
    for (const c of execs) {
      const argv = c.map((w) => w.replaceAll("{}", f));
      if (argv.length && (await invoke(ctx.sh, argv, [], [])) !== 0) st = 1;
    }
  }
  return st;
}
export default cmd;
