// make kernel: tinyconfig + kernel-config/*.config fragments -> build/kernel/{bzImage,vmlinux,config}.
// The result is cached by the fragments' hash under build/ and ~/.cache/tsos/kernel/.
import { existsSync, mkdirSync, readdirSync, readFileSync, copyFileSync, writeFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { cpus } from "node:os";
import { phase, main, BuildError } from "./lib/progress.ts";
import { run, requireTool } from "./lib/run.ts";
import { cacheDir, sha256 } from "./lib/cache.ts";
import { checkConfig, parseConfig } from "./lib/kconfig.ts";
import { DEBIAN_TARBALL } from "./lib/kernelsrc.ts";

const root = resolve(import.meta.dir, "..");
const fragmentsDir = join(root, "kernel-config");
const outDir = join(root, "build", "kernel");
/** Bump when this script changes how the kernel is built, so caches are invalidated. */
const RECIPE = "2";
const ARTIFACTS = ["bzImage", "vmlinux", "config"] as const;

// Fixed identity strings so two builds of the same tree produce the same bytes.
const REPRODUCIBLE_ENV = {
  ARCH: "x86_64",
  KBUILD_BUILD_TIMESTAMP: "Thu Jan  1 00:00:00 UTC 1970",
  KBUILD_BUILD_USER: "tsos",
  KBUILD_BUILD_HOST: "tsos",
  KBUILD_BUILD_VERSION: "1",
};

export function fragmentFiles(): string[] {
  return readdirSync(fragmentsDir).filter((f) => f.endsWith(".config")).sort().map((f) => join(fragmentsDir, f));
}

/** The cache key: every fragment's name and bytes, plus the recipe and the source identity. */
export function kernelConfigHash(source: string): string {
  const parts = fragmentFiles().map((f) => `${f.slice(fragmentsDir.length + 1)}\n${readFileSync(f, "utf8")}`);
  return sha256([`recipe ${RECIPE}`, `source ${source}`, ...parts].join("\0")).slice(0, 16);
}

async function prepareSource(): Promise<{ dir: string; id: string }> {
  const given = process.env.KERNEL_SRC;
  if (given) {
    if (!existsSync(join(given, "Makefile"))) throw new BuildError(`KERNEL_SRC=${given} is not a kernel tree (no Makefile)`);
    return { dir: resolve(given), id: `tree:${resolve(given)}` };
  }
  if (!existsSync(DEBIAN_TARBALL)) {
    throw new BuildError(`${DEBIAN_TARBALL} missing: install it with 'apt-get install linux-source-6.1' (or run 'make deps'), or set KERNEL_SRC=`);
  }
  const version = (await run(["dpkg-query", "-W", "-f", "${Version}", "linux-source-6.1"], { capture: true })).trim();
  const srcRoot = cacheDir("src");
  const dir = join(srcRoot, "linux-source-6.1");
  if (!existsSync(join(dir, ".tsos-extracted"))) {
    phase("kernel", `extracting ${DEBIAN_TARBALL}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(srcRoot, { recursive: true });
    await run(["tar", "-xf", DEBIAN_TARBALL, "-C", srcRoot]);
    writeFileSync(join(dir, ".tsos-extracted"), "");
  }
  return { dir, id: `debian-linux-source-6.1:${version}` };
}

function haveAll(dir: string): boolean {
  return ARTIFACTS.every((a) => existsSync(join(dir, a)));
}

function copyAll(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const a of ARTIFACTS) copyFileSync(join(from, a), join(to, a));
}

export async function buildKernel(): Promise<{ hash: string; dir: string }> {
  const src = await prepareSource();
  const hash = kernelConfigHash(src.id);
  const stamp = join(outDir, "hash");
  if (haveAll(outDir) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === hash) {
    phase("kernel", `up to date (${hash})`);
    return { hash, dir: outDir };
  }
  const cached = cacheDir("kernel", hash);
  if (haveAll(cached)) {
    phase("kernel", `from cache ${hash}`);
  } else {
    for (const [tool, pkg] of [["gcc", "gcc"], ["make", "make"], ["bc", "bc"], ["flex", "flex"], ["bison", "bison"]] as const) requireTool(tool, pkg);
    const obj = cacheDir("obj", hash);
    rmSync(obj, { recursive: true, force: true });
    mkdirSync(obj, { recursive: true });
    const env = REPRODUCIBLE_ENV;
    phase("kernel", `configuring (tinyconfig + ${fragmentFiles().length} fragments)`);
    await run(["make", "-C", src.dir, `O=${obj}`, "tinyconfig"], { env, quiet: true });
    await run([join(src.dir, "scripts/kconfig/merge_config.sh"), "-m", "-O", obj, join(obj, ".config"), ...fragmentFiles()], { env, quiet: true, cwd: src.dir });
    await run(["make", "-C", src.dir, `O=${obj}`, "olddefconfig"], { env, quiet: true });
    const final = parseConfig(readFileSync(join(obj, ".config"), "utf8"));
    const lost = checkConfig(fragmentFiles().map((f) => ({ name: f.slice(fragmentsDir.length + 1), text: readFileSync(f, "utf8") })), final);
    if (lost.length) {
      throw new BuildError(`kernel options did not survive olddefconfig (a missing dependency?): ${lost.join(", ")}`);
    }
    phase("kernel", `compiling on ${cpus().length} cores (about 5 min on 2 cores)`);
    await run(["make", "-C", src.dir, `O=${obj}`, `-j${cpus().length}`, "bzImage", "vmlinux"], { env, quiet: true });
    const staged = cached + ".tmp";
    mkdirSync(staged, { recursive: true });
    copyFileSync(join(obj, "arch/x86/boot/bzImage"), join(staged, "bzImage"));
    copyFileSync(join(obj, "vmlinux"), join(staged, "vmlinux"));
    copyFileSync(join(obj, ".config"), join(staged, "config"));
    rmSync(cached, { recursive: true, force: true });
    await run(["mv", staged, cached]);
    rmSync(obj, { recursive: true, force: true });
  }
  copyAll(cached, outDir);
  writeFileSync(stamp, hash + "\n");
  phase("kernel", `ready: build/kernel/bzImage (${hash})`);
  return { hash, dir: outDir };
}

if (import.meta.main) await main(async () => void (await buildKernel()));
