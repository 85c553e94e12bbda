// Windows Hypervisor Platform preflight: WinHvPlatform.dll loads, the WHv* exports
// the backend will use exist, and WHvGetCapability says a hypervisor is present.
import { dlopen, FFIType, ptr } from "bun:ffi";
import { check, notThisOs, type Check } from "./check.ts";

/** The exports the WHP backend needs (partition, memory, vCPU, registers, interrupts). */
export const WHP_EXPORTS = [
  "WHvGetCapability", "WHvCreatePartition", "WHvSetupPartition", "WHvSetPartitionProperty", "WHvDeletePartition",
  "WHvMapGpaRange", "WHvUnmapGpaRange", "WHvCreateVirtualProcessor", "WHvDeleteVirtualProcessor", "WHvRunVirtualProcessor",
  "WHvCancelRunVirtualProcessor", "WHvGetVirtualProcessorRegisters", "WHvSetVirtualProcessorRegisters", "WHvRequestInterrupt",
] as const;
const WHvCapabilityCodeHypervisorPresent = 0;

export function whpChecks(platform = process.platform): Check[] {
  if (platform !== "win32") return [notThisOs("whp", "Windows")];
  const out: Check[] = [];
  const missing: string[] = [];
  for (const name of WHP_EXPORTS) {
    try {
      dlopen("WinHvPlatform.dll", { [name]: { args: [], returns: FFIType.i32 } }).close();
    } catch (e) {
      if (name === WHP_EXPORTS[0]) return [check("whp library", "fail", `WinHvPlatform.dll: ${(e as Error).message}`, "enable 'Windows Hypervisor Platform' in Windows Features and reboot")];
      missing.push(name);
    }
  }
  out.push(missing.length ? check("whp exports", "fail", `missing ${missing.join(", ")}`, "update Windows (WHP 10.0.17763 or newer)") : check("whp exports", "ok", `WinHvPlatform.dll with ${WHP_EXPORTS.length} WHv* exports`));
  const lib = dlopen("WinHvPlatform.dll", { WHvGetCapability: { args: [FFIType.u32, FFIType.ptr, FFIType.u32, FFIType.ptr], returns: FFIType.i32 } });
  try {
    const present = new Uint32Array(1);
    const written = new Uint32Array(1);
    const hr = lib.symbols.WHvGetCapability(WHvCapabilityCodeHypervisorPresent, ptr(present), 4, ptr(written));
    out.push(hr === 0 && present[0] ? check("whp hypervisor", "ok", "hypervisor present") : check("whp hypervisor", "fail", `hypervisor not present (HRESULT 0x${(hr >>> 0).toString(16)})`, "enable Hyper-V / Windows Hypervisor Platform and reboot"));
  } finally {
    lib.close();
  }
  return out;
}
