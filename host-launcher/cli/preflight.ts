// tsos preflight: what this host offers the launcher, one line per check with the action to take.
import { resolve } from "node:path";
import { formatCheck } from "../preflight/check.ts";
import { preflight } from "../preflight/preflight.ts";
import { parseArgs, type VerbSpec } from "./args.ts";

const root = resolve(import.meta.dir, "../..");

export const preflightSpec: VerbSpec = {
  name: "preflight",
  summary: "Check this host for the native launcher (OS, hypervisor device, API, capabilities, measured guest speed) and the built image. Changes nothing.",
  usage: "tsos preflight [--json] [--image DIR]",
  options: [
    { name: "json", help: "print the report as JSON", default: false },
    { name: "image", help: "image directory to verify", default: "build/image" },
    { name: "no-speed", help: "skip the speed probe (it runs a tiny guest for ~0.1 s)", default: false },
  ],
};

export async function preflightMain(argv: string[]): Promise<number> {
  const { opts } = parseArgs(preflightSpec, argv);
  const r = preflight({ imageDir: resolve(root, String(opts.image)), root, speedProbe: opts["no-speed"] !== true });
  const failed = r.checks.some((c) => c.status === "fail");
  if (opts.json) console.log(JSON.stringify(r));
  else {
    const w = Math.max(...r.checks.map((c) => c.name.length));
    for (const c of r.checks) console.log(formatCheck(c, w));
    console.log(`recommended backend: ${r.recommended.backend} (${r.recommended.reason})`);
  }
  return failed ? 1 : 0;
}
