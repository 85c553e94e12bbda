// kill: send signals to processes and tsh jobs (%N). In-process jobs are stopped through their abort signal.
import { SIGNALS, signalName } from "../interp/traps.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "kill",
  summary: "kill: send a signal to processes or jobs",
  usage: "Usage: kill [-s SIGNAL | -SIGNAL] PID|%JOB...\n       kill -l [STATUS]\nSends SIGNAL (default TERM) to each PID or job.",
  async run(ctx) {
    const args = ctx.args.slice();
    let sig = "TERM";
    if (args[0] === "-l" || args[0] === "-L") {
      const n = args[1];
      if (n !== undefined) {
        const num = Number(n) > 128 ? Number(n) - 128 : Number(n);
        const name = signalName(String(num));
        if (!name) {
          await ctx.err(`${n}: invalid signal specification`);
          return 1;
        }
        await ctx.out(name + "\n");
        return 0;
      }
      await ctx.out(Object.keys(SIGNALS).join(" ") + "\n");
      return 0;
    }
    if (args[0] === "-s" || args[0] === "-n") {
      args.shift();
      sig = args.shift() ?? "";
    } else if (args[0]?.startsWith("-") && args[0] !== "--" && !/^-[0-9]+$/.test(args[0]) || /^-[0-9]+$/.test(args[0] ?? "") && args.length > 1) {
      sig = args.shift()!.slice(1);
    }
    if (args[0] === "--") args.shift();
    const name = signalName(sig);
    // Signal 0 only checks that the process exists (`kill -0 PID`).
    const probe = sig === "0";
    if (!name || (name === "EXIT" && !probe)) {
      await ctx.err(`${sig}: invalid signal specification`);
      return 1;
    }
    if (!args.length) {
      await ctx.stderr.write("kill: usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
      return 2;
    }
    const signum = probe ? 0 : SIGNALS[name]!;
    let st = 0;
    for (const a of args) {
      const job = ctx.sh.jobs.find(a);
      if (job) {
        ctx.sh.jobs.signal(job, signum);
        if (name === "STOP" || name === "TSTP") job.state = "stopped";
        if (name === "CONT") job.state = "running";
        continue;
      }
      if (!/^-?[0-9]+$/.test(a)) {
        await ctx.err(`${a}: arguments must be process or job IDs`);
        st = 1;
        continue;
      }
      try {
        process.kill(Number(a), signum);
        // A signal to ourselves is handled on a later tick: wait for it so a trap runs before the next command, as in dash.
        if (Number(a) === process.pid) await Bun.sleep(20);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        await ctx.err(`(${a}) - ${code === "ESRCH" ? "No such process" : code === "EPERM" ? "Operation not permitted" : (e as Error).message}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
