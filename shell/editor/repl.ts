// The interactive shell: prompt, line editing, multi-line input, Ctrl-C and Ctrl-Z.
//
// Job control, as far as Bun allows: Bun.spawn cannot put a child in its own
// process group or hand it the terminal (no setpgid/tcsetpgrp between fork and
// exec), so children share the shell's process group. Ctrl-C and Ctrl-Z reach
// both; the shell handles SIGINT/SIGTSTP itself (so it survives), aborts in-process
// builtins, and on Ctrl-Z files the foreground command as a stopped job that
// `fg`/`bg` resume with SIGCONT.
import * as fs from "node:fs";
import { join } from "node:path";
import { ShellSyntaxError } from "../parser/ast.ts";
import { Parser } from "../parser/parser.ts";
import { jobLine } from "../interp/builtins/jobctl.ts";
import { InterruptSignal } from "../interp/exec.ts";
import { acquireTerminal, readable, RawMode } from "../interp/ffi.ts";
import { getpgrp, ignoreSignal, tcsetpgrp, terminalSize } from "../../lib/ffi/libc.ts";
import type { ProcessGroup } from "../interp/shell.ts";

const SIGTTOU = 22;
import { writeAllSync } from "../interp/io.ts";
import type { Job } from "../interp/jobs.ts";
import { ExitSignal, type Shell } from "../interp/shell.ts";
import { runText } from "../interp/source.ts";
import { clearTrapHandlers, runExitTrap } from "../interp/traps.ts";
import { complete } from "./complete.ts";
import { History } from "./history.ts";
import { LineEditor, type Terminal } from "./lineedit.ts";
import { unameInfo } from "../commands/sysinfo.ts";
import { userName } from "../commands/fsinfo.ts";

/** Terminal input by poll + read on fd 0: no read-ahead, and the event loop keeps running meanwhile. */
class TtyTerminal implements Terminal {
  async read(): Promise<string | null> {
    const buf = Buffer.alloc(4096);
    for (;;) {
      if (readable(0, 0)) {
        try {
          const n = fs.readSync(0, buf, 0, buf.length, null);
          return n === 0 ? null : buf.subarray(0, n).toString("utf8");
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== "EAGAIN" && code !== "EINTR") return null;
        }
      }
      await Bun.sleep(10);
    }
  }
  write(s: string): void {
    try {
      writeAllSync(1, Buffer.from(s));
    } catch {}
  }
  columns(): number {
    return terminalSize(1)?.cols ?? terminalSize(0)?.cols ?? 80;
  }
}

export function promptText(sh: Shell): string {
  const home = sh.get("HOME");
  let cwd = sh.cwd;
  if (home && home !== "/" && (cwd === home || cwd.startsWith(home + "/"))) cwd = "~" + cwd.slice(home.length);
  const uid = process.getuid?.() ?? 0;
  const status = sh.status ? `\x1b[31m[${sh.status}]\x1b[0m ` : "";
  return `${status}${userName(uid)}@${unameInfo().nodename}:${cwd}${uid === 0 ? "#" : "$"} `;
}

/** Whether `text` is an unfinished construct (open quote, `if` without `fi`, trailing `|`...). */
export function isIncomplete(text: string): boolean {
  try {
    const p = new Parser(text);
    while (p.next());
    return false;
  } catch (e) {
    return e instanceof ShellSyntaxError && e.incomplete;
  }
}

