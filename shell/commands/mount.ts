// mount: list mounts (from /proc/mounts) or mount a filesystem through libc's mount(2).
import { printJson } from "./lib.ts";
import { mounts, takeJson } from "./sysinfo.ts";
import type { Command } from "./types.ts";

const FLAGS: Record<string, number> = { ro: 1, nosuid: 2, nodev: 4, noexec: 8, sync: 16, remount: 32, noatime: 1024, nodiratime: 2048, bind: 4096, rbind: 4096 | 16384, relatime: 1 << 21, strictatime: 1 << 24 };

export function parseMountOptions(opts: string): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const o of opts.split(",").filter(Boolean)) {
    if (o === "rw" || o === "defaults") continue;
    const f = FLAGS[o];
    if (f !== undefined) flags |= f;
    else data.push(o);
  }
  return { flags, data: data.join(",") };
}

const cmd: Command = {
  name: "mount",
  summary: "mount: list or mount filesystems",
  usage: "Usage: mount [--json]\n       mount [-t TYPE] [-o OPTIONS] SOURCE TARGET\n       mount --bind DIR TARGET\nWithout arguments lists mounted filesystems. OPTIONS: ro, nosuid, nodev, noexec, remount, bind, noatime, and filesystem data.",
  async run(ctx) {
    const { json, rest } = takeJson(ctx.args);
    let type = "";
    let opts = "";
    const ops: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === "-t") type = rest[++i] ?? "";
      else if (a === "-o") opts += "," + (rest[++i] ?? "");
      else if (a === "--bind" || a === "-B") opts += ",bind";
      else if (a === "-r") opts += ",ro";
      else if (a.startsWith("-")) {
        await ctx.err(`invalid option '${a}'`);
        return 1;
      } else ops.push(a);
    }
    if (!ops.length) {
      const list = mounts().filter((m) => !type || m.fstype === type);
      if (json) return printJson(ctx, list);
      await ctx.out(list.map((m) => `${m.source} on ${m.target} type ${m.fstype} (${m.options})\n`).join(""));
      return 0;
    }
    let [source, target] = ops;
    if (target === undefined) {
      const known = mounts().find((m) => m.target === ctx.resolve(source!) || m.source === source);
      if (!known) {
        await ctx.err(`${source}: not found in /proc/mounts and no target given`);
        return 1;
      }
      target = known.target;
      source = known.source;
      type ||= known.fstype;
    }
    const { flags, data } = parseMountOptions(opts);
    try {
      const { mount } = await import("../../lib/ffi/libc.ts");
      mount(source!, ctx.resolve(target), type || "none", flags, data || undefined);
      return 0;
    } catch (e) {
      await ctx.err((e as Error).message);
      return 32;
    }
  },
};
export default cmd;
