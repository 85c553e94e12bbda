// Ending the machine. A tsos VM has no ACPI (the kernel is built without it),
// so the kernel cannot power off by itself; instead init resets the machine and
// every tsos host treats a guest reset as "powered off": QEMU runs with
// -no-reboot, the native launcher stops on the triple-fault exit (Firecracker's
// convention). Where ACPI exists the real power-off call is used.
import { existsSync } from "node:fs";
import { reboot, sync, RB } from "../lib/ffi/libc.ts";

export function canPowerOff(): boolean {
  return existsSync("/sys/firmware/acpi");
}

export function powerOff(): never {
  sync();
  reboot(canPowerOff() ? RB.POWER_OFF : RB.AUTOBOOT);
  // reboot(2) only returns on failure (not PID 1, or no CAP_SYS_BOOT).
  throw new Error("reboot(2) failed: init is not PID 1 or lacks CAP_SYS_BOOT");
}

/** A reboot: the same reset; the host restarts the VM when init said "rebooting" first. */
export function resetMachine(): never {
  sync();
  reboot(RB.AUTOBOOT);
  throw new Error("reboot(2) failed: init is not PID 1 or lacks CAP_SYS_BOOT");
}
