// make image: kernel + root filesystem + signed manifest in build/image/.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { phase, main } from "./lib/progress.ts";
import { buildKernel } from "./kernel.ts";
import { buildRootfs } from "./rootfs.ts";
import { loadOrCreateBuildKey } from "./lib/buildkey.ts";
import { hashFile, signManifest, type ManifestBody } from "../lib/image/manifest.ts";

const root = resolve(import.meta.dir, "..");
const imageDir = join(root, "build", "image");
/** What a tsos image is made of; every one is listed in the manifest. */
export const IMAGE_ARTIFACTS = ["bzImage", "vmlinux", "rootfs.erofs"] as const;

export async function buildImage(): Promise<void> {
  const kernel = await buildKernel();
  await buildRootfs();
  mkdirSync(imageDir, { recursive: true });
  for (const k of ["bzImage", "vmlinux"]) copyFileSync(join(kernel.dir, k), join(imageDir, k));
  phase("manifest", "hashing and signing");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const body: ManifestBody = {
    format: 1,
    version: pkg.version,
    kernelConfigHash: kernel.hash,
    bunVersion: Bun.version,
    artifacts: Object.fromEntries(IMAGE_ARTIFACTS.map((a) => [a, hashFile(join(imageDir, a))])),
  };
  const manifest = signManifest(body, loadOrCreateBuildKey(root).secretKey);
  writeFileSync(join(imageDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  for (const a of IMAGE_ARTIFACTS) phase("image", `${a} ${(body.artifacts[a]!.size / 1048576).toFixed(1)} MiB sha256 ${body.artifacts[a]!.sha256.slice(0, 16)}`);
  phase("image", "ready: build/image/manifest.json");
}

if (import.meta.main) await main(buildImage);
