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
 * The text of the first of `paths` (relative to the tree root) that exists. Several names because files
 * move between kernel versions (Documentation/x86/ became Documentation/arch/x86/ in 6.5).
 */
export async function kernelSourceFile(...paths: string[]): Promise<string> {
  const cachedText = () => {
    const hit = paths.find((p) => existsSync(join(cacheRoot, p)));
    return hit === undefined ? undefined : readFileSync(join(cacheRoot, hit), "utf8");
  };
  const cached = cachedText();
  if (cached !== undefined) return cached;
  const tree = extractedTree();
  if (existsSync(join(tree, ".tsos-extracted"))) {
    for (const p of paths.filter((p) => existsSync(join(tree, p)))) {
      mkdirSync(dirname(join(cacheRoot, p)), { recursive: true });
      copyFileSync(join(tree, p), join(cacheRoot, p));
    }
  } else {
    mkdirSync(cacheRoot, { recursive: true });
    // tar exits 2 when some candidate names are absent; it still extracts the ones present.
    const proc = Bun.spawn(["tar", "-xJf", DEBIAN_TARBALL, "-C", cacheRoot, "--strip-components=1", ...paths.map((p) => `${TREE_NAME}/${p}`)], {
      stdout: "ignore",
      stderr: "ignore",
    });
    await proc.exited;
  }
  const text = cachedText();
  if (text === undefined) throw new Error(`the kernel source has none of ${paths.join(", ")}`);
  return text;
}
