// The service table at run time: start in dependency order (independent
// services in parallel), stop in reverse, and the operator's start/stop/restart.
import type { ServiceSpec } from "../../lib/vmconfig/schema.ts";
import type { Logger } from "../log/logger.ts";
import { checkGraph, startWaves } from "./order.ts";
import type { RestartPolicy } from "./policy.ts";
import { Service, type ServiceStatus } from "./service.ts";

export class Supervisor {
  readonly services = new Map<string, Service>();

  constructor(specs: ServiceSpec[], private readonly log: Logger, policy?: RestartPolicy, readyTimeoutMs?: number) {
    const problems = checkGraph(specs.map((s) => ({ name: s.name, after: s.after ?? [] })));
    for (const p of problems) log.error("init", `service table: ${p}`);
    const bad = new Set(problems.map((p) => p.split(":")[0]));
    for (const s of specs) {
      if (bad.has(s.name) || problems.some((p) => p.startsWith("dependency cycle") && p.includes(s.name))) continue;
      this.services.set(s.name, new Service(s, log, policy, readyTimeoutMs));
    }
  }

  get(name: string): Service | undefined {
    return this.services.get(name);
  }

  status(): ServiceStatus[] {
    return [...this.services.values()].map((s) => s.status());
  }

  /** Start everything: each service as soon as all it depends on is ready. */
  async startAll(trace?: string): Promise<void> {
    const started = new Map<string, Promise<boolean>>();
    const startOne = (svc: Service): Promise<boolean> => {
      let p = started.get(svc.name);
      if (p) return p;
      p = (async () => {
        const deps = await Promise.all((svc.spec.after ?? []).map((d) => startOne(this.services.get(d)!)));
        if (!deps.every(Boolean)) {
          svc.state = "failed";
          svc.error = `not started: a dependency (${svc.spec.after!.join(", ")}) is not ready`;
          this.log.error(svc.name, svc.error, trace);
          return false;
        }
        return svc.start(trace);
      })();
      started.set(svc.name, p);
      return p;
    };
    await Promise.all([...this.services.values()].map(startOne));
  }

  /** Stop in reverse dependency order; services of one wave stop in parallel. */
  async stopAll(graceMs: number, trace?: string): Promise<void> {
    const waves = startWaves([...this.services.values()].map((s) => ({ name: s.name, after: s.spec.after ?? [] })));
    for (const wave of waves.reverse()) {
      await Promise.all(wave.map((n) => this.services.get(n)!.stop(graceMs, trace)));
    }
  }

  async restart(name: string, trace?: string): Promise<boolean> {
    const svc = this.mustGet(name);
    await svc.stop(5000, trace);
    svc.resetFailures();
    return svc.start(trace);
  }

  mustGet(name: string): Service {
    const s = this.services.get(name);
    if (!s) throw new Error(`no service named '${name}' (known: ${[...this.services.keys()].join(", ") || "none"})`);
    return s;
  }
}
