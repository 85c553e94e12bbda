// tsos preflight's checks, in order: host, this OS's hypervisor (the others report
// "not this OS" from their real code paths), the image. Side-effect free.
import { arch, release } from "node:os";
import { check, type Check } from "./check.ts";
import { hvfChecks } from "./hvf.ts";
import { imageChecks } from "./image.ts";
import { kvmChecks } from "./kvm.ts";
import type { SpeedClass, SpeedReport } from "./speed.ts";
import { whpChecks } from "./whp.ts";

export interface PreflightReport {
  checks: Check[];
  speed?: SpeedReport;
  /** The backend `tsos run` picks by default on this host, and why. */
  recommended: { backend: "kvm" | "qemu"; reason: string };
}

const SUPPORTED = new Set(["linux-x64", "win32-x64", "darwin-x64", "darwin-arm64", "linux-arm64"]);

function hostCheck(): Check {
  const id = `${process.platform}-${arch()}`;
  return SUPPORTED.has(id) ? check("host", "ok", `${id} (${release()})`) : check("host", "fail", `${id} is not a supported host`, "use Linux, Windows or macOS on x86-64 or arm64");
}

export function recommendBackend(speed: SpeedClass | undefined, kvmUsable: boolean): PreflightReport["recommended"] {
  if (!kvmUsable) return { backend: "qemu", reason: "no usable native hypervisor" };
  if (speed === "hardware-accelerated") return { backend: "kvm", reason: "KVM is hardware-accelerated" };
  return { backend: "qemu", reason: "KVM here is emulation-grade (too slow to boot Linux natively)" };
}

export function preflight(opts: { imageDir: string; root: string; speedProbe?: boolean }): PreflightReport {
  const kvm = kvmChecks(opts.speedProbe ?? true);
  const checks = [hostCheck(), ...kvm.checks, ...whpChecks(), ...hvfChecks(), ...imageChecks(opts.imageDir, opts.root)];
  const kvmUsable = kvm.checks.length > 1 && kvm.checks.every((c) => c.status !== "fail");
  return { checks, speed: kvm.speed, recommended: recommendBackend(kvm.speed?.class, kvmUsable) };
}
