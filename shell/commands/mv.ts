// mv: move or rename files; falls back to copy+delete across filesystems.
import * as fs from "node:fs";
import { errText, parseArgs, sourcesToTarget } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "mv",
  summary: "mv: move or rename files",
  usage: "Usage: mv [-f] SOURCE... DEST\nRenames SOURCE to DEST, or moves SOURCEs into directory DEST.",
  async run(ctx) {
    const p = await parseArgs(ctx, "fivn", { force: "f" });
    if (!p) return 1;
    const moves = await sourcesToTarget(ctx, p.operands);
    if (!moves) return 1;
    let st = 0;
    for (const { operand: s, src, to } of moves) {
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
