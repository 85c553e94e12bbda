// Where a running VM's files live, so `tsos ctl` and `tsos logs` find it by name:
// $XDG_STATE_HOME/tsos/vms/NAME/ (default ~/.local/state/...), created 0700.
//   control.sock  the guest control channel (QEMU chardev / native vsock bridge)
//   serial.log    the serial console
//   info.json     backend, launcher pid, start time
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface VmInfo {
  name: string;
  backend: "qemu" | "kvm";
  pid: number;
  startedAt: string;
  /** Loopback port forwarded to the guest's sshd. */
  sshPort?: number;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export function stateRoot(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "tsos", "vms");
}

export function checkVmName(name: string): string | undefined {
  return NAME.test(name) ? undefined : `VM name '${name}' must be 1-32 of a-z, 0-9, '-', '_'`;
}

export function vmDir(name: string): string {
  return join(stateRoot(), name);
}

export function vmPaths(name: string) {
  const dir = vmDir(name);
  return { dir, control: join(dir, "control.sock"), serial: join(dir, "serial.log"), info: join(dir, "info.json"), configDisk: join(dir, "config.img"), vsock: join(dir, "vsock.sock") };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Claim a VM name for this process; refuses a name whose launcher is still running. */
export function registerVm(info: VmInfo): ReturnType<typeof vmPaths> {
  const p = vmPaths(info.name);
  const current = readVm(info.name);
  if (current && alive(current.pid) && current.pid !== process.pid) throw new Error(`VM '${info.name}' is already running (launcher pid ${current.pid}); stop it or pick --name`);
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  rmSync(p.control, { force: true });
  writeFileSync(p.info, JSON.stringify(info, null, 2) + "\n", { mode: 0o600 });
  return p;
}

export function readVm(name: string): VmInfo | undefined {
  try {
    return JSON.parse(readFileSync(vmPaths(name).info, "utf8")) as VmInfo;
  } catch {
    return undefined;
  }
}

/** Running VMs: registered and with a live launcher. */
export function listVms(): VmInfo[] {
  if (!existsSync(stateRoot())) return [];
  return readdirSync(stateRoot())
    .map(readVm)
    .filter((v): v is VmInfo => !!v && alive(v.pid));
}

export function unregisterVm(name: string): void {
  const p = vmPaths(name);
  rmSync(p.control, { force: true });
  rmSync(p.info, { force: true });
}
