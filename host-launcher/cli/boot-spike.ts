// tsos boot-spike: prove the native hypervisor backend end to end with a micro payload.
import { nativeBackendName, openNativeHypervisor } from "../backends/index.ts";
import { bootSpike, leakProblems, spikePlan } from "../spike/boot-spike.ts";
import { intOption, parseArgs, type VerbSpec } from "./args.ts";

export const bootSpikeSpec: VerbSpec = {
  name: "boot-spike",
  summary: "Print the plan for a minimal VM (memory, one vCPU, a payload that writes hello to COM1 and halts); --execute runs it on the native hypervisor.",
  usage: "tsos boot-spike [--execute] [--repeat N] [--json]",
  options: [
    { name: "execute", help: "run the plan instead of printing it", default: false },
    { name: "repeat", help: "rounds to run; fds and RSS are compared before and after", default: "1" },
    { name: "json", help: "print the report as JSON", default: false },
  ],
};

export async function bootSpikeMain(argv: string[]): Promise<number> {
  const { opts } = parseArgs(bootSpikeSpec, argv);
  const rounds = intOption(opts.repeat!, "repeat", 1, 100_000);
  const backend = nativeBackendName() ?? "none";
  if (!opts.execute) {
    console.log(`boot-spike plan (backend ${backend}; run with --execute):`);
    spikePlan(backend).forEach((s, i) => console.log(`  ${i + 1}. ${s}`));
    return 0;
  }
  const hv = openNativeHypervisor();
  try {
    const r = bootSpike(hv, rounds);
    const leaks = rounds > 1 ? leakProblems(r) : [];
    const ok = r.serial === "hello\n" && r.lastExit === "halt" && leaks.length === 0;
    if (opts.json) console.log(JSON.stringify({ ok, backend, ...r, leaks }));
    else {
      console.log(`boot-spike: ${backend}: serial ${JSON.stringify(r.serial)}, last exit ${r.lastExit}, ${rounds} round(s), ${r.msPerRound.toFixed(2)} ms/round`);
      console.log(`boot-spike: fds ${r.before.fds} -> ${r.after.fds}, RSS ${r.before.rssKiB} -> ${r.after.rssKiB} KiB${leaks.length ? `: LEAK: ${leaks.join("; ")}` : ""}`);
      console.log(ok ? "boot-spike: ok" : "boot-spike: FAILED");
    }
    return ok ? 0 : 1;
  } finally {
    hv.close();
  }
}
