// A `tsos dev` session on a scratch copy of the guest sources, for the dev-loop
// test and benchmark: start it, edit a service, wait for the reload.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

const root = resolve(import.meta.dir, "../..");
export const tsos = join(root, "host-launcher/bin/tsos");

export class DevSession {
  readonly src = mkdtempSync(join(tmpdir(), "tsos-devsrc-"));
  readonly state = mkdtempSync(join(tmpdir(), "tsos-devstate-"));
  readonly out: string[] = [];
  private proc: Subprocess<"ignore", "pipe", "pipe"> | undefined;
  private waiters: { re: RegExp; from: number; resolve: (l: string) => void }[] = [];

  constructor(readonly name: string, private readonly config: object) {
    for (const d of ["init", "services", "shell", "wm", "lib", "tsconfig.json"]) cpSync(join(root, d), join(this.src, d), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(this.src, "node_modules"));
  }

  get env() {
    return { ...process.env, XDG_STATE_HOME: this.state };
  }

  async start(timeoutMs = 180_000): Promise<void> {
    const cfg = join(this.src, "vm.json");
    writeFileSync(cfg, JSON.stringify(this.config));
    this.proc = Bun.spawn([tsos, "dev", "--src", this.src, "--name", this.name, "--quiet", "--config", cfg], { env: this.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    void this.pump(this.proc.stdout);
    void this.pump(this.proc.stderr);
    await this.waitFor(/hot-reloadable services/, 0, timeoutMs);
  }

  private async pump(s: ReadableStream<Uint8Array>): Promise<void> {
    let partial = "";
    const dec = new TextDecoder();
    for await (const c of s) {
      const lines = (partial + dec.decode(c, { stream: true })).split("\n");
      partial = lines.pop()!;
      for (const l of lines) {
        this.out.push(l);
        for (const w of [...this.waiters]) if (w.re.test(l)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    }
  }

  /** The first output line from index `from` on that matches. */
  waitFor(re: RegExp, from: number, timeoutMs: number): Promise<string> {
    const seen = this.out.slice(from).find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { re, from, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        if (!this.waiters.includes(w)) return;
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no '${re}' from tsos dev within ${timeoutMs} ms:\n${this.out.slice(-20).join("\n")}`));
      }, timeoutMs);
    });
  }

  /** Rewrite a source file; resolves with the host ms from the write to the reload line. */
  async edit(rel: string, change: (text: string) => string, expect = /dev: \S+: (replaced|new code did not)/, timeoutMs = 60_000): Promise<{ ms: number; line: string }> {
    const from = this.out.length;
    const path = join(this.src, rel);
    const t0 = performance.now();
    writeFileSync(path, change(readFileSync(path, "utf8")));
    const line = await this.waitFor(expect, from, timeoutMs);
    return { ms: performance.now() - t0, line };
  }

  ctl(args: string[]) {
    const p = Bun.spawnSync([tsos, "ctl", "--vm", this.name, ...args], { env: this.env });
    return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
  }

  async stop(): Promise<number | null> {
    this.ctl(["shutdown"]);
    const code = await Promise.race([this.proc!.exited, Bun.sleep(30_000).then(() => null)]);
    this.proc!.kill();
    rmSync(this.src, { recursive: true, force: true });
    rmSync(this.state, { recursive: true, force: true });
    return code;
  }
}

/** A second service the edits must leave alone. */
export const DEV_CONFIG = { services: [{ name: "bystander", command: ["/bin/tsbox", "-e", "setInterval(()=>{},1e9)"], env: { BUN_BE_BUN: "1" } }] };

export const markKlogd = (marker: string) => (text: string) => text.replace(/(export async function main\(\): Promise<number> \{\n)/, `$1  console.log(${JSON.stringify(marker)});\n`);
