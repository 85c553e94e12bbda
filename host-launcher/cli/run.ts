// tsos run: boot the built image on the native KVM backend (where preflight measures
// hardware speed) or under QEMU (the test harness, and the fallback on emulation-grade KVM).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { encodeConfigDisk } from "../../lib/vmconfig/disk.ts";
import { parseVmConfig } from "../../lib/vmconfig/schema.ts";
import { detectAccel } from "../backends/qemu/accel.ts";
import { qemuArgs, type QemuDisplay } from "../backends/qemu/args.ts";
import { Qmp } from "../backends/qemu/qmp.ts";
import { freeLoopbackPort, freeVncDisplay } from "../vm/ports.ts";
import { checkVmName, registerVm, unregisterVm } from "../vm/registry.ts";
import { ensureVmSecrets, writeKnownHosts, writeVncPassword } from "../vm/secrets.ts";
import { intOption, parseArgs, UsageError, type VerbSpec } from "./args.ts";
import { chooseBackend, runKvm } from "./run-kvm.ts";

const root = resolve(import.meta.dir, "../..");

export const runSpec: VerbSpec = {
  name: "run",
  summary: "Boot the built image (build/image) with its serial console on this terminal (Ctrl-A X quits), and the control channel for `tsos ctl`.",
  usage: "tsos run [options] [-- KERNEL-ARGS...]",
  options: [
    { name: "backend", help: "kvm (the native launcher), qemu, or auto: kvm where 'tsos preflight' measures hardware-accelerated KVM, else qemu", default: "auto" },
    { name: "name", help: "VM name for `tsos ctl --vm`", default: "default" },
    { name: "cpus", help: "virtual CPUs (1-4)", default: "1" },
    { name: "memory", help: "guest memory in MiB", default: "512" },
    { name: "config", help: "vm.json for the config drive", default: "" },
    { name: "image", help: "image directory", default: "build/image" },
    { name: "headless", help: "no console on this terminal: serial goes to the VM's serial.log", default: false },
    { name: "display", help: "a desktop: virtio-gpu, keyboard and tablet, shown by QEMU's VNC server on 127.0.0.1 with a per-run password", default: false },
    { name: "resolution", help: "desktop size with --display, WIDTHxHEIGHT", default: "1280x800" },
  ],
};

/** QEMU's VNC server on a free loopback display; the password is set over QMP once QEMU is up (VNC passwords cannot go on the command line safely). */
async function desktopDisplay(resolution: string, dir: string): Promise<{ display: QemuDisplay; qmpSocket: string; arm: () => Promise<void> }> {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(resolution);
  if (!m) throw new UsageError(`--resolution ${resolution}: expected WIDTHxHEIGHT, e.g. 1280x800`);
  const n = await freeVncDisplay();
  const qmpSocket = join(dir, "qmp.sock");
  const { password, file } = writeVncPassword(dir);
  return {
    display: { width: Number(m[1]), height: Number(m[2]), vnc: { display: n, password: true } },
    qmpSocket,
    arm: async () => {
      const qmp = await Qmp.connect(qmpSocket);
      await qmp.execute("change-vnc-password", { password });
      qmp.close();
      console.error(`tsos: desktop: VNC on 127.0.0.1:${5900 + n} (display :${n}); password in ${file}`);
    },
  };
}

export async function runMain(argv: string[]): Promise<number> {
  const { opts, rest } = parseArgs(runSpec, argv);
  if (!["auto", "kvm", "qemu"].includes(String(opts.backend))) throw new UsageError(`--backend must be kvm, qemu or auto`);
  const name = String(opts.name);
  const bad = checkVmName(name);
  if (bad) throw new UsageError(bad);
  const image = resolve(root, String(opts.image));
  const kernel = join(image, "bzImage");
  const rootfs = join(image, "rootfs.erofs");
  for (const f of [kernel, rootfs]) if (!existsSync(f)) throw new UsageError(`${f} missing: run 'make image' first`);
  const cpus = intOption(opts.cpus!, "cpus", 1, 4);
  const memoryMiB = intOption(opts.memory!, "memory", 128, 65536);
  const parsed = parseVmConfig(opts.config ? readFileSync(String(opts.config), "utf8") : "{}");
  if (!parsed.ok) throw new UsageError(`${opts.config}: ${parsed.error}`);
  const choice = opts.backend === "auto" ? chooseBackend() : { backend: opts.backend as "kvm" | "qemu", reason: "--backend" };
  const vmlinux = join(image, "vmlinux");
  if (choice.backend === "kvm" && !existsSync(vmlinux)) throw new UsageError(`${vmlinux} missing: run 'make image' first`);
  const sshPort = await freeLoopbackPort();
  const paths = registerVm({ name, backend: choice.backend, pid: process.pid, startedAt: new Date().toISOString(), sshPort });
  const secrets = ensureVmSecrets(paths.dir, name);
  writeKnownHosts(secrets, sshPort);
  const config = { ...parsed.config, authorizedKeys: [...parsed.config.authorizedKeys, secrets.userPub], hostKeys: { ed25519: secrets.hostPrivate, ...parsed.config.hostKeys } };
  writeFileSync(paths.configDisk, encodeConfigDisk(JSON.stringify(config)), { mode: 0o600 });
  const headless = opts.headless === true;
  if (choice.backend === "kvm") {
    console.error(`tsos: booting '${name}' on the native KVM launcher (${choice.reason})`);
    console.error(`tsos: ssh: tsos ssh --vm ${name}   (ssh -i ${secrets.userKey} -p ${sshPort} root@127.0.0.1)`);
    try {
      return await runKvm({ kernel: vmlinux, rootfs, configDisk: paths.configDisk, serialLog: paths.serial, controlSocket: paths.control, vsockSocket: paths.vsock, sshPort, cpus, memoryMiB, cmdline: rest, headless });
    } finally {
      unregisterVm(name);
    }
  }
  const { accel, reason } = detectAccel();
  const desktop = opts.display === true ? await desktopDisplay(String(opts.resolution), paths.dir) : undefined;
  const argvQemu = qemuArgs({ kernel, rootfs, accel, cpus, memoryMiB, append: rest, configDisk: paths.configDisk, controlSocket: paths.control, net: { forwards: [{ host: sshPort, guest: 22 }] }, serial: headless ? { file: paths.serial } : "stdio", serialLog: paths.serial, ...(desktop ? { display: desktop.display, qmpSocket: desktop.qmpSocket } : {}) });
  console.error(`tsos: booting '${name}' under QEMU (${accel}: ${reason})`);
  console.error(`tsos: ssh: tsos ssh --vm ${name}   (ssh -i ${secrets.userKey} -p ${sshPort} root@127.0.0.1)`);
  console.error(`tsos: control: tsos ctl --vm ${name} status`);
  try {
    for (;;) {
      writeFileSync(paths.serial, "");
      const p = Bun.spawn(argvQemu, { stdio: [headless ? "ignore" : "inherit", "inherit", "inherit"] });
      if (desktop) await desktop.arm();
      const stop = () => p.kill("SIGTERM");
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      const code = await p.exited;
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      // init prints this before resetting for a reboot; a plain reset is power-off.
      if (code === 0 && readFileSync(paths.serial, "utf8").includes("tsos: init: rebooting")) {
        console.error("tsos: guest rebooted; starting it again");
        continue;
      }
      return code;
    }
  } finally {
    unregisterVm(name);
  }
}
