// service [list] | start|stop|restart NAME [--json]: the supervisor, from a shell.
import type { ServiceStatus } from "../supervisor/service.ts";
import { runCommand, withInit } from "./local.ts";

const USAGE = "usage: service [list] [--json]\n       service start|stop|restart NAME [--json]";

export function formatServices(list: ServiceStatus[]): string {
  const rows = list.map((s) => [s.name, s.state + (s.ready ? "" : s.state === "running" ? " (not ready)" : ""), s.pid === null ? "-" : String(s.pid), String(s.restarts), s.code, s.error ?? ""]);
  const head = ["NAME", "STATE", "PID", "RESTARTS", "CODE", "ERROR"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i]!)).join("  ").trimEnd()).join("\n");
}

export function main(args: string[]): Promise<number> {
  return runCommand("service", async () => {
    const json = args.includes("--json");
    const rest = args.filter((a) => a !== "--json");
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(USAGE);
      return 0;
    }
    const [action = "list", name] = rest;
    if (action === "list") {
      const r = await withInit((c) => c.call<{ services: ServiceStatus[] }>("service", { action: "list" }));
      console.log(json ? JSON.stringify(r.services) : formatServices(r.services));
      return 0;
    }
    if (!["start", "stop", "restart"].includes(action) || !name) {
      console.error(USAGE);
      return 2;
    }
    const st = await withInit((c) => c.call<ServiceStatus & { ready?: boolean }>("service", { action, name }));
    console.log(json ? JSON.stringify(st) : formatServices([st]));
    return action !== "stop" && st.state !== "running" ? 1 : 0;
  });
}
