// ci/boot-qemu: boot the built image under QEMU and require the init hello and a
// clean power-off (QEMU exits 0). On failure print the last 50 serial lines.
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { detectAccel, type Accel } from "../host-launcher/backends/qemu/accel.ts";
import { bootAndCapture } from "../host-launcher/backends/qemu/harness.ts";

const root = resolve(import.meta.dir, "..");
const HELLO = /^tsos: hello from init \(pid 1\) kernel=(\S+) t=(\d+)$/;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function mainCheck(): Promise<number> {
  const kernel = join(root, "build/kernel/bzImage");
  const rootfs = join(root, "build/image/rootfs.erofs");
  for (const f of [kernel, rootfs]) if (!existsSync(f)) {
    console.error(`boot-qemu: ${f} missing: run 'make image' first`);
    return 2;
  }
  const choice = detectAccel();
  const accel = (arg("--accel") as Accel | undefined) ?? choice.accel;
  const timeoutMs = Number(arg("--timeout") ?? 120) * 1000;
  mkdirSync(join(root, "build/logs"), { recursive: true });
  const logFile = join(root, "build/logs/boot-qemu.log");
  console.log(`boot-qemu: accelerator ${accel} (${choice.reason}); serial log ${logFile}`);
  const r = await bootAndCapture({ kernel, rootfs, accel, append: ["tsos.test=poweroff"] }, { logFile, timeoutMs });
  const hello = r.lines.find((l) => HELLO.test(l));
  const problems: string[] = [];
  if (!hello) problems.push("no hello line from init");
  if (r.panic) problems.push(`kernel panic: ${r.panic}`);
  if (r.timedOut) problems.push(`timed out after ${timeoutMs / 1000} s`);
  else if (r.exitCode !== 0) problems.push(`QEMU exited with ${r.exitCode}`);
  if (problems.length) {
    console.error(`boot-qemu: FAILED: ${problems.join("; ")}\n--- last 50 serial lines ---`);
    console.error(r.lines.slice(-50).join("\n"));
    return 1;
  }
  console.log(hello);
  console.log(`boot-qemu: ok: hello and clean power-off in ${(r.wallMs / 1000).toFixed(2)} s wall`);
  return 0;
}

process.exit(await mainCheck());
