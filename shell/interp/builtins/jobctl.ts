// Job builtins: jobs, fg, bg, wait.
import type { Ctx } from "../../commands/types.ts";
import type { Job } from "../jobs.ts";
import { builtin } from "./def.ts";
import { tcsetpgrp } from "../../../lib/ffi/libc.ts";

function pick(ctx: Ctx): Job | undefined {
  const spec = ctx.args[0];
  return spec === undefined ? ctx.sh.jobs.current() : ctx.sh.jobs.find(spec);
}

function stateText(j: Job): string {
  if (j.state === "done") return j.status === 0 ? "Done" : `Done(${j.status})`;
  return j.state === "stopped" ? "Stopped" : "Running";
}

export function jobLine(ctx: { sh: Ctx["sh"] }, j: Job): string {
  const cur = ctx.sh.jobs.current() === j ? "+" : ctx.sh.jobs.jobs.at(-2) === j ? "-" : " ";
  return `[${j.id}]${cur}  ${stateText(j).padEnd(22)}${j.command}\n`;
}

const jobsCmd = builtin("jobs", "jobs [-l|-p]\nLists background and stopped jobs.", async (ctx) => {
  const pidsOnly = ctx.args.includes("-p");
  const long = ctx.args.includes("-l");
  for (const j of ctx.sh.jobs.jobs) {
    if (pidsOnly) await ctx.out(`${j.pid}\n`);
    else await ctx.out(long ? jobLine(ctx, j).replace("  ", `  ${j.pid} `) : jobLine(ctx, j));
  }
  for (const j of ctx.sh.jobs.jobs.filter((x) => x.state === "done")) ctx.sh.jobs.remove(j);
  return 0;
});

/** Waits for a job in the foreground (it gets the terminal); Ctrl-Z leaves it stopped again. */
export async function foreground(ctx: Ctx, job: Job): Promise<number> {
  const sh = ctx.sh;
  const jc = sh.jobControl;
  const stopped = new Promise<"stopped">((r) => {
    job.resume = () => r("stopped");
    if (job.group) job.group.onStop = () => r("stopped");
  });
  if (jc && job.group?.pgid) tcsetpgrp(jc.ttyFd, job.group.pgid);
  if (job.state === "stopped") {
    sh.jobs.signal(job, "SIGCONT");
    job.state = "running";
  }
  sh.foregroundJob = job;
  try {
    const r = await Promise.race([job.promise, stopped]);
    if (r === "stopped") {
      job.state = "stopped";
      await ctx.err(`\n[${job.id}]+  Stopped                 ${job.command}`);
      return 148;
    }
    sh.jobs.remove(job);
    return r;
  } finally {
    if (jc) tcsetpgrp(jc.ttyFd, jc.shellPgid);
    if (job.group) job.group.onStop = () => (job.state = "stopped");
    sh.foregroundJob = null;
    job.resume = undefined;
  }
}

const fgCmd = builtin("fg", "fg [%JOB]\nBrings a job to the foreground.", async (ctx) => {
  const job = pick(ctx);
  if (!job) {
    await ctx.err(`${ctx.args[0] ?? "current"}: no such job`);
    return 1;
  }
  await ctx.out(job.command + "\n");
  return foreground(ctx, job);
});

const bgCmd = builtin("bg", "bg [%JOB]\nResumes a stopped job in the background.", async (ctx) => {
  const job = pick(ctx);
  if (!job) {
    await ctx.err(`${ctx.args[0] ?? "current"}: no such job`);
    return 1;
  }
  if (job.state === "stopped") {
    ctx.sh.jobs.signal(job, "SIGCONT");
    job.state = "running";
  }
  await ctx.out(`[${job.id}] ${job.command} &\n`);
  return 0;
});

const waitCmd = builtin("wait", "wait [PID|%JOB...]\nWaits for background jobs; the status is that of the last one named.", async (ctx) => {
  const sh = ctx.sh;
  if (!ctx.args.length) {
    for (const j of [...sh.jobs.jobs]) {
      if (j.state !== "stopped") await Promise.race([j.promise, abortPromise(ctx.signal)]);
      if (ctx.signal.aborted) return 130;
      if (j.state === "done") sh.jobs.remove(j);
    }
    return 0;
  }
  let st = 0;
  for (const a of ctx.args) {
    const j = sh.jobs.find(a);
    if (!j) {
      st = sh.jobs.reaped.get(Number(a)) ?? 127;
      continue;
    }
    st = await Promise.race([j.promise, abortPromise(ctx.signal).then(() => 130)]);
    if (j.state === "done") sh.jobs.remove(j);
  }
  return st;
});

function abortPromise(signal: AbortSignal): Promise<number> {
  return new Promise((r) => {
    if (signal.aborted) r(130);
    signal.addEventListener("abort", () => r(130), { once: true });
  });
}

export const jobBuiltins = [jobsCmd, fgCmd, bgCmd, waitCmd];
