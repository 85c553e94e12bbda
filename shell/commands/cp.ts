// cp: copy files (and directories with -r).
import * as fs from "node:fs";
import { join } from "node:path";
import { errText, parseArgs, sourcesToTarget } from "./lib.ts";
import type { Command, Ctx } from "./types.ts";

function copy(src: string, dst: string, recursive: boolean, preserve: boolean): void {
  const st = fs.lstatSync(src);
  if (st.isDirectory()) {
    if (!recursive) throw Object.assign(new Error(`-r not specified; omitting directory '${src}'`), { code: "OMIT" });
    if (dst === src || dst.startsWith(src + "/")) throw Object.assign(new Error(`cannot copy a directory, '${src}', into itself, '${dst}'`), { code: "SELF" });
    fs.mkdirSync(dst, { recursive: true });
    for (const e of fs.readdirSync(src)) copy(join(src, e), join(dst, e), recursive, preserve);
  } else if (st.isSymbolicLink() && recursive) {
    fs.symlinkSync(fs.readlinkSync(src), dst);
  } else {
    fs.copyFileSync(src, dst);
    fs.chmodSync(dst, st.mode & 0o7777);
  }
  if (preserve) fs.utimesSync(dst, st.atime, st.mtime);
}

async function report(ctx: Ctx, e: unknown, src: string): Promise<void> {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "OMIT" || code === "SELF") await ctx.err((e as Error).message);
  else await ctx.err(`cannot stat '${src}': ${errText(e)}`);
}

const cmd: Command = {
  name: "cp",
  summary: "cp: copy files and directories",
  usage: "Usage: cp [-rRfpa] SOURCE... DEST\nCopies SOURCE to DEST, or SOURCEs into directory DEST.\n  -r, -R  copy directories recursively\n  -p      preserve times   -a  same as -rp\n  -f      ignored (always overwrites)",
  async run(ctx) {
    const p = await parseArgs(ctx, "rRfpaivn", { recursive: "r", force: "f", archive: "a" });
    if (!p) return 1;
    const recursive = p.opts.has("r") || p.opts.has("R") || p.opts.has("a");
    const preserve = p.opts.has("p") || p.opts.has("a");
    const moves = await sourcesToTarget(ctx, p.operands);
    if (!moves) return 1;
    let st = 0;
    for (const { operand: s, src, to } of moves) {
      try {
        copy(src, to, recursive, preserve);
      } catch (e) {
        await report(ctx, e, s);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
