// One supervised service: start, readiness, output to the log, restart with
// backoff, crash-loop detection, stop with a grace period.
import type { Subprocess } from "bun";
import { closeSync, existsSync, openSync, rmSync } from "node:fs";
import type { ServiceSpec } from "../../lib/vmconfig/schema.ts";
import type { Logger } from "../log/logger.ts";
import { spawnTracked } from "../proc/spawn.ts";
import { backoffDelay, DEFAULT_POLICY, isCrashLoop, shouldRestart, type RestartPolicy } from "./policy.ts";
import { waitReady } from "./readiness.ts";
import { lookupUser } from "./users.ts";

export type State = "stopped" | "starting" | "running" | "backoff" | "failed" | "stopping";

export interface ServiceStatus {
  name: string;
  state: State;
  ready: boolean;
  pid: number | null;
  restarts: number;
  lastExit: { code: number | null; signal: string | null; at: number } | null;
  code: string;
  error?: string;
}

/** Where a service's code comes from: the image's tsbox, or a hot-replaced bundle. */
export interface CodeSource {
  command: string[];
  env: Record<string, string>;
  label: string;
}

export class Service {
  state: State = "stopped";
  ready = false;
  restarts = 0;
  lastExit: ServiceStatus["lastExit"] = null;
  error: string | undefined;
  code: CodeSource;
  private proc: Subprocess<any, any, any> | undefined;
  private failures: number[] = [];
  private consecutive = 0;
  private stopping = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readyWaiters: ((ok: boolean) => void)[] = [];

  constructor(
    readonly spec: ServiceSpec,
    private readonly log: Logger,
    private readonly policy: RestartPolicy = DEFAULT_POLICY,
    readonly readyTimeoutMs = 10_000,
  ) {
    this.code = { command: spec.command, env: {}, label: "image" };
  }

  get name(): string {
    return this.spec.name;
  }

  status(): ServiceStatus {
    return { name: this.name, state: this.state, ready: this.ready, pid: this.proc?.pid ?? null, restarts: this.restarts, lastExit: this.lastExit, code: this.code.label, ...(this.error ? { error: this.error } : {}) };
  }

  /** Start (or restart after failure). Resolves true once ready, false if it failed to become ready. */
  start(trace?: string): Promise<boolean> {
    if (this.state === "running" || this.state === "starting") return this.whenReady();
    const needs = this.spec.condition?.pathExists;
    if (needs && !existsSync(needs)) {
      this.state = "stopped";
      this.log.info(this.name, `not started: ${needs} absent`, trace);
      return Promise.resolve(false);
    }
    clearTimeout(this.retryTimer);
    this.stopping = false;
    this.error = undefined;
    this.spawn(trace);
    return this.whenReady();
  }

  whenReady(): Promise<boolean> {
    if (this.state === "running" && this.ready) return Promise.resolve(true);
    if (this.state === "failed" || this.state === "stopped") return Promise.resolve(false);
    return new Promise((r) => this.readyWaiters.push(r));
  }

  private settleReady(ok: boolean): void {
    const w = this.readyWaiters;
    this.readyWaiters = [];
    for (const r of w) r(ok);
  }

  private spawn(trace?: string): void {
    this.state = "starting";
    this.ready = false;
    let user;
    try {
      user = lookupUser(this.spec.user ?? "root");
    } catch (e) {
      return this.fail((e as Error).message, trace);
    }
    // A ready file left by the previous run would make this one look ready at once.
    if (this.spec.ready?.file) rmSync(this.spec.ready.file, { force: true });
    let proc: Subprocess<any, any, any>;
    let tty: number | undefined;
    try {
      if (this.spec.terminal) tty = openSync(this.spec.terminal, "r+");
      proc = spawnTracked(this.code.command, {
        env: { PATH: "/bin:/sbin:/usr/bin:/usr/sbin", HOME: user.home, USER: user.name, TSOS_SERVICE: this.name, ...this.spec.env, ...this.code.env },
        stdin: tty ?? "ignore",
        stdout: tty ?? "pipe",
        stderr: tty ?? "pipe",
        // Only switch identity when it differs: a non-root test host cannot setuid(0).
        ...(user.uid !== process.getuid?.() ? { uid: user.uid, gid: user.gid } : {}),
      });
    } catch (e) {
      return this.fail(`cannot start ${this.code.command[0]}: ${(e as Error).message}`, trace);
    } finally {
      if (tty !== undefined) closeSync(tty); // the child has its own copies
    }
    this.proc = proc;
    const startedAt = Date.now();
    this.log.notice(this.name, `started pid ${proc.pid} (${this.code.label})`, trace);
    if (!this.spec.terminal) {
      void this.pump(proc.stdout as ReadableStream<Uint8Array>, "info");
      void this.pump(proc.stderr as ReadableStream<Uint8Array>, "warn");
    }
    void waitReady(this.spec.ready, this.readyTimeoutMs, proc.exited).then((ok) => {
      if (this.proc !== proc) return;
      if (ok) {
        this.state = "running";
        this.ready = true;
        this.log.info(this.name, "ready", trace);
        this.settleReady(true);
      } else if (proc.exitCode === null && !this.stopping) {
        this.log.error(this.name, `not ready after ${this.readyTimeoutMs} ms`, trace);
        this.settleReady(false);
      }
    });
    void proc.exited.then(() => this.onExit(proc, startedAt, trace));
  }

