// tsh entry point: `tsh -c CMD [NAME ARG...]`, `tsh FILE [ARG...]`, `tsh` (interactive
// on a terminal, else the script on stdin). Called by the tsbox dispatcher.
import * as fs from "node:fs";
import { isatty } from "node:tty";
import { readAll, FdStream } from "./interp/io.ts";
import { OPTION_LETTERS, Shell } from "./interp/shell.ts";
import { runProgram } from "./interp/source.ts";

const USAGE = `Usage: tsh [-euxfCv] [-c COMMAND [NAME [ARG...]] | FILE [ARG...]]
The tsos shell: POSIX sh with TypeScript builtins.
  -c COMMAND  run COMMAND; NAME sets $0, ARGs set $1...
  -s          read commands from standard input
  -i          interactive even when stdin is not a terminal
  -e -u -x -f -C -v   as with 'set'
With no COMMAND or FILE: interactive on a terminal, otherwise the script on stdin.
'help' inside tsh lists the builtin commands.`;

export async function main(args: string[]): Promise<number> {
  const sh = Shell.fromEnvironment();
  sh.ownsProcess = true;
  let command: string | null = null;
  let forceInteractive = false;
  let fromStdin = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--help") {
      fs.writeSync(1, USAGE + "\n");
      return 0;
    }
    if (a === "--") {
      i++;
      break;
    }
    if (!/^[-+][A-Za-z]+$/.test(a)) break;
    const on = a[0] === "-";
    for (const c of a.slice(1)) {
      if (c === "c" && on) command = "";
      else if (c === "i") forceInteractive = on;
      else if (c === "s") fromStdin = true;
      else if (c === "l") continue;
      else if (OPTION_LETTERS[c]) sh.opts[OPTION_LETTERS[c]!] = on;
      else {
        fs.writeSync(2, `tsh: -${c}: invalid option\n${USAGE}\n`);
        return 2;
      }
    }
  }
  const rest = args.slice(i);
  if (command !== null) {
    if (!rest.length) {
      fs.writeSync(2, "tsh: -c: option requires an argument\n");
      return 2;
    }
    command = rest[0]!;
    if (rest.length > 1) sh.arg0 = rest[1]!;
    sh.positional = rest.slice(2);
    return finish(await runProgram(sh, command, "-c"));
  }
  if (rest.length && !fromStdin) {
    const file = rest[0]!;
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      fs.writeSync(2, `tsh: cannot open ${file}: ${code === "ENOENT" ? "No such file or directory" : (e as Error).message}\n`);
      return 127;
    }
    sh.arg0 = file;
    sh.positional = rest.slice(1);
    return finish(await runProgram(sh, text, file));
  }
  sh.positional = rest;
  if (forceInteractive || (isatty(0) && !fromStdin)) {
    const { interactive } = await import("./editor/repl.ts");
    return finish(await interactive(sh));
  }
  const text = Buffer.from(await readAll(new FdStream(0))).toString("utf8");
  return finish(await runProgram(sh, text, "stdin"));
}

/** Background jobs still running would keep Bun's event loop alive; a shell does not wait for them. */
function finish(status: number): number {
  process.exitCode = status;
  setImmediate(() => process.exit(status));
  return status;
}
