// tsos ssh [--vm NAME] [-- SSH-ARGS...]: the system OpenSSH client, pointed at
// the VM's forwarded port with its key and its pinned host key.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readVm, vmPaths } from "../vm/registry.ts";
import { parseArgs, UsageError, type VerbSpec } from "./args.ts";

export const sshSpec: VerbSpec = {
  name: "ssh",
  summary: "Open an SSH session to a running VM (strict host-key checking, no prompts). Arguments after -- go to ssh (a command, -t, ...).",
  usage: "tsos ssh [--vm NAME] [--user USER] [-- SSH-ARGS...]",
  options: [
    { name: "vm", help: "which VM", default: "default" },
    { name: "user", help: "guest user", default: "root" },
    { name: "vsock", help: "go through the VM's vsock device instead of the forwarded TCP port (kvm backend)", default: false },
  ],
};

/** ssh's ProxyCommand that runs this launcher's vsock-connect verb on the VM's vsock socket. */
export function vsockProxyCommand(socket: string): string {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  return [process.execPath, join(import.meta.dir, "main.ts"), "vsock-connect", "--socket", socket, "--port", "22"].map(q).join(" ");
}

export function sshArgv(name: string, user: string, port: number, rest: string[], vsock = false): string[] {
  const dir = vmPaths(name).dir;
  const via = vsock ? ["-o", `ProxyCommand=${vsockProxyCommand(vmPaths(name).vsock)}`, "-o", `HostKeyAlias=[127.0.0.1]:${port}`] : ["-p", String(port)];
  return ["ssh", "-i", `${dir}/id_ed25519`, ...via, "-o", `UserKnownHostsFile=${dir}/known_hosts`, "-o", "StrictHostKeyChecking=yes", "-o", "IdentitiesOnly=yes", `${user}@127.0.0.1`, ...rest];
}

export async function sshMain(argv: string[]): Promise<number> {
  const { opts, rest } = parseArgs(sshSpec, argv);
  const name = String(opts.vm);
  const info = readVm(name);
  if (!info?.sshPort) throw new UsageError(`no VM named '${name}' with SSH is running; start one with 'tsos run --name ${name}'`);
  if (!Bun.which("ssh")) throw new Error("the OpenSSH client is missing: apt-get install openssh-client");
  if (!existsSync(`${vmPaths(name).dir}/known_hosts`)) throw new Error(`${vmPaths(name).dir}/known_hosts missing; restart the VM`);
  if (opts.vsock && (info.backend !== "kvm" || !existsSync(vmPaths(name).vsock))) throw new UsageError(`VM '${name}' has no vsock device (only the kvm backend has one; QEMU here has no vhost-vsock)`);
  const p = Bun.spawn(sshArgv(name, String(opts.user), info.sshPort, rest, Boolean(opts.vsock)), { stdio: ["inherit", "inherit", "inherit"] });
  return await p.exited;
}
