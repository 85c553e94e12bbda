// tsos run: boot the built image on the native KVM backend (where preflight measures
// hardware speed) or under QEMU (the test harness, and the fallback on emulation-grade KVM).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { encodeConfigDisk } from "../../lib/vmconfig/disk.ts";
import { parseVmConfig } from "../../lib/vmconfig/schema.ts";
import { detectAccel } from "../backends/qemu/accel.ts";
import { qemuArgs, type QemuDisplay } from "../backends/qemu/args.ts";
import { Qmp } from "../backends/qemu/qmp.ts";
import { newWebToken, serveWebViewer, type WebViewer } from "../display/web/server.ts";
import { tcpRfbEndpoint } from "../display/web/tcp-bridge.ts";
import { freeLoopbackPort, freeVncDisplay } from "../vm/ports.ts";
import { checkVmName, registerVm, unregisterVm } from "../vm/registry.ts";
import { ensureVmSecrets, writeKnownHosts, writeVncPassword } from "../vm/secrets.ts";
import { intOption, parseArgs, UsageError, type VerbSpec } from "./args.ts";
import { parseResolution, type ScreenSize } from "../vmm/screen.ts";
import { chooseBackend, runKvm, type KvmDisplay } from "./run-kvm.ts";

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
    { name: "display", help: "a desktop with keyboard and tablet, on a VNC server on 127.0.0.1 with a per-run password and in a browser at the printed URL (kvm: the launcher's own broker over a simple-framebuffer; qemu: virtio-gpu behind QEMU's VNC)", default: false },
    { name: "resolution", help: "desktop size with --display, WIDTHxHEIGHT", default: "1280x800" },
    { name: "no-web", help: "with --display, only VNC: no browser viewer (by default a noVNC page on 127.0.0.1 behind a random URL token)", default: false },
  ],
};

/**
 * QEMU's VNC server on a free loopback display; the password is set over QMP once QEMU is up
 * (VNC passwords cannot go on the command line safely). Unless `web` is off, the browser viewer
 * fronts it, bridging to it with that password (display/web/tcp-bridge.ts); it outlives reboots.
 */
async function desktopDisplay(size: ScreenSize, dir: string, web: boolean): Promise<{ display: QemuDisplay; qmpSocket: string; arm: () => Promise<void>; stop: () => void }> {
  const n = await freeVncDisplay();
  const qmpSocket = join(dir, "qmp.sock");
  const { password, file } = writeVncPassword(dir);
  const vnc = { host: "127.0.0.1", port: 5900 + n };
  let viewer: WebViewer | undefined;
  return {
    display: { ...size, vnc: { display: n, password: true } },
    qmpSocket,
    arm: async () => {
      const qmp = await Qmp.connect(qmpSocket);
      await qmp.execute("change-vnc-password", { password });
      qmp.close();
      if (web && !viewer) viewer = serveWebViewer(tcpRfbEndpoint({ ...vnc, password, log: (l) => console.error(`tsos: desktop: ${l}`) }), newWebToken());
      if (viewer) console.error(`tsos: desktop: open ${viewer.url} in a browser`);
      console.error(`tsos: desktop: VNC on ${vnc.host}:${vnc.port} (display :${n}); password in ${file}`);
    },
    stop: () => viewer?.stop(),
  };
}

function screenSize(resolution: string): ScreenSize {
  const size = parseResolution(resolution);
  if (!size) throw new UsageError(`--resolution ${resolution}: expected WIDTHxHEIGHT (320x200..8192x8192), e.g. 1280x800`);
  return size;
}

/** The native launcher's display: its broker serves VNC on a free loopback display; the password file is 0600 in the VM's directory. */
async function kvmDisplay(size: ScreenSize, dir: string, web: boolean): Promise<KvmDisplay> {
  const n = await freeVncDisplay();
  return { ...size, passwordFile: writeVncPassword(dir).file, vncPort: 5900 + n, web };
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
  const size = opts.display === true ? screenSize(String(opts.resolution)) : undefined;
  const web = opts["no-web"] !== true;
  if (choice.backend === "kvm") {
    console.error(`tsos: booting '${name}' on the native KVM launcher (${choice.reason})`);
    console.error(`tsos: ssh: tsos ssh --vm ${name}   (ssh -i ${secrets.userKey} -p ${sshPort} root@127.0.0.1)`);
    try {
      return await runKvm({ kernel: vmlinux, rootfs, configDisk: paths.configDisk, serialLog: paths.serial, controlSocket: paths.control, vsockSocket: paths.vsock, sshPort, cpus, memoryMiB, cmdline: rest, headless, ...(size ? { display: await kvmDisplay(size, paths.dir, web) } : {}) });
    } finally {
      unregisterVm(name);
    }
  }
  const { accel, reason } = detectAccel();
  const desktop = size ? await desktopDisplay(size, paths.dir, web) : undefined;
  const argvQemu = qemuArgs({ kernel, rootfs, accel, cpus, memoryMiB, append: rest, configDisk: paths.configDisk, controlSocket: paths.control, net: { forwards: [{ host: sshPort, guest: 22 }] }, serial: headless ? { file: paths.serial } : "stdio", serialLog: paths.serial, ...(desktop ? { display: desktop.display, qmpSocket: desktop.qmpSocket } : {}) });
  console.error(`tsos: booting '${name}' under QEMU (${accel}: ${reason})`);
  let first = true;
  try {
    for (;;) {
      writeFileSync(paths.serial, "");
      const p = Bun.spawn(argvQemu, { stdio: [headless ? "ignore" : "inherit", "inherit", "inherit"] });
      // Before anything that can wait: an interrupt must not leave QEMU behind.
      const stop = () => p.kill("SIGTERM");
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      if (desktop)
        await desktop.arm().catch((e: unknown) => {
          p.kill("SIGTERM");
          throw e;
        });
      if (first) {
        // What a user needs, together, after the desktop lines.
        console.error(`tsos: ssh: tsos ssh --vm ${name}   (ssh -i ${secrets.userKey} -p ${sshPort} root@127.0.0.1)`);
        console.error(`tsos: control: tsos ctl --vm ${name} status`);
        if (!headless) console.error("tsos: serial console on this terminal (Ctrl-A X quits)");
        first = false;
      }
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
    desktop?.stop();
    unregisterVm(name);
  }
}
