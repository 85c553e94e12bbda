import type { Command } from "./types.ts";

const cmd: Command = {
  name: "umount",
  summary: "umount: unmount filesystems",
  usage: "Usage: umount [-l] TARGET...\nUnmounts each TARGET.\n  -l  lazy: detach now, clean up when no longer busy",
  async run(ctx) {
    const lazy = ctx.args.includes("-l");
    const targets = ctx.args.filter((a) => !a.startsWith("-"));
    if (!targets.length) {
      await ctx.err("missing operand");
      return 1;
    }
    const { umount, MNT_DETACH } = await import("../../lib/ffi/libc.ts");
    let st = 0;
    for (const t of targets) {
      try {
        umount(ctx.resolve(t), lazy ? MNT_DETACH : 0);
      } catch (e) {
        await ctx.err((e as Error).message);
        st = 32;
      }
    }
    return st;
  },
};
export default cmd;