export async function interactive(sh: Shell): Promise<number> {
  sh.interactive = true;
  if (acquireTerminal(0)) {
    // Job control: jobs get process groups and the terminal; the shell takes it back,
    // which a background process may do only with SIGTTOU ignored.
    ignoreSignal(SIGTTOU);
    sh.jobControl = { ttyFd: 0, shellPgid: getpgrp() };
  }
  const term = new TtyTerminal();
  const raw = new RawMode(0);
  const home = sh.get("HOME");
  const history = new History(home ? join(home, ".tsh_history") : null);
  const editor = new LineEditor(term, history, (line, pos) => complete(sh, line, pos));
  let foreground: { stop: () => void } | null = null;
  const onInt = () => {
    sh.control.interrupted = true;
    sh.control.abort.abort();
    if (sh.traps.get("INT")) sh.pendingSignals.push("INT");
  };
  const onTstp = () => foreground?.stop();
  process.on("SIGINT", onInt);
  process.on("SIGTSTP", onTstp);
  process.on("SIGQUIT", () => {});
  const rcFile = home ? join(home, ".tshrc") : null;
  if (rcFile && fs.existsSync(rcFile)) await runLine(sh, fs.readFileSync(rcFile, "utf8")).catch(() => {});
  let status = 0;
  try {
    for (;;) {
      reportJobs(sh, term);
      let text = "";
      let prompt = promptText(sh);
      raw.enter();
      let r = await editor.read(prompt);
      while (r.kind === "line" && isIncomplete(text + r.text + "\n")) {
        text += r.text + "\n";
        r = await editor.read(sh.get("PS2") ?? "> ");
      }
      raw.restore();
      if (r.kind === "eof") break;
      if (r.kind === "interrupt") {
        sh.status = 130;
        continue;
      }
      text += r.text;
      if (!text.trim()) continue;
      history.add(text);
      sh.control.interrupted = false;
      sh.control.abort = new AbortController();
      const group: ProcessGroup = { live: 0, onStop: () => foreground?.stop() };
      sh.fgGroup = sh.jobControl ? group : null;
      const run = runLine(sh, text);
      const stopped = new Promise<"stopped">((resolve) => (foreground = { stop: () => resolve("stopped") }));
      const outcome = await Promise.race([run, stopped]);
      foreground = null;
      sh.fgGroup = null;
      if (sh.jobControl) tcsetpgrp(sh.jobControl.ttyFd, sh.jobControl.shellPgid);
      if (outcome === "stopped") {
        const job = fileStoppedJob(sh, text, run);
        job.group = group;
        group.onStop = () => (job.state = "stopped");
        term.write(`\r\n[${job.id}]+  Stopped                 ${job.command}\r\n`);
        sh.status = 148;
      } else if (outcome === "exit") {
        status = sh.status;
        break;
      }
      prompt = promptText(sh);
    }
  } finally {
    raw.restore();
    process.off("SIGINT", onInt);
    process.off("SIGTSTP", onTstp);
  }
  status = await runExitTrap(sh, status).catch(() => status);
  clearTrapHandlers();
  return status;
}

/** Runs one accepted line. Resolves "exit" when the shell should end. */
async function runLine(sh: Shell, text: string): Promise<"done" | "exit"> {
  try {
    await runText(sh, text, "tsh");
    return "done";
  } catch (e) {
    if (e instanceof ExitSignal) {
      sh.status = e.status;
      return "exit";
    }
    if (e instanceof InterruptSignal) {
      sh.status = 130;
      await sh.err("");
      return "done";
    }
    await sh.err(`tsh: internal error: ${(e as Error)?.message ?? e}`);
    sh.status = 70;
    return "done";
  }
}

/** Ctrl-Z: the foreground command becomes a stopped job; its processes were stopped by the terminal. */
function fileStoppedJob(sh: Shell, text: string, run: Promise<"done" | "exit">): Job {
  const job = sh.jobs.create(text.trim());
  job.state = "stopped";
  for (const p of sh.foregroundProcs) job.procs.add(p);
  sh.foregroundProcs.clear();
  job.promise = run.then(() => {
    job.state = "done";
    job.status = sh.status;
    return sh.status;
  });
  return job;
}

function reportJobs(sh: Shell, term: Terminal): void {
  for (const j of [...sh.jobs.jobs]) {
    if (j.state === "done" && !j.notified) {
      j.notified = true;
      term.write(jobLine({ sh }, j).replace(/\n$/, "\r\n"));
      sh.jobs.remove(j);
    }
  }
}
