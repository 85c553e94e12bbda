// ls: list directory contents (-a -l -h -R -1 -d), sorted in byte order like LC_ALL=C.
import * as fs from "node:fs";
import { join } from "node:path";
import { errText, human, parseArgs } from "./lib.ts";
import { modeString, userName, groupName } from "./fsinfo.ts";
import type { Command, Ctx } from "./types.ts";

interface Opts {
  all: boolean;
  long: boolean;
  human: boolean;
  recursive: boolean;
  dirAsFile: boolean;
  classify: boolean;
}

function timeText(d: Date): string {
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getMonth()]!;
  const recent = Math.abs(Date.now() - d.getTime()) < 182 * 86400e3;
  const tail = recent ? `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}` : String(d.getFullYear()).padStart(5);
  return `${mon} ${String(d.getDate()).padStart(2)} ${tail}`;
}

function longLines(ctx: Ctx, dir: string, names: string[], o: Opts): string[] {
  const rows = names.map((n) => {
    const p = n.startsWith("/") ? n : join(dir, n);
    const st = fs.lstatSync(p);
    let name = n;
    if (st.isSymbolicLink()) name += " -> " + fs.readlinkSync(p);
    return [modeString(st), String(st.nlink), userName(st.uid), groupName(st.gid), o.human ? human(st.size) : String(st.size), timeText(st.mtime), name];
  });
  const w = [1, 2, 3, 4].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `${r[0]} ${r[1]!.padStart(w[0]!)} ${r[2]!.padEnd(w[1]!)} ${r[3]!.padEnd(w[2]!)} ${r[4]!.padStart(w[3]!)} ${r[5]} ${r[6]}`);
}

function totalBlocks(dir: string, names: string[]): number {
  let blocks = 0;
  for (const n of names) {
    try {
      blocks += fs.lstatSync(join(dir, n)).blocks;
    } catch {}
  }
  return Math.ceil(blocks / 2);
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function suffix(p: string): string {
  try {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) return "/";
    if (st.isSymbolicLink()) return "@";
    if (st.mode & 0o111) return "*";
  } catch {}
  return "";
}

async function listDir(ctx: Ctx, shown: string, path: string, o: Opts, header: boolean): Promise<string> {
  let names = fs.readdirSync(path);
  if (o.all) names.push(".", "..");
  else names = names.filter((n) => !n.startsWith("."));
  names.sort(byName);
  let out = header ? `${shown}:\n` : "";
  if (o.long) {
    out += `total ${totalBlocks(path, names)}\n`;
    for (const l of longLines(ctx, path, names, o)) out += l + "\n";
  } else for (const n of names) out += n + (o.classify ? suffix(join(path, n)) : "") + "\n";
  if (o.recursive) {
    for (const n of names) {
      if (n === "." || n === "..") continue;
      const p = join(path, n);
      let isDir = false;
      try {
        isDir = fs.lstatSync(p).isDirectory();
      } catch {}
      if (isDir) out += "\n" + (await listDir(ctx, shown === "." && false ? n : join(shown, n), p, o, true));
    }
  }
  return out;
}

const cmd: Command = {
  name: "ls",
  summary: "ls: list directory contents",
  usage: "Usage: ls [-alhR1dF] [FILE...]\nLists FILEs (default: the current directory), sorted by name.\n  -a  include names starting with '.'\n  -l  long format (mode, links, owner, group, size, time)\n  -h  human-readable sizes with -l\n  -R  list subdirectories recursively\n  -d  list directories themselves\n  -F  append / * @ by type\n  -1  one name per line (always the case here)",
  async run(ctx) {
    const p = await parseArgs(ctx, "alhR1dFA", { all: "a", "human-readable": "h", recursive: "R", directory: "d", classify: "F" });
    if (!p) return 2;
    const o: Opts = { all: p.opts.has("a"), long: p.opts.has("l"), human: p.opts.has("h"), recursive: p.opts.has("R"), dirAsFile: p.opts.has("d"), classify: p.opts.has("F") };
    const targets = p.operands.length ? p.operands : ["."];
    let st = 0;
    const files: string[] = [];
    const dirs: string[] = [];
    for (const t of targets) {
      try {
        const s = fs.statSync(ctx.resolve(t));
        if (s.isDirectory() && !o.dirAsFile) dirs.push(t);
        else files.push(t);
      } catch (e) {
        try {
          fs.lstatSync(ctx.resolve(t));
          files.push(t);
        } catch {
          await ctx.err(`cannot access '${t}': ${errText(e)}`);
          st = 2;
        }
      }
    }
    files.sort(byName);
    dirs.sort(byName);
    let out = "";
    if (files.length) {
      if (o.long) out += longLines(ctx, ctx.cwd, files, o).join("\n") + "\n";
      else out += files.map((f) => f + (o.classify ? suffix(ctx.resolve(f)) : "") + "\n").join("");
    }
    const header = o.recursive || targets.length > 1;
    for (const [i, d] of dirs.entries()) {
      if (out || i > 0) out += "\n";
      try {
        out += await listDir(ctx, d, ctx.resolve(d), o, header);
      } catch (e) {
        await ctx.err(`cannot open directory '${d}': ${errText(e)}`);
        st = 2;
      }
    }
    await ctx.out(out);
    return st;
  },
};
export default cmd;
