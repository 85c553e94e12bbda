// cd: changes the shell's own working directory (tsh never changes the process's cwd: jobs run in-process).
import * as fs from "node:fs";
import { resolve } from "node:path";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "cd",
  summary: "cd: change the working directory",
  usage: "Usage: cd [-L|-P] [DIR|-]\nChanges the shell's working directory to DIR (default $HOME; '-' is $OLDPWD). CDPATH is searched for relative names.",
  async run(ctx) {
    const sh = ctx.sh;
    const args = ctx.args.filter((a) => a !== "-L" && a !== "-P");
    const physical = ctx.args.includes("-P");
    let dir = args[0];
    let print = false;
    if (dir === undefined) {
      dir = sh.get("HOME");
      if (!dir) {
        await ctx.err("HOME not set");
        return 1;
      }
    } else if (dir === "-") {
      dir = sh.get("OLDPWD");
      if (!dir) {
        await ctx.err("OLDPWD not set");
        return 1;
      }
      print = true;
    }
    let target = resolve(sh.cwd, dir);
    if (!dir.startsWith("/") && !dir.startsWith(".")) {
      for (const base of (sh.get("CDPATH") ?? "").split(":").filter(Boolean)) {
        const t = resolve(sh.cwd, base, dir);
        if (isDir(t)) {
          target = t;
          print = true;
          break;
        }
      }
    }
    try {
      if (!fs.statSync(target).isDirectory()) {
        await ctx.err(`can't cd to ${dir}: Not a directory`);
        return 2;
      }
      fs.accessSync(target, fs.constants.X_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // dash's wording and status (2), so scripts see the same thing on every tsos machine.
      await ctx.err(`can't cd to ${dir}: ${code === "EACCES" ? "Permission denied" : "No such file or directory"}`);
      return 2;
    }
    if (physical) target = fs.realpathSync(target);
    sh.setVar("OLDPWD", sh.cwd);
    sh.cwd = target;
    sh.setVar("PWD", target);
    if (print) await ctx.out(target + "\n");
    return 0;
  },
};

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
export default cmd;
