// The developer loop: a source change -> rebuild the affected services' bundles
// -> `service replace` in the running guest -> print the result and the
// service's first log lines. Type diagnostics follow from a worker, never first.
import { relative, sep } from "node:path";
import type { ControlClient } from "../../lib/control/client.ts";
import { formatText, type LogEntry } from "../../lib/log/entry.ts";
import { bundleService, serviceEntry } from "./bundle.ts";
import type { Diagnostic } from "./diagnostics.ts";

export interface ReplaceReport {
  service: string;
  ready: boolean;
  rolledBack: boolean;
  pid: number | null;
  ms: number;
}

export interface DevEvents {
  print(line: string): void;
  replaced?(r: ReplaceReport & { totalMs: number }): void;
}

/** Which services a changed file affects: its own service, or all for shared code. */
export function affectedServices(src: string, file: string, running: string[]): { services: string[]; note?: string } {
  const rel = relative(src, file).split(sep);
  if (rel[0] === "services" && rel.length > 2) return { services: running.includes(rel[1]!) ? [rel[1]!] : [], note: running.includes(rel[1]!) ? undefined : `${rel[1]} is not running in the guest` };
  if (rel[0] === "shell") return { services: [], note: "shell/ is not a running service; 'make image' picks it up" };
  // wm embeds its font as a file asset, which a one-file `service replace` bundle cannot carry yet.
  if (rel[0] === "wm") return { services: [], note: "wm/ is not hot-replaced yet; 'make image' picks it up" };
  if (rel[0] === "init") return { services: running, note: "init is PID 1 and is not replaced live; services importing the change are" };
  return { services: running };
}

export class DevLoop {
  private deployed = new Map<string, string>();
  private busy: Promise<void> = Promise.resolve();
  private checker: Worker | undefined;

  /**
   * `connect` opens a fresh control connection; the loop holds one only while it
   * works, because QEMU's socket serves one client at a time and `tsos ctl`
   * should work beside `tsos dev`.
   */
  constructor(
    private readonly src: string,
    private readonly connect: () => Promise<ControlClient>,
    private readonly ev: DevEvents,
  ) {}

  private async withCtl<T>(fn: (c: ControlClient) => Promise<T>): Promise<T> {
    const c = await this.connect();
    try {
      return await fn(c);
    } finally {
      c.close();
    }
  }

  /** Services in the guest that this checkout can rebuild. */
  private async reloadable(ctl: ControlClient): Promise<string[]> {
    const st = await ctl.call<{ services: { name: string }[] }>("service", { action: "list" });
    return st.services.map((s) => s.name).filter((n) => serviceEntry(this.src, n));
  }

  /** Record what the guest runs now, so the first edit sends only what changed. */
  async baseline(): Promise<string[]> {
    const names = await this.withCtl((c) => this.reloadable(c));
    for (const n of names) this.deployed.set(n, (await bundleService(this.src, n)).sha256);
    return names;
  }

  startDiagnostics(): void {
    this.checker = new Worker(new URL("./diagnostics-worker.ts", import.meta.url).href);
    this.checker.postMessage({ root: this.src });
    this.checker.onmessage = (e: MessageEvent<{ diagnostics: Diagnostic[]; ms: number; files: string[] }>) => {
      const d = e.data.diagnostics;
      if (!d.length) this.ev.print(`types: ok (${e.data.files.length} file(s), ${e.data.ms} ms)`);
      for (const x of d) this.ev.print(`types: ${x.file}:${x.line}:${x.col}: ${x.message}`);
    };
  }

  stop(): void {
    this.checker?.terminate();
  }

  /** Handle a batch of changed files; serialised so replaces never overlap. */
  changed(files: string[], t0 = performance.now()): Promise<void> {
    this.busy = this.busy.then(() => this.withCtl((c) => this.apply(c, files, t0))).catch((e) => this.ev.print(`dev: ${(e as Error).message}`));
    return this.busy;
  }

  private async apply(ctl: ControlClient, files: string[], t0: number): Promise<void> {
    const running = await this.reloadable(ctl);
    const targets = new Set<string>();
    for (const f of files) {
      const a = affectedServices(this.src, f, running);
      if (a.note) this.ev.print(`dev: ${relative(this.src, f)}: ${a.note}`);
      for (const s of a.services) targets.add(s);
    }
    for (const name of targets) {
      let b;
      try {
        b = await bundleService(this.src, name);
      } catch (e) {
        this.ev.print(`dev: ${(e as Error).message}`);
        continue;
      }
      if (this.deployed.get(name) === b.sha256) continue;
      const since = Date.now();
      const r = await ctl.call<ReplaceReport>("service", { action: "replace", name, bundle: Buffer.from(b.code).toString("base64"), sha256: b.sha256 });
      const totalMs = Math.round(performance.now() - t0);
      if (!r.rolledBack) this.deployed.set(name, b.sha256);
      this.ev.print(
        r.rolledBack
          ? `dev: ${name}: new code did not become ready; guest rolled back (${totalMs} ms)`
          : `dev: ${name}: replaced, pid ${r.pid}, ready in ${r.ms} ms in the guest, ${totalMs} ms from edit (bundle ${b.ms} ms, ${(b.code.length / 1024).toFixed(0)} KiB)`,
      );
      this.ev.replaced?.({ ...r, totalMs });
      await Bun.sleep(300);
      const logs = await ctl.call<{ entries: LogEntry[] }>("logs", { service: name, limit: 50 });
      for (const e of logs.entries.filter((x) => x.t >= since - 1000).slice(0, 8)) this.ev.print(`  ${formatText(e)}`);
    }
    this.checker?.postMessage({ files });
  }
}
