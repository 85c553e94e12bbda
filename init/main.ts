// init: PID 1 of the tsos guest. It must never exit (that panics the kernel),
// so every failure is logged and init keeps running.
import { readFileSync } from "node:fs";
import { getpid, msSinceBoot } from "../lib/ffi/libc.ts";
import { collectBootStats } from "./bootstats.ts";
import { parseCmdline } from "./cmdline.ts";
import { helloLine, kernelRelease } from "./hello.ts";
import { powerOff } from "./power.ts";

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
  const { startSystem } = await import("./system.ts");
  await startSystem(helloMs, flags);
  // Stay alive: PID 1 exiting is a kernel panic. The servers and timers keep the loop busy.
  setInterval(() => {}, 1 << 30);
}
