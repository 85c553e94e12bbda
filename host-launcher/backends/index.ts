// Picks the native hypervisor backend for this host: KVM on Linux; Windows (WHP)
// and macOS (HVF) implement the same interface in later work.
import type { Hypervisor } from "./hypervisor.ts";
import { KvmHypervisor } from "./kvm/kvm.ts";

export type BackendName = "kvm" | "whp" | "hvf";

export function nativeBackendName(platform = process.platform): BackendName | undefined {
  return platform === "linux" ? "kvm" : platform === "win32" ? "whp" : platform === "darwin" ? "hvf" : undefined;
}

/** Open this host's hypervisor; throws a one-line error naming what to do when there is none. */
export function openNativeHypervisor(): Hypervisor {
  const name = nativeBackendName();
  if (name === "kvm") return new KvmHypervisor();
  if (name) throw new Error(`the ${name.toUpperCase()} backend is not implemented yet; 'tsos preflight' reports what this host offers, 'tsos run --backend qemu' boots the image meanwhile`);
  throw new Error(`no native hypervisor backend for ${process.platform}; use 'tsos run --backend qemu'`);
}
