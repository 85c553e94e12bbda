// make rootfs: tsbox + trampoline + shared libraries + /etc -> build/image/rootfs.erofs.
// Reproducible: fixed timestamps, UUID and ownership; two runs give the same bytes.
import { chmodSync, copyFileSync, cpSync, mkdirSync, readdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { phase, main, BuildError } from "./lib/progress.ts";
import { run, requireTool } from "./lib/run.ts";
import { programs } from "../lib/tsbox/programs.ts";

const root = resolve(import.meta.dir, "..");
const imageDir = join(root, "build", "image");
const staging = join(root, "build", "rootfs");
/** A fixed filesystem UUID: the image is the same bytes wherever it is built. */
export const ROOTFS_UUID = "7e05c0de-0000-4000-8000-000000000001";
const EMPTY_DIRS = ["proc", "sys", "dev", "run", "tmp", "root", "var", "mnt", "home", "usr/bin", "usr/sbin", "sbin"];

/** Parse `ldd` output into the absolute library paths the loader will open. */
export function parseLdd(text: string): string[] {
  const libs: string[] = [];
  for (const line of text.split("\n")) {
    const arrow = /=>\s+(\/\S+)\s+\(/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(/.exec(line);
    const path = arrow?.[1] ?? bare?.[1];
    if (path) libs.push(path);
    else if (/not found/.test(line)) throw new BuildError(`ldd: ${line.trim()}`);
  }
  return libs;
}

async function compileTsbox(out: string): Promise<void> {
  phase("rootfs", "compiling tsbox (bun build --compile)");
  const bun = process.execPath;
  // --sourcemap embeds the map for readable guest stack traces; the side file it also writes is dropped.
  // --bytecode: precompiled JavaScriptCore bytecode; parsing ~1 MiB of JS costs most of a second under TCG.
  await run([bun, "build", "--compile", "--minify", "--sourcemap", "--bytecode", join(root, "lib/tsbox/main.ts"), "--outfile", out], { quiet: true, cwd: root });
  rmSync(out + ".map", { force: true });
}

async function compileTrampoline(out: string): Promise<void> {
  phase("rootfs", "compiling /init trampoline (musl, static)");
  const cc = requireTool("musl-gcc", "musl-tools");
  await run([cc, "-static", "-Os", "-s", "-Wall", "-Wextra", "-Werror", "-o", out, join(import.meta.dir, "trampoline/init.c")], { quiet: true });
}

async function copyLibraries(exe: string): Promise<string[]> {
  const libs = parseLdd(await run(["ldd", exe], { capture: true }));
  for (const lib of libs) {
    const dest = join(staging, lib);
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(realpathSync(lib), dest);
    chmodSync(dest, 0o755);
  }
  return libs;
}

function layLinks(): void {
  for (const p of programs) {
    for (const link of p.links) {
      const path = join(staging, link);
      mkdirSync(dirname(path), { recursive: true });
      symlinkSync(relative(dirname(link), "/bin/tsbox") || "tsbox", path);
    }
  }
}

export async function buildRootfs(): Promise<string> {
  const mkfs = requireTool("mkfs.erofs", "erofs-utils");
  rmSync(staging, { recursive: true, force: true });
  for (const d of ["bin", ...EMPTY_DIRS]) mkdirSync(join(staging, d), { recursive: true });
  chmodSync(join(staging, "tmp"), 0o1777);
  const tsbox = join(staging, "bin", "tsbox");
  await compileTsbox(tsbox);
  await compileTrampoline(join(staging, "init"));
  const libs = await copyLibraries(tsbox);
  phase("rootfs", `libraries from ldd: ${libs.join(" ")}`);
  layLinks();
  cpSync(join(import.meta.dir, "etc"), join(staging, "etc"), { recursive: true });
  for (const f of readdirSync(join(staging, "etc"))) chmodSync(join(staging, "etc", f), 0o644);
  mkdirSync(imageDir, { recursive: true });
  const out = join(imageDir, "rootfs.erofs");
  phase("rootfs", "mkfs.erofs (lz4hc)");
  rmSync(out, { force: true });
  await run([mkfs, "-zlz4hc,12", "-T0", `-U${ROOTFS_UUID}`, "--all-root", "--quiet", out, staging], { quiet: true });
  return out;
}

if (import.meta.main) await main(async () => void (await buildRootfs()));