  private async pump(stream: ReadableStream<Uint8Array>, level: "info" | "warn"): Promise<void> {
    const dec = new TextDecoder();
    let partial = "";
    try {
      for await (const chunk of stream) {
        const lines = (partial + dec.decode(chunk, { stream: true })).split("\n");
        partial = lines.pop()!;
        for (const l of lines) if (l) this.log.log(level, this.name, l);
      }
    } catch {
      // stream closed under us on kill
    }
    if (partial) this.log.log(level, this.name, partial);
  }

  private onExit(proc: Subprocess<any, any, any>, startedAt: number, trace?: string): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    const code = proc.exitCode;
    const signal = proc.signalCode ? String(proc.signalCode) : null;
    this.lastExit = { code, signal, at: Date.now() };
    const wasStopping = this.stopping;
    this.ready = false;
    const how = signal ? `killed by ${signal}` : `exited with ${code}`;
    if (wasStopping) {
      this.state = "stopped";
      this.log.notice(this.name, `stopped (${how})`, trace);
      this.settleReady(false);
      return;
    }
    const mode = this.spec.restart ?? "on-failure";
    if (!shouldRestart(mode, code, false)) {
      this.state = code === 0 ? "stopped" : "failed";
      if (code !== 0) this.error = how;
      this.log.log(code === 0 ? "info" : "error", this.name, `${how}; restart policy ${mode}: not restarting`, trace, true);
      this.settleReady(false);
      return;
    }
    const now = Date.now();
    this.failures.push(now);
    this.failures = this.failures.filter((t) => now - t <= this.policy.windowMs);
    // A run that lasted longer than the window resets the backoff.
    this.consecutive = now - startedAt > this.policy.windowMs ? 1 : this.consecutive + 1;
    if (isCrashLoop(this.policy, this.failures, now)) {
      this.state = "failed";
      this.error = `crash loop: ${this.failures.length} exits within ${this.policy.windowMs / 1000} s (last: ${how})`;
      this.log.error(this.name, `${this.error}; marked failed, not restarting`, trace);
      this.settleReady(false);
      return;
    }
    const delay = backoffDelay(this.policy, this.consecutive);
    this.state = "backoff";
    this.log.warn(this.name, `${how}; restarting in ${delay} ms (restart ${this.restarts + 1})`, trace);
    this.retryTimer = setTimeout(() => {
      if (this.state !== "backoff") return;
      this.restarts++;
      this.spawn(trace);
    }, delay);
  }

  private fail(message: string, trace?: string): void {
    this.state = "failed";
    this.error = message;
    this.log.error(this.name, message, trace);
    this.settleReady(false);
  }

  /** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves when the process is gone. */
  async stop(graceMs = 5000, trace?: string): Promise<void> {
    clearTimeout(this.retryTimer);
    this.stopping = true;
    const proc = this.proc;
    if (!proc) {
      if (this.state === "backoff" || this.state === "starting") this.state = "stopped";
      return;
    }
    this.state = "stopping";
    proc.kill("SIGTERM");
    const killed = await Promise.race([proc.exited.then(() => false), Bun.sleep(graceMs).then(() => true)]);
    if (killed) {
      this.log.warn(this.name, `did not stop within ${graceMs} ms; SIGKILL`, trace);
      proc.kill("SIGKILL");
      await proc.exited;
    }
    // onExit runs from the same promise; give it its turn so the state settles.
    await Bun.sleep(0);
  }

  /** Reset crash-loop bookkeeping (an explicit start by the operator). */
  resetFailures(): void {
    this.failures = [];
    this.consecutive = 0;
  }
}
