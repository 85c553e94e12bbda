// The system half of init: everything after the hello. main.ts loads this
// module only after printing the hello, so the first line does not wait for
// the supervisor, the control agent and their imports to be evaluated.
import { mkdirSync, writeFileSync } from "node:fs";
import { msSinceBoot, reboot, RB } from "../lib/ffi/libc.ts";
import { resolveServices } from "../services/table.ts";
import type { BootFlags } from "./cmdline.ts";
import { loadVmConfig } from "./configdrive.ts";
import type { AgentContext } from "./control/agent.ts";
import { LOCAL_SOCKET, serveUnix, serveVirtioSerial, VIRTIO_PORT_NAME } from "./control/transports.ts";
import { setupEtc } from "./etc.ts";
import { kernelRelease } from "./hello.ts";
import { Logger } from "./log/logger.ts";
import { EARLY_MOUNTS, mountAll } from "./mounts.ts";
import { startReaper } from "./proc/reaper.ts";
import { quiesce, resume } from "./quiesce.ts";
import { replaceService } from "./replace.ts";
import { shutdown } from "./shutdown.ts";
import { Supervisor } from "./supervisor/supervisor.ts";

export const LOG_FILE = "/var/log/tsos.jsonl";

export async function startSystem(helloMs: number, flags: BootFlags): Promise<void> {
  const early: string[] = [];
  mountAll(EARLY_MOUNTS, (m) => early.push(m));
  const log = new Logger({ file: LOG_FILE, console: (l) => console.log(l), mirrorAll: "verbose" in flags.all });
  for (const m of early) log.error("init", m);
  log.info("init", `tsos init up at ${Math.round(helloMs)} ms; kernel ${kernelRelease()}`);

  const cfg = loadVmConfig();
  if (cfg.error) log.error("init", `config ${cfg.source}: ${cfg.error}; booting with defaults`);
  else log.info("init", `config from ${cfg.source}`);
  setupEtc(cfg.config.hostname, (m) => log.error("init", m));
  mkdirSync("/run/tsos", { recursive: true, mode: 0o755 });
  // Host keys travel in vm.json: only root may read the copy services use.
  writeFileSync("/run/tsos/vm.json", JSON.stringify(cfg.config), { mode: 0o600 });

  const supervisor = new Supervisor(resolveServices(cfg.config.enable, cfg.config.disable, cfg.config.services), log);
  const power = (mode: "poweroff" | "reboot", why: string, trace?: string) => void shutdown(mode, supervisor, log, why, trace);

  // Ctrl-Alt-Del arrives as SIGINT once the kernel is told not to reboot by itself.
  reboot(RB.DISABLE_CAD);
  process.on("SIGINT", () => power("reboot", "SIGINT (Ctrl-Alt-Del)"));
  process.on("SIGTERM", () => power("poweroff", "SIGTERM"));
  process.on("SIGUSR2", () => power("poweroff", "SIGUSR2"));
  startReaper();

  const ctx: AgentContext = {
    log,
    supervisor,
    power: (mode, trace) => power(mode, "requested over the control channel", trace),
    quiesce: async () => quiesce(),
    resume: async () => resume(),
    replace: (name, bundle, sha, trace) => replaceService(supervisor, log, name, bundle, sha, trace),
  };
  serveUnix(LOCAL_SOCKET, ctx);
  serveVirtioSerial(VIRTIO_PORT_NAME, ctx, log);

  await supervisor.startAll();
  const states = supervisor.status().map((s) => `${s.name}=${s.state}`).join(" ");
  log.notice("init", `boot complete at ${Math.round(msSinceBoot())} ms; services: ${states || "none"}`);
}
