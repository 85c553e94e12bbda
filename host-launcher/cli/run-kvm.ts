// `tsos run` on the native KVM launcher: one VM process per boot (vmm/vm-process.ts),
// the serial console on this terminal in raw mode (Ctrl-A X quits), a new process
// when the guest asks for a reboot, nothing left behind on exit.
import { resolve } from "node:path";
import { probeKvmSpeed } from "../preflight/kvm.ts";
import type { SpeedClass } from "../preflight/speed.ts";
import { EXIT_REBOOT, type VmProcessConfig } from "../vmm/vm-process.ts";

const VM_PROCESS = resolve(import.meta.dir, "../vmm/vm-process.ts");

const probeSpeed = (): SpeedClass | undefined => probeKvmSpeed()?.class;

/** --backend auto: the native launcher where KVM is hardware-accelerated, QEMU otherwise. */
export function chooseBackend(): { backend: "kvm" | "qemu"; reason: string } {
  if (process.platform !== "linux") return { backend: "qemu", reason: `no native backend for ${process.platform} yet` };
  const speed = probeSpeed();
  if (speed === "hardware-accelerated") return { backend: "kvm", reason: "preflight measures hardware-accelerated KVM" };
  return { backend: "qemu", reason: speed ? "KVM here is emulation-grade; 'tsos preflight' shows the numbers" : "/dev/kvm is not usable" };
}

export interface KvmRunOptions {
  kernel: string;
  rootfs: string;
  configDisk: string;
  serialLog: string;
  controlSocket: string;
  /** The vsock device's host socket (ssh over vsock: "CONNECT 22\n"). */
  vsockSocket: string;
  sshPort: number;
  cpus: number;
  memoryMiB: number;
  cmdline: string[];
  headless: boolean;
  display?: KvmDisplay;
}

export type KvmDisplay = NonNullable<VmProcessConfig["display"]>;

export async function runKvm(o: KvmRunOptions): Promise<number> {
  const emulated = probeSpeed() !== "hardware-accelerated";
  if (emulated) console.error("tsos: warning: this KVM is emulation-grade: the kernel boots slowly and stops at init's first system call (see README, 'The native launcher')");
  const cfg: VmProcessConfig = {
    kernel: o.kernel,
    disks: [{ path: o.rootfs, readOnly: true }, { path: o.configDisk, readOnly: true }],
    memoryMiB: o.memoryMiB,
    cpus: o.cpus,
    cmdline: o.cmdline,
    emulatedKvm: emulated,
    interactive: !o.headless,
    serialLog: o.serialLog,
    controlSocket: o.controlSocket,
    // CID 3: the first one a guest may have (0-2 are reserved); one guest per launcher process.
    vsock: { guestCid: 3, socket: o.vsockSocket },
    net: { forwards: [{ host: o.sshPort, guest: 22 }] },
    ...(o.display ? { display: o.display } : {}),
  };
  for (;;) {
    const p = Bun.spawn([process.execPath, VM_PROCESS, JSON.stringify(cfg)], { stdio: [o.headless ? "ignore" : "inherit", o.headless ? "ignore" : "inherit", "inherit"] });
    // In raw mode Ctrl-C is a byte for the guest; a SIGINT/SIGTERM sent to us stops the VM process.
    const stop = () => p.kill("SIGTERM");
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    const code = await p.exited;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    if (code === EXIT_REBOOT) {
      console.error("tsos: guest rebooted; starting it again");
      continue;
    }
    return code;
  }
}
