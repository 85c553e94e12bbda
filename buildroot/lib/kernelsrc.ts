// Single files from the kernel source (documentation, headers) without unpacking the whole tree:
// from the tree `make kernel` already extracted if there is one, else one tar pass over Debian's
// tarball for just those members, cached under build/kernel-src/ so the next run costs nothing.
import { existsSync, mkdirSync, readFileSync, copyFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { cacheDir } from "./cache.ts";

export const DEBIAN_TARBALL = "/usr/src/linux-source-6.1.tar.xz";
export const TREE_NAME = "linux-source-6.1";
const root = resolve(import.meta.dir, "..", "..");
const cacheRoot = join(root, "build", "kernel-src");

function extractedTree(): string {
  return join(cacheDir("src"), TREE_NAME);
}

/** Whether kernelSourceFile can work here, and if not, why (for a loud test skip). */
export function kernelSourceMissing(): string | null {
  if (existsSync(join(extractedTree(), ".tsos-extracted")) || existsSync(DEBIAN_TARBALL)) return null;
  return `${DEBIAN_TARBALL} missing (apt-get install linux-source-6.1)`;
}

/**
 * Bring every existing one of `paths` (relative to the tree root) into build/kernel-src/. Pass all the
 * files a caller needs at once: reading the 140 MB xz stream is the slow part (~15 s on 2 busy cores).
 * Names that do not exist in this kernel version are skipped (files move between versions).
 */
export async function fetchKernelSource(paths: string[]): Promise<void> {
  const wanted = paths.filter((p) => !existsSync(join(cacheRoot, p)));
  if (wanted.length === 0) return;
  const tree = extractedTree();
  if (existsSync(join(tree, ".tsos-extracted"))) {
    for (const p of wanted.filter((p) => existsSync(join(tree, p)))) {
      mkdirSync(dirname(join(cacheRoot, p)), { recursive: true });
      copyFileSync(join(tree, p), join(cacheRoot, p));
    }
    return;
  }
  mkdirSync(cacheRoot, { recursive: true });
  // tar exits 2 when some names are absent; it still extracts the ones present, which is all we want.
  const proc = Bun.spawn(["tar", "-xJf", DEBIAN_TARBALL, "-C", cacheRoot, "--strip-components=1", ...wanted.map((p) => `${TREE_NAME}/${p}`)], {
    stdout: "ignore",
    stderr: "ignore",
  });
  await proc.exited;
}

/** The text of the first of `paths` that exists in the kernel source (several names: files move between versions). */
export async function kernelSourceFile(...paths: string[]): Promise<string> {
  const cached = () => paths.find((p) => existsSync(join(cacheRoot, p)));
  // Fetch only when no candidate is cached: the other names may not exist in this version at all.
  if (cached() === undefined) await fetchKernelSource(paths);
  const hit = cached();
  if (hit === undefined) throw new Error(`the kernel source has none of ${paths.join(", ")}`);
  return readFileSync(join(cacheRoot, hit), "utf8");
}
