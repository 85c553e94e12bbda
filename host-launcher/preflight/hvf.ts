// macOS Hypervisor.framework preflight: the framework loads and hv_vm_create is
// allowed for this process (it needs the com.apple.security.hypervisor entitlement).
// The probe VM is destroyed at once.
import { dlopen, FFIType } from "bun:ffi";
import { check, notThisOs, type Check } from "./check.ts";

const FRAMEWORK = "/System/Library/Frameworks/Hypervisor.framework/Hypervisor";
const HV_DENIED = 0xfae94007;

export function hvfChecks(platform = process.platform): Check[] {
  if (platform !== "darwin") return [notThisOs("hvf", "macOS")];
  let lib;
  try {
    lib = dlopen(FRAMEWORK, { hv_vm_create: { args: [FFIType.ptr], returns: FFIType.i32 }, hv_vm_destroy: { args: [], returns: FFIType.i32 } });
  } catch (e) {
    return [check("hvf framework", "fail", `Hypervisor.framework: ${(e as Error).message}`, "macOS 11 or newer is needed")];
  }
  try {
    const rc = lib.symbols.hv_vm_create(null) >>> 0;
    if (rc !== 0) {
      const denied = rc === HV_DENIED;
      return [check("hvf framework", "ok", "Hypervisor.framework loaded"), check("hvf vm", "fail", `hv_vm_create returned 0x${rc.toString(16)}${denied ? " (HV_DENIED)" : ""}`, denied ? "the launcher's executable needs the com.apple.security.hypervisor entitlement" : "check that this Mac supports virtualization")];
    }
    lib.symbols.hv_vm_destroy();
    return [check("hvf framework", "ok", "Hypervisor.framework loaded"), check("hvf vm", "ok", "hv_vm_create allowed")];
  } finally {
    lib.close();
  }
}
