// Which accelerator QEMU should use: KVM only where it is hardware-accelerated.
// Some hosts expose /dev/kvm backed by an instruction emulator (kvm_pvm); QEMU
// on it is slower than TCG, so detect the backing module instead of assuming.
import { accessSync, constants, existsSync } from "node:fs";

export type Accel = "kvm" | "tcg";

export interface AccelChoice {
  accel: Accel;
  reason: string;
}

const HARDWARE_MODULES = ["kvm_intel", "kvm_amd"];
const EMULATED_MODULES = ["kvm_pvm"];

export function detectAccel(sysModule = "/sys/module", devKvm = "/dev/kvm"): AccelChoice {
  if (!existsSync(devKvm)) return { accel: "tcg", reason: `${devKvm} absent` };
  try {
    accessSync(devKvm, constants.R_OK | constants.W_OK);
  } catch {
    return { accel: "tcg", reason: `${devKvm} not read-write for this user` };
  }
  const emulated = EMULATED_MODULES.find((m) => existsSync(`${sysModule}/${m}`));
  if (emulated) return { accel: "tcg", reason: `/dev/kvm is emulation-grade (${emulated})` };
  const hw = HARDWARE_MODULES.find((m) => existsSync(`${sysModule}/${m}`));
  if (hw) return { accel: "kvm", reason: `hardware KVM (${hw})` };
  return { accel: "tcg", reason: "/dev/kvm present but no kvm_intel/kvm_amd module: backing unknown" };
}
