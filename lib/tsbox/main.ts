// tsbox: one compiled executable, many programs. Chosen by argv[0] (a symlink's
// name) or, when invoked as tsbox itself, by the first argument.
import { basename } from "node:path";
import { findProgram, programs } from "./programs.ts";

function usage(): string {
  const names = programs.flatMap((p) => p.names).join(", ");
  return `usage: tsbox PROGRAM [ARGS...]\nprograms: ${names}`;
}

export async function dispatch(argv0: string, rest: string[]): Promise<number> {
  let name = basename(argv0);
  let args = rest;
  if (!findProgram(name)) {
    if (rest.length === 0 || rest[0] === "--help" || rest[0] === "-h") {
      console.log(usage());
      return rest.length === 0 ? 2 : 0;
    }
    name = rest[0]!;
    args = rest.slice(1);
  }
  const program = findProgram(name);
  if (!program) {
    console.error(`tsbox: unknown program '${name}'\n${usage()}`);
    return 2;
  }
  const mod = await program.load();
  return (await mod.main(args)) ?? 0;
}

// No top-level await: the image is built with --bytecode, which needs a CommonJS-shaped entry.
if (import.meta.main) {
  void dispatch(process.argv0, process.argv.slice(2)).then((code) => {
    // A program that keeps the event loop alive (init, daemons) finishes only when it is done.
    process.exitCode = code;
  });
}
