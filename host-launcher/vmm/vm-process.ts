// One VM per process: boot a Linux guest on the native backend with its serial
// console on this process's stdio, and exit when the guest stops. A vCPU thread
// blocked in KVM_RUN cannot be joined, so ending the process is the teardown that
// always works; `tsos run --backend kvm` starts one of these per boot.
// Exit codes: 0 power-off, 3 reboot requested, 1 crash or error, 124 timeout.
import { appendFileSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { startDisplay, type Display } from "../display/start.ts";
import { LinuxVm, type DiskSpec } from "./linux-vm.ts";

export const EXIT_REBOOT = 3;
export const EXIT_TIMEOUT = 124;
const CTRL_A = 0x01;

export interface VmProcessConfig {
  kernel: string;
  initrd?: string;
  disks: DiskSpec[];
  memoryMiB: number;
  cpus: number;
  cmdline: string[];
  emulatedKvm: boolean;
  net?: { forwards: { host: number; guest: number }[] };
  controlSocket?: string;
  /** virtio-vsock with its Firecracker-style host socket ("CONNECT <port>\n"). */
  vsock?: { guestCid: number; socket: string };
  /** Serial console to this terminal (raw mode, Ctrl-A X quits) or only to serialLog. */
  interactive: boolean;
  serialLog?: string;
  timeoutS?: number;
  /**
   * The guest's screen served by the display broker in this process, where the framebuffer
   * mapping is (the vCPU workers share the process; the launcher above it has no guest memory).
   * The VNC password comes from a 0600 file, never from this JSON (it is on the command line).
   */
  display?: { width: number; height: number; passwordFile: string; vncPort?: number; web?: boolean };
}

/** The broker over the VM's own framebuffer mapping, its addresses announced on stderr. */
function serveScreen(vm: LinuxVm, d: NonNullable<VmProcessConfig["display"]>): Display {
  const password = readFileSync(d.passwordFile, "utf8").trim();
  const display = startDisplay({ framebuffer: vm.screen!.framebuffer, input: vm.screen!, password, ...(d.vncPort ? { vncPort: d.vncPort } : {}), web: d.web === true, name: "tsos", log: (l) => console.error(`tsos-vm: display: ${l}`) });
  console.error(`tsos: desktop: VNC on ${display.vncAddress}; password in ${d.passwordFile}`);
  if (display.webUrl) console.error(`tsos: desktop: web viewer ${display.webUrl}`);
  return display;
}

/**
 * Every boot ends in a reset (reboot=t, no ACPI): init says before it whether it meant
 * power-off or reboot, and a kernel panic (panic=-1) resets too — that is a crash, not a reboot.
 */
export function stopKind(tail: string, kind: string): "poweroff" | "reboot" | "crash" {
  if (/Kernel panic - not syncing/.test(tail)) return "crash";
  if (/tsos: init: powering off|reboot: Power down/.test(tail)) return "poweroff";
  return kind === "poweroff" ? "poweroff" : "reboot";
}

export async function runVmProcess(cfg: VmProcessConfig): Promise<number> {
  let tail = "";
  if (cfg.serialLog) writeFileSync(cfg.serialLog, "", { mode: 0o600 });
  const t0 = performance.now();
  const vm = await LinuxVm.start({
    ...(cfg.net ? { net: cfg.net } : {}),
    ...(cfg.controlSocket ? { controlSocket: cfg.controlSocket } : {}),
    ...(cfg.vsock ? { vsock: cfg.vsock } : {}),
    kernel: new Uint8Array(readFileSync(cfg.kernel)),
    ...(cfg.initrd ? { initrd: new Uint8Array(readFileSync(cfg.initrd)) } : {}),
    memoryMiB: cfg.memoryMiB,
    cpus: cfg.cpus,
    disks: cfg.disks,
    rng: true,
    cmdline: cfg.cmdline,
    emulatedKvm: cfg.emulatedKvm,
    ...(cfg.display ? { display: { width: cfg.display.width, height: cfg.display.height } } : {}),
    console: (bytes) => {
      // Synchronous: the event loop is busy with vCPU exits, and buffered output would arrive in bursts.
      writeSync(1, bytes);
      if (cfg.serialLog) appendFileSync(cfg.serialLog, bytes);
      tail = (tail + Buffer.from(bytes).toString("latin1")).slice(-4096);
    },
  });
  console.error(`tsos-vm: ${vm.boot.kernel.format} entry 0x${vm.boot.kernel.entry.toString(16)}, ${cfg.cpus} vCPU(s), ${cfg.memoryMiB} MiB; cmdline: ${vm.cmdline}`);
  let display: Display | undefined;
  try {
    display = cfg.display ? serveScreen(vm, cfg.display) : undefined;
  } catch (e) {
    // A taken port or an unreadable password file: one line, and no VM left running without its screen.
    console.error(`tsos-vm: display: ${(e as Error).message}`);
    vm.close();
    return 1;
  }
  const stdin = process.stdin;
  let quit: (() => void) | undefined;
  const quitRequested = new Promise<void>((r) => (quit = r));
  if (cfg.interactive && stdin.isTTY) {
    stdin.setRawMode(true);
    let sawCtrlA = false;
    stdin.on("data", (chunk: Buffer) => {
      for (const b of chunk) {
        if (sawCtrlA && (b === 0x78 || b === 0x58)) return quit!();
        sawCtrlA = b === CTRL_A;
      }
      vm.input(new Uint8Array(chunk));
    });
    console.error("tsos-vm: serial console attached; Ctrl-A X quits");
  } else if (cfg.interactive) stdin.on("data", (chunk: Buffer) => vm.input(new Uint8Array(chunk)));
  // A SIGTERM/SIGHUP from the launcher (or the terminal closing) ends the VM; the terminal gets its mode back.
  for (const sig of ["SIGTERM", "SIGHUP"] as const) process.on(sig, () => quit!());
  const timeout = cfg.timeoutS ? Bun.sleep(cfg.timeoutS * 1000).then(() => "timeout" as const) : new Promise<never>(() => {});
  const result = await Promise.race([vm.stopped, timeout, quitRequested.then(() => "quit" as const)]);
  if (stdin.isTTY && cfg.interactive) stdin.setRawMode(false);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (display) {
    display.close();
    console.error(`tsos-vm: display closed; input: ${vm.screen!.inputSummary()}`);
  }
  vm.close();
  if (result === "timeout") {
    console.error(`\ntsos-vm: timed out after ${cfg.timeoutS} s`);
    return EXIT_TIMEOUT;
  }
  if (result === "quit") {
    console.error(`\ntsos-vm: quit from the console after ${secs} s`);
    return 0;
  }
  if (result.kind === "error" || result.kind === "crash") {
    console.error(`\ntsos-vm: ${result.kind} after ${secs} s: ${result.detail}`);
    return 1;
  }
  const kind = stopKind(tail, result.kind);
  const what = { poweroff: "powered off", reboot: "requested a reboot", crash: "kernel panicked" }[kind];
  console.error(`\ntsos-vm: guest ${what} after ${secs} s (${result.detail})`);
  return kind === "poweroff" ? 0 : kind === "reboot" ? EXIT_REBOOT : 1;
}

if (import.meta.main) {
  const arg = process.argv[2];
  if (!arg) {
    console.error("usage: vm-process.ts CONFIG-JSON");
    process.exit(2);
  }
  const code = await runVmProcess(JSON.parse(arg) as VmProcessConfig);
  // vCPU threads may still be inside KVM_RUN: exit the process rather than wait for them.
  process.exit(code);
}
