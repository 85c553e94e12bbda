// make bench-boot: boot (a) a tiny static C init and (b) tsos init on the same
// kernel, same QEMU machine and accelerator, N times each; print medians and b/a.
// (c) tsos init on the native KVM launcher, where preflight measures hardware KVM;
// on emulation-grade KVM that row says so instead of a number.
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { detectAccel } from "../host-launcher/backends/qemu/accel.ts";
import { bootAndCapture, type BootResult } from "../host-launcher/backends/qemu/harness.ts";
import { run } from "../buildroot/lib/run.ts";
import { ROOTFS_UUID } from "../buildroot/rootfs.ts";
import { probeKvmSpeed } from "../host-launcher/preflight/kvm.ts";
import { bootNativeAndCapture } from "../host-launcher/vmm/native-boot.ts";

const root = resolve(import.meta.dir, "..");
const image = join(root, "build/image");
const work = join(root, "build/bench");
// `bun bench/boot.ts --runs N` (default 5).
const runsAt = process.argv.indexOf("--runs");
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;

interface Sample {
  initMs: number;
  helloMs: number;
  hostMs: number;
  memUsedKiB: number;
}

async function buildTinyImage(): Promise<string> {
  const tree = join(work, "tiny-root");
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(join(tree, "proc"), { recursive: true });
  mkdirSync(join(tree, "dev"), { recursive: true });
  await run(["musl-gcc", "-static", "-Os", "-s", "-o", join(tree, "init"), join(import.meta.dir, "tiny-init.c")], { quiet: true });
  const out = join(work, "tiny.erofs");
  rmSync(out, { force: true });
  await run(["mkfs.erofs", "-zlz4hc,12", "-T0", `-U${ROOTFS_UUID}`, "--all-root", "--quiet", out, tree], { quiet: true });
  return out;
}

function helloArrival(r: BootResult, re: RegExp): number {
  const i = r.lines.findIndex((l) => re.test(l));
  return i < 0 ? NaN : r.arrivals[i]!;
}

function sampleTiny(r: BootResult): Sample {
  const m = r.lines.map((l) => /^tiny: hello t=(\d+) memUsedKiB=(\d+)/.exec(l)).find(Boolean);
  if (!m || r.exitCode !== 0) throw new Error(`tiny init boot failed:\n${r.lines.slice(-20).join("\n")}`);
  const t = Number(m[1]);
  return { initMs: t, helloMs: t, hostMs: helloArrival(r, /^tiny: hello/), memUsedKiB: Number(m[2]) };
}

function sampleTsos(r: BootResult): Sample {
  const line = r.lines.find((l) => l.startsWith("tsos: boot-stats "));
  if (!line || r.exitCode !== 0) throw new Error(`tsos boot failed:\n${r.lines.slice(-20).join("\n")}`);
  const s = JSON.parse(line.slice("tsos: boot-stats ".length)) as { initStartMs: number; helloMs: number; memUsedKiB: number };
  return { initMs: s.initStartMs, helloMs: s.helloMs, hostMs: helloArrival(r, /^tsos: hello from init/), memUsedKiB: s.memUsedKiB };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function zstdSize(path: string): Promise<number> {
  const out = join(work, "rootfs.erofs.zst");
  await run(["zstd", "-q", "-f", "-19", "-T0", path, "-o", out], { quiet: true });
  return statSync(out).size;
}

async function main(): Promise<void> {
  const kernel = join(image, "bzImage");
  const rootfs = join(image, "rootfs.erofs");
  if (!existsSync(kernel) || !existsSync(rootfs)) throw new Error("build/image missing: run 'make image'");
  mkdirSync(work, { recursive: true });
  const tiny = await buildTinyImage();
  const { accel, reason } = detectAccel();
  console.log(`bench-boot: ${RUNS} boots each, QEMU microvm, accelerator ${accel} (${reason})`);
  const samples = { tiny: [] as Sample[], tsos: [] as Sample[] };
  for (let i = 0; i < RUNS; i++) {
    // Interleave the two so drift in host load affects both alike.
    samples.tiny.push(sampleTiny(await bootAndCapture({ kernel, rootfs: tiny, accel, append: [] }, { timeoutMs: 60_000 })));
    samples.tsos.push(sampleTsos(await bootAndCapture({ kernel, rootfs, accel, append: ["tsos.test=poweroff"] }, { timeoutMs: 120_000 })));
  }
  const row = (name: string, ss: Sample[]) => {
    const m = (k: keyof Sample) => median(ss.map((s) => s[k]));
    return { name, init: m("initMs"), hello: m("helloMs"), host: m("hostMs"), mem: m("memUsedKiB") };
  };
  const a = row("(a) tiny static init", samples.tiny);
  const b = row("(b) tsos init", samples.tsos);
  const fmt = (n: number) => n.toFixed(0).padStart(8);
  const c = await nativeSamples(rootfs);
  console.log("\nmedian of " + RUNS + "           kernel→init  kernel→hello  launcher spawn→hello  mem used at hello");
  for (const r of [a, b]) console.log(`${r.name.padEnd(22)} ${fmt(r.init)} ms  ${fmt(r.hello)} ms  ${fmt(r.host)} ms           ${fmt(r.mem / 1024)} MiB`);
  if (typeof c === "string") console.log(`(c) tsos init, native   not measured: ${c}`);
  else {
    const n = row("(c) tsos init, native", c);
    console.log(`${n.name.padEnd(22)} ${fmt(n.init)} ms  ${fmt(n.hello)} ms  ${fmt(n.host)} ms           ${fmt(n.mem / 1024)} MiB   (Firecracker's published bar: ~125 ms to init)`);
  }
  console.log(`ratio b/a              ${(b.init / a.init).toFixed(2).padStart(8)}x    ${(b.hello / a.hello).toFixed(2).padStart(8)}x    ${(b.host / a.host).toFixed(2).padStart(8)}x       ${(b.mem / a.mem).toFixed(2).padStart(8)}x`);
  const mib = (n: number) => (n / 1048576).toFixed(1) + " MiB";
  console.log(`\nsizes: kernel bzImage ${mib(statSync(kernel).size)}, root image (erofs lz4hc) ${mib(statSync(rootfs).size)}, root image zstd -19 ${mib(await zstdSize(rootfs))}`);
}

/** (c): boots on the native launcher, or why it was not measured. */
async function nativeSamples(rootfs: string): Promise<Sample[] | string> {
  const vmlinux = join(image, "vmlinux");
  if (process.platform !== "linux" || !existsSync("/dev/kvm")) return "no /dev/kvm";
  if (!existsSync(vmlinux)) return `${vmlinux} missing`;
  const speed = probeKvmSpeed();
  if (!speed) return "/dev/kvm cannot be opened";
  if (speed.class !== "hardware-accelerated") return `emulation-grade KVM (${speed.nsPerInstruction.toFixed(0)} ns/instruction, ${speed.usPerExit.toFixed(1)} µs/exit; see 'tsos preflight')`;
  const out: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await bootNativeAndCapture({ kernel: vmlinux, disks: [{ path: rootfs, readOnly: true }], memoryMiB: 512, cpus: 1, cmdline: ["tsos.test=poweroff"], emulatedKvm: false }, { timeoutMs: 60_000 });
    out.push(sampleTsos(r));
  }
  return out;
}

await main();
