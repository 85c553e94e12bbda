// Linux/KVM preflight: the device, its API version, the capabilities the launcher
// uses, and how fast guest code actually runs. Nothing here changes the host.
import { accessSync, closeSync, constants, existsSync } from "node:fs";
import { CAP, KVM_API_VERSION } from "../backends/kvm/ioctl.ts";
import { apiVersion, checkExtension, KVM_DEVICE, KvmHypervisor, openKvm } from "../backends/kvm/kvm.ts";
import { check, notThisOs, type Check } from "./check.ts";
import { speedProbe, type SpeedReport } from "./speed.ts";

const REQUIRED_CAPS = ["USER_MEMORY", "IRQCHIP", "PIT2", "SET_TSS_ADDR", "EXT_CPUID"] as const;
const OPTIONAL_CAPS = ["IOEVENTFD", "IRQFD", "IMMEDIATE_EXIT"] as const;
export const MAX_CPUS = 4;

export interface KvmPreflight {
  checks: Check[];
  speed?: SpeedReport;
}

/** The speed probe on this host's KVM, or undefined when KVM cannot be opened. */
export function probeKvmSpeed(): SpeedReport | undefined {
  let hv: KvmHypervisor;
  try {
    hv = new KvmHypervisor();
  } catch {
    return undefined;
  }
  try {
    return speedProbe(hv);
  } finally {
    hv.close();
  }
}

export function kvmChecks(runSpeedProbe = true): KvmPreflight {
  if (process.platform !== "linux") return { checks: [notThisOs("kvm", "Linux")] };
  const checks: Check[] = [];
  if (!existsSync(KVM_DEVICE)) {
    checks.push(check("kvm device", "fail", `${KVM_DEVICE} missing`, "enable virtualization (VT-x/AMD-V) in firmware or the VM's settings and load kvm_intel/kvm_amd; meanwhile use --backend qemu"));
    return { checks };
  }
  try {
    accessSync(KVM_DEVICE, constants.R_OK | constants.W_OK);
  } catch {
    checks.push(check("kvm device", "fail", `${KVM_DEVICE} not read-write for this user`, "add yourself to the 'kvm' group (sudo usermod -aG kvm $USER) and log in again"));
    return { checks };
  }
  checks.push(check("kvm device", "ok", `${KVM_DEVICE} present and read-write`));
  const fd = openKvm();
  try {
    const v = apiVersion(fd);
    checks.push(v === KVM_API_VERSION ? check("kvm api", "ok", `KVM_GET_API_VERSION = ${v}`) : check("kvm api", "fail", `KVM_GET_API_VERSION = ${v}, expected ${KVM_API_VERSION}`, "this kernel's KVM is not supported"));
    const missing = REQUIRED_CAPS.filter((c) => !checkExtension(fd, CAP[c]));
    checks.push(missing.length ? check("kvm capabilities", "fail", `missing ${missing.join(", ")}`, "the native launcher needs these; use --backend qemu") : check("kvm capabilities", "ok", `${REQUIRED_CAPS.join(", ")}`));
    const optional = OPTIONAL_CAPS.map((c) => `${c} ${checkExtension(fd, CAP[c]) ? "yes" : "no"}`);
    checks.push(check("kvm optional", "ok", `${optional.join(", ")} (not required)`));
    const nr = checkExtension(fd, CAP.NR_VCPUS) || 4;
    const max = checkExtension(fd, CAP.MAX_VCPUS) || nr;
    checks.push(nr >= MAX_CPUS ? check("kvm vcpus", "ok", `recommended ${nr}, max ${max} (tsos uses up to ${MAX_CPUS})`) : check("kvm vcpus", "warn", `only ${nr} vCPUs recommended`, `use --cpus ${nr} or fewer`));
  } finally {
    closeSync(fd);
  }
  if (!runSpeedProbe) return { checks };
  const hv = new KvmHypervisor();
  try {
    const speed = speedProbe(hv);
    const detail = `${speed.class}: ${speed.nsPerInstruction.toFixed(speed.nsPerInstruction < 10 ? 2 : 0)} ns/instruction, ${speed.usPerExit.toFixed(1)} µs/exit`;
    checks.push(speed.class === "hardware-accelerated" ? check("kvm speed", "ok", detail) : check("kvm speed", "warn", detail, "Linux boots far too slowly on this KVM; 'tsos run' uses --backend qemu here (expose VT-x/AMD-V to this host for native speed)"));
    return { checks, speed };
  } catch (e) {
    checks.push(check("kvm speed", "fail", `speed probe failed: ${(e as Error).message}`, "report this; use --backend qemu"));
    return { checks };
  } finally {
    hv.close();
  }
}
