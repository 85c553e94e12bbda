// The kernel `make kernel` built (build/kernel/), for tests that parse or lay out a real image.
// Tests skip loudly without it.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const kernelDir = resolve(import.meta.dir, "../../../build/kernel");

/** Why the built kernel is unavailable, or null when both files are there. */
export function builtKernelMissing(what: string): string | null {
  if (existsSync(join(kernelDir, "bzImage")) && existsSync(join(kernelDir, "vmlinux"))) return null;
  const reason = `${kernelDir} has no bzImage/vmlinux (run 'make kernel')`;
  console.log(`SKIP ${what}: ${reason}`);
  return reason;
}

export function builtKernel(name: "bzImage" | "vmlinux"): Uint8Array {
  return new Uint8Array(readFileSync(join(kernelDir, name)));
}
