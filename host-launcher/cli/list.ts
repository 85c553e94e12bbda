// tsos list: the VMs running on this host.
import { listVms } from "../vm/registry.ts";
import { parseArgs, type VerbSpec } from "./args.ts";

export const listSpec: VerbSpec = {
  name: "list",
  summary: "List running VMs.",
  usage: "tsos list [--json]",
  options: [{ name: "json", help: "print as JSON", default: false }],
};

export async function listMain(argv: string[]): Promise<number> {
  const { opts } = parseArgs(listSpec, argv);
  const vms = listVms();
  if (opts.json) console.log(JSON.stringify(vms));
  else if (!vms.length) console.log("no VMs running");
  else for (const v of vms) console.log(`${v.name}\t${v.backend}\tpid ${v.pid}\tsince ${v.startedAt}`);
  return 0;
}
