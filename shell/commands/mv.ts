// mv: move or rename files; falls back to copy+delete across filesystems.
import * as fs from "node:fs";
import { basename, join } from "node:path";
import { errText, parseArgs } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "mv",
  summary: "mv: move or rename files",
  usage: "Usage: mv [-f] SOURCE... DEST\nRenames SOURCE to DEST, or moves SOURCEs into directory DEST.",
  async run(ctx) {
    const p = await parseArgs(ctx, "fivn", { force: "f" });
    if (!p) return 1;
    if (p.operands.length < 2) {
      await ctx.err(p.operands.length ? `missing destination file operand after '${p.operands[0]}'` : "missing file operand");
      return 1;
    }
    const dest = ctx.resolve(p.operands.at(-1)!);
    const srcs = p.operands.slice(0, -1);
    let destIsDir = false;
    try {
      destIsDir = fs.statSync(dest).isDirectory();
    } catch {}
    if (srcs.length > 1 && !destIsDir) {
      await ctx.err(`target '${p.operands.at(-1)}' is not a directory`);
      return 1;
    }
    let st = 0;
    for (const s of srcs) {
      const src = ctx.resolve(s);
      const to = destIsDir ? join(dest, basename(src)) : dest;
      try {
        fs.lstatSync(src);
        try {
          fs.renameSync(src, to);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
          fs.cpSync(src, to, { recursive: true, verbatimSymlinks: true });
          fs.rmSync(src, { recursive: true, force: true });
        }
      } catch (e) {
        await ctx.err((e as NodeJS.ErrnoException).code === "ENOENT" ? `cannot stat '${s}': No such file or directory` : `cannot move '${s}': ${errText(e)}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
