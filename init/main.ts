// init: PID 1 of the tsos guest. It must never exit (that panics the kernel),
// so every failure is logged and init keeps running.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { getpid, msSinceBoot, reboot, RB } from "../lib/ffi/libc.ts";
import { resolveServices } from "../services/table.ts";
import { collectBootStats } from "./bootstats.ts";
import { parseCmdline } from "./cmdline.ts";
import { loadVmConfig } from "./configdrive.ts";
import type { AgentContext } from "./control/agent.ts";
import { LOCAL_SOCKET, serveUnix, serveVirtioSerial, VIRTIO_PORT_NAME } from "./control/transports.ts";
import { setupEtc } from "./etc.ts";
import { helloLine, kernelRelease } from "./hello.ts";
import { Logger } from "./log/logger.ts";
import { EARLY_MOUNTS, mountAll } from "./mounts.ts";
import { powerOff } from "./power.ts";
import { startReaper } from "./proc/reaper.ts";
import { quiesce, resume } from "./quiesce.ts";
import { replaceService } from "./replace.ts";
import { shutdown } from "./shutdown.ts";
import { Supervisor } from "./supervisor/supervisor.ts";

export const LOG_FILE = "/var/log/tsos.jsonl";

function readCmdline(): string {
  try {
    return readFileSync("/proc/cmdline", "utf8");
  } catch {
    return "";
  }
}

export async function main(): Promise<number | void> {
  const pid = getpid();
  process.on("uncaughtException", (e) => console.error(`tsos: init: uncaught: ${e?.stack ?? e}`));
  process.on("unhandledRejection", (e) => console.error(`tsos: init: unhandled rejection: ${e}`));
  const helloMs = msSinceBoot();
  console.log(helloLine(pid, kernelRelease(), helloMs));
  if (pid !== 1) {
    console.error("tsos: init: not PID 1, so not managing this system; exiting");
    return 0;
  }
  const flags = parseCmdline(readCmdline());
  if (flags.test === "poweroff") {
    console.log(`tsos: boot-stats ${JSON.stringify(collectBootStats(helloMs))}`);
    console.log("tsos: init: tsos.test=poweroff: powering off");
    powerOff();
  }

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
  // Stay alive: PID 1 exiting is a kernel panic. The servers and timers above keep the loop busy.
  setInterval(() => {}, 1 << 30);
}
