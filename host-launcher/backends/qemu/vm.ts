// A QEMU-run guest the tests and tools can talk to while it runs: serial lines
// as they arrive, the control channel, and its exit.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Subprocess } from "bun";
import { connectUnix, type ControlClient } from "../../../lib/control/client.ts";
import { encodeConfigDisk } from "../../../lib/vmconfig/disk.ts";
import type { VmConfig } from "../../../lib/vmconfig/schema.ts";
import { detectAccel } from "./accel.ts";
import { qemuArgs, type QemuGuest } from "./args.ts";
import { Qmp } from "./qmp.ts";

const PANIC = /Kernel panic|Attempted to kill init/;

export interface VmOptions extends Omit<QemuGuest, "serial" | "controlSocket" | "configDisk" | "qmpSocket"> {
  /** vm.json for the config drive; omitted means no drive (guest defaults). */
  config?: Partial<VmConfig> | string;
  withControl?: boolean;
  /** Open a QMP socket (see `qmp()`). */
  withQmp?: boolean;
  logFile?: string;
  /** Keep the VM's files (control.sock, config.img) here instead of a temporary directory. */
  dir?: string;
}

/** The kernel and root image of a built image directory, with the accelerator this host should use. */
export function imageGuest(imageDir: string): Pick<VmOptions, "kernel" | "rootfs" | "accel"> {
  return { kernel: join(imageDir, "bzImage"), rootfs: join(imageDir, "rootfs.erofs"), accel: detectAccel().accel };
}

type Waiter = { re: RegExp; resolve: (l: string) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> };

export class QemuVm {
  readonly lines: string[] = [];
  readonly arrivals: number[] = [];
  panic: string | undefined;
  readonly exited: Promise<number>;
  readonly dir: string;
  private proc: Subprocess<"ignore", "pipe", "pipe">;
  private waiters: Waiter[] = [];
  private t0 = performance.now();
  private stderr = "";

  constructor(readonly opts: VmOptions) {
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), "tsos-vm-"));
    let configDisk: string | undefined;
    if (opts.config !== undefined) {
      configDisk = join(this.dir, "config.img");
      const json = typeof opts.config === "string" ? opts.config : JSON.stringify(opts.config);
      writeFileSync(configDisk, encodeConfigDisk(json));
    }
    const controlSocket = opts.withControl ? join(this.dir, "control.sock") : undefined;
    const qmpSocket = opts.withQmp ? join(this.dir, "qmp.sock") : undefined;
    const argv = qemuArgs({ ...opts, serial: "pipe", configDisk, controlSocket, qmpSocket });
    const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    this.proc = proc;
    if (opts.logFile) mkdirSync(dirname(opts.logFile), { recursive: true });
    const log = opts.logFile ? createWriteStream(opts.logFile) : undefined;
    const pump = this.pump(log);
    const err = new Response(this.proc.stderr).text().then((t) => (this.stderr = t.trim()));
    this.exited = (async () => {
      const code = await proc.exited;
      await Promise.all([pump, err]);
      if (this.stderr) for (const l of this.stderr.split("\n")) this.take(`[qemu] ${l}`);
      await new Promise<void>((r) => (log ? log.end(r) : r()));
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error(`VM exited (${code}) before a line matched ${w.re}; last lines:\n${this.lines.slice(-30).join("\n")}`));
      }
      return code;
    })();
  }

  get controlSocket(): string {
    return join(this.dir, "control.sock");
  }

  private async pump(log?: ReturnType<typeof createWriteStream>): Promise<void> {
    const dec = new TextDecoder();
    let partial = "";
    for await (const chunk of this.proc.stdout) {
      log?.write(chunk);
      const parts = (partial + dec.decode(chunk, { stream: true })).split("\n");
      partial = parts.pop()!;
      for (const p of parts) this.take(p.replace(/\r$/, ""));
    }
    if (partial) this.take(partial);
  }

  private take(line: string): void {
    this.lines.push(line);
    this.arrivals.push(performance.now() - this.t0);
    if (!this.panic && PANIC.test(line)) this.panic = line;
    for (const w of [...this.waiters]) {
      if (w.re.test(line)) {
        clearTimeout(w.timer);
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  }

  /** Resolve with the first serial line (past or future) matching `re`. */
  waitFor(re: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no serial line matched ${re} within ${timeoutMs} ms; last lines:\n${this.lines.slice(-30).join("\n")}`));
      }, timeoutMs);
      this.waiters.push({ re, resolve, reject, timer });
    });
  }

  control(timeoutMs = 10_000): Promise<ControlClient> {
    return connectUnix(this.controlSocket, timeoutMs);
  }

  /** QEMU's machine protocol (needs withQmp). */
  qmp(timeoutMs = 10_000): Promise<Qmp> {
    if (!this.opts.withQmp) throw new Error("this VM was started without withQmp");
    return Qmp.connect(join(this.dir, "qmp.sock"), timeoutMs);
  }

  msSinceSpawn(): number {
    return performance.now() - this.t0;
  }

  kill(): void {
    this.proc.kill("SIGKILL");
  }

  /** Kill if still running and remove the VM's temporary directory. */
  async dispose(): Promise<void> {
    if (this.proc.exitCode === null) this.kill();
    await this.exited.catch(() => {});
    if (!this.opts.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
