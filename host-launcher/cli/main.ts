// tsos: the host launcher's command line. One file per verb; exit codes
// 0 ok, 1 failed, 2 usage. Errors are one line that says what to do next.
import { helpText, UsageError, type VerbSpec } from "./args.ts";
import { bootSpikeMain, bootSpikeSpec } from "./boot-spike.ts";
import { preflightMain, preflightSpec } from "./preflight.ts";
import { ctlMain, ctlSpec } from "./ctl.ts";
import { devMain, devSpec } from "./dev.ts";
import { listMain, listSpec } from "./list.ts";
import { runMain, runSpec } from "./run.ts";
import { sshMain, sshSpec } from "./ssh.ts";
import { vsockConnectMain, vsockConnectSpec } from "./vsock-connect.ts";

interface Verb {
  spec: VerbSpec;
  main: (argv: string[]) => Promise<number>;
}

export const verbs: Verb[] = [
  { spec: runSpec, main: runMain },
  { spec: sshSpec, main: sshMain },
  { spec: ctlSpec, main: ctlMain },
  { spec: listSpec, main: listMain },
  { spec: devSpec, main: devMain },
  { spec: preflightSpec, main: preflightMain },
  { spec: bootSpikeSpec, main: bootSpikeMain },
  { spec: vsockConnectSpec, main: vsockConnectMain },
];

function usage(): string {
  const w = Math.max(...verbs.map((v) => v.spec.name.length));
  return ["usage: tsos VERB [options]   (tsos VERB --help for its options)", "", ...verbs.map((v) => `  ${v.spec.name.padEnd(w)}  ${v.spec.summary.split("\n")[0]}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const verb = verbs.find((v) => v.spec.name === name);
  if (!verb) {
    console.error(`tsos: unknown verb '${name}'\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    if (!rest.includes("--") || rest.indexOf("--help") < rest.indexOf("--")) {
      console.log(helpText(verb.spec));
      return 0;
    }
  }
  try {
    return await verb.main(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`tsos ${name}: ${e.message}`);
      return 2;
    }
    console.error(`tsos ${name}: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
