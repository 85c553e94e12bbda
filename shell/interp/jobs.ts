// The job table: background (`&`) and stopped jobs. A job whose command is one
// external program (or a pipeline ending in one) takes that process's real pid,
// as `$!` in dash. Jobs run in-process (builtins, functions, compound commands,
// subshells: tsh cannot fork) have no process of their own, so each gets a
// synthetic pid above pid_max that `wait`, `kill`, `jobs -p` and `$!` accept;
// the real child pids such a job spawns are kept beside it for signals.
import { signalNumber, signalProcess } from "./external.ts";
import type { ProcessGroup } from "./shell.ts";

export type JobState = "running" | "stopped" | "done";

export interface Job {
  id: number;
  pid: number;
  command: string;
  state: JobState;
  status: number;
  promise: Promise<number>;
  /** Pids of its running child processes. */
  procs: Set<number>;
  /** Its process group under job control. */
  group?: ProcessGroup;
  abort: AbortController;
  /** The fatal signal `kill` sent to an in-process job: its status becomes 128+N, as a killed process's. */
  killedBy?: number;
  /** Whether the interactive shell already reported the job's end. */
  notified: boolean;
  /** Resumes a stopped foreground job (set by the job-control layer). */
  resume?: () => void;
  /** Settles once `pid` is final: the real pid is known, or the job runs in-process. */
  pidKnown: Promise<void>;
  /** Fixes the job's pid (a real one, or undefined to keep the synthetic one); later calls do nothing. */
  settlePid: (pid?: number) => void;
}

// Synthetic pids sit above the kernel's default pid_max (4194304 on 64-bit), so they never collide.
let nextPid = 4_200_000;

export class JobTable {
  jobs: Job[] = [];
  /** Statuses of jobs already waited for, by pid: `wait PID` again reports them, as dash does. */
  reaped = new Map<number, number>();

  create(command: string): Job {
    const id = this.jobs.length ? Math.max(...this.jobs.map((j) => j.id)) + 1 : 1;
    let settled = false;
    let done = () => {};
    const job: Job = {
      id,
      pid: nextPid++,
      command,
      state: "running",
      status: 0,
      promise: Promise.resolve(0),
      procs: new Set(),
      abort: new AbortController(),
      notified: false,
      pidKnown: new Promise<void>((r) => (done = r)),
      settlePid: (pid) => {
        if (settled) return;
        settled = true;
        if (pid !== undefined) job.pid = pid;
        done();
      },
    };
    this.jobs.push(job);
    return job;
  }

  /** `%1`, `%%`, `%+`, `%-`, `%name`, or a pid. */
  find(spec: string): Job | undefined {
    if (spec.startsWith("%")) {
      const s = spec.slice(1);
      if (s === "" || s === "%" || s === "+") return this.current();
      if (s === "-") return this.jobs.at(-2);
      if (/^[0-9]+$/.test(s)) return this.jobs.find((j) => j.id === Number(s));
      return this.jobs.find((j) => j.command.startsWith(s));
    }
    const pid = Number(spec);
    return this.jobs.find((j) => j.pid === pid || j.procs.has(pid) || j.group?.pgid === pid);
  }

  current(): Job | undefined {
    return this.jobs.filter((j) => j.state === "stopped").at(-1) ?? this.jobs.at(-1);
  }

  remove(job: Job): void {
    if (job.state === "done") {
      this.reaped.set(job.pid, job.status);
      // Bounded: a long-running script may start jobs forever; the oldest statuses go first.
      if (this.reaped.size > 1024) this.reaped.delete(this.reaped.keys().next().value!);
    }
    this.jobs = this.jobs.filter((j) => j !== job);
  }

  /** Sends a signal to every process of a job; in-process parts are aborted on fatal signals. */
  signal(job: Job, sig: NodeJS.Signals | number): void {
    if (job.group?.pgid) signalProcess(-job.group.pgid, sig);
    for (const pid of job.procs) signalProcess(pid, sig);
    if (sig !== "SIGCONT" && sig !== "SIGSTOP" && sig !== "SIGTSTP" && sig !== 0 && sig !== 18 && sig !== 19 && sig !== 20) {
      job.killedBy ??= signalNumber(sig);
      job.abort.abort();
    }
  }
}
