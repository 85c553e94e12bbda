import type { Command } from "./types.ts";

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

const cmd: Command = {
  name: "sleep",
  summary: "sleep: delay for a specified time",
  usage: "Usage: sleep NUMBER[smhd]...\nPauses for the sum of the given times (seconds by default; fractions allowed). Ctrl-C interrupts.",
  async run(ctx) {
    if (!ctx.args.length) {
      await ctx.err("missing operand");
      return 1;
    }
    let total = 0;
    for (const a of ctx.args) {
      const m = /^([0-9]*\.?[0-9]+)([smhd]?)$/.exec(a);
      if (!m) {
        await ctx.err(`invalid time interval '${a}'`);
        return 1;
      }
      total += Number(m[1]) * UNITS[m[2]!]!;
    }
    const ok = await new Promise<boolean>((resolve) => {
      if (ctx.signal.aborted) return resolve(false);
      const t = setTimeout(() => resolve(true), total * 1000);
      ctx.signal.addEventListener("abort", () => (clearTimeout(t), resolve(false)), { once: true });
    });
    return ok ? 0 : 130;
  },
};
export default cmd;
