// tsos://monitor — CPU, memory, network addresses (netd's state file), services
// (init's control socket) and the busiest processes, refreshed every 2 s while open.
import { readFileSync } from "node:fs";
import { report, sample } from "../../../shell/commands/top.ts";
import type { ServiceStatus } from "../../../init/supervisor/service.ts";
import { withInit } from "../../../init/commands/local.ts";
import { ListApp, type Line } from "../listview.ts";

const NETD_STATE = "/run/tsos/netd.json";

export function addressLines(netdJson: string): Line[] {
  try {
    const s = JSON.parse(netdJson) as { interfaces: Record<string, { ipv4?: { address: string; prefix: number }; ipv6?: string[]; carrier?: boolean }> };
    if (Object.keys(s.interfaces).length === 0) return [{ text: "  no network interfaces", tone: "dim" }];
    return Object.entries(s.interfaces).map(([name, i]) => ({
      text: `  ${name.padEnd(8)} ${i.carrier === false ? "no carrier " : ""}${[i.ipv4 ? `${i.ipv4.address}/${i.ipv4.prefix}` : "", ...(i.ipv6 ?? [])].filter(Boolean).join("  ") || "no address"}`,
    }));
  } catch {
    return [{ text: "  (netd has not reported yet)", tone: "dim" }];
  }
}

export class MonitorApp extends ListApp {
  title = "System monitor";
  private last = sample();
  private services: ServiceStatus[] | string = "asking init...";

  constructor() {
    super(2000);
  }

  override refresh(): void {
    void withInit((c) => c.call<{ services: ServiceStatus[] }>("service", { action: "list" }))
      .then((r) => (this.services = r.services))
      .catch((e: Error) => (this.services = e.message))
      .then(() => this.redrawServices());
    super.refresh();
  }

  /** Init's answer arrives after the lines were drawn: draw again without sampling CPU. */
  private redrawServices(): void {
    const services = this.serviceLines();
    const at = this.shown.findIndex((l) => l.text === "Services");
    const end = this.shown.findIndex((l, i) => i > at && l.text === "");
    if (at < 0 || end < 0) return;
    this.shown.splice(at + 1, end - at - 1, ...services);
    this.draw();
  }

  private serviceLines(): Line[] {
    return typeof this.services === "string"
      ? [{ text: `  ${this.services}`, tone: "dim" }]
      : this.services.map((s) => ({ text: `  ${s.name.padEnd(10)} ${s.state.padEnd(9)} pid ${String(s.pid ?? "-").padEnd(6)} restarts ${s.restarts}`, tone: s.state === "failed" ? "accent" : "text" }));
  }

  protected lines(): Line[] {
    const now = sample();
    const r = report(this.last, now);
    this.last = now;
    const mib = (k: number) => `${(k / 1024).toFixed(1)} MiB`;
    let net = "";
    try {
      net = readFileSync(NETD_STATE, "utf8");
    } catch {}
    const services = this.serviceLines();
    return [
      { text: `CPU     user ${r.cpu.user}%  system ${r.cpu.system}%  idle ${r.cpu.idle}%   load ${r.load.join(" ")}`, tone: "accent" },
      { text: `Memory  used ${mib(r.memKiB.used)} of ${mib(r.memKiB.total)}, available ${mib(r.memKiB.available)}, cache ${mib(r.memKiB.buffCache)}`, tone: "accent" },
      { text: `Tasks   ${r.tasks.total} total, ${r.tasks.running} running; up ${Math.floor(r.uptimeSeconds)} s` },
      { text: "" },
      { text: "Network", tone: "accent" },
      ...addressLines(net),
      { text: "" },
      { text: "Services", tone: "accent" },
      ...services,
      { text: "" },
      { text: "  PID  CPU%   RSS     COMMAND", tone: "accent" },
      ...r.processes.slice(0, 30).map((p) => ({ text: `${String(p.pid).padStart(5)} ${p.cpuPercent.toFixed(1).padStart(5)} ${mib(p.rssKiB).padStart(10)} ${p.command.slice(0, 60)}` })),
    ];
  }

  protected override footer(): string {
    return "refreshes every 2 s   arrows/wheel scroll";
  }
}
