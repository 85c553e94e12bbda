// Redirections: build a command's fd table from the shell's, opening files relative to the shell's cwd.
import * as fs from "node:fs";
import { resolve } from "node:path";
import type { Redir } from "../parser/ast.ts";
import { expandString } from "./expand.ts";
import { BufferStream, FdStream, type Stream } from "./io.ts";
import { ShellError, type Shell } from "./shell.ts";

export class RedirError extends ShellError {}

/**
 * Applies `redirs` on top of `sh.fds`, returning the new table and the streams
 * opened for it (closed by the caller when the command ends).
 */
export async function applyRedirs(sh: Shell, redirs: Redir[]): Promise<{ fds: Map<number, Stream>; opened: Stream[] }> {
  const fds = new Map(sh.fds);
  const opened: Stream[] = [];
  try {
    for (const r of redirs) {
      const fd = r.fd ?? (r.op.startsWith("<") ? 0 : 1);
      if (r.heredoc) {
        const text = await expandString(sh, r.heredoc.body);
        fds.set(fd, new BufferStream(text));
        continue;
      }
      const target = await expandString(sh, r.target);
      if (r.op === ">&" || r.op === "<&") {
        if (target === "-") {
          fds.delete(fd);
          continue;
        }
        if (!/^[0-9]+$/.test(target)) throw new RedirError(`${target}: bad file descriptor`);
        const src = fds.get(Number(target));
        if (!src) throw new RedirError(`${target}: Bad file descriptor`);
        fds.set(fd, src);
        continue;
      }
      const path = resolve(sh.cwd, target);
      let flags: string;
      switch (r.op) {
        case "<":
          flags = "r";
          break;
        case ">>":
          flags = "a";
          break;
        case "<>":
          flags = fs.existsSync(path) ? "r+" : "w+";
          break;
        default:
          if (r.op === ">" && sh.opts.noclobber && isRegular(path)) throw new RedirError(`cannot create ${target}: File exists`);
          flags = "w";
      }
      let osFd: number;
      try {
        osFd = fs.openSync(path, flags, 0o666);
      } catch (e) {
        const msg = errText(e);
        throw new RedirError(r.op === "<" ? `cannot open ${target}: ${msg}` : `cannot create ${target}: ${msg}`);
      }
      const s = new FdStream(osFd, true);
      opened.push(s);
      fds.set(fd, s);
    }
  } catch (e) {
    for (const s of opened) s.close();
    throw e;
  }
  return { fds, opened };
}

function isRegular(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The human text of a Node fs error (`ENOENT` → "No such file or directory"). */
export function errText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "No such file or directory";
    case "EACCES":
      return "Permission denied";
    case "EISDIR":
      return "Is a directory";
    case "ENOTDIR":
      return "Not a directory";
    case "EEXIST":
      return "File exists";
    case "ENOTEMPTY":
      return "Directory not empty";
    case "EPERM":
      return "Operation not permitted";
    case "EROFS":
      return "Read-only file system";
    case "EXDEV":
      return "Invalid cross-device link";
    case "ELOOP":
      return "Too many levels of symbolic links";
    case "EBUSY":
      return "Device or resource busy";
    case "EINVAL":
      return "Invalid argument";
  }
  return (e as Error).message ?? String(e);
}
