// Boot the built image under QEMU with the serial console on this terminal.
// Used by `make run` until the native launcher's `tsos run` takes over. Ctrl-A X quits.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { detectAccel } from "./accel.ts";
import { qemuArgs } from "./args.ts";

export async function runInteractive(imageDir: string, extraCmdline: string[] = []): Promise<number> {
  const kernel = join(imageDir, "bzImage");
  const rootfs = join(imageDir, "rootfs.erofs");
  for (const f of [kernel, rootfs]) if (!existsSync(f)) {
    console.error(`run: ${f} missing: run 'make image' first`);
    return 2;
  }
  const { accel, reason } = detectAccel();
  console.log(`run: booting ${rootfs} under QEMU (${accel}: ${reason})`);
  console.log("run: serial console follows; quit with Ctrl-A then X");
  const p = Bun.spawn(qemuArgs({ kernel, rootfs, accel, serial: "stdio", append: extraCmdline }), { stdio: ["inherit", "inherit", "inherit"] });
  return await p.exited;
}

if (import.meta.main) process.exit(await runInteractive(resolve(import.meta.dir, "../../../build/image"), process.argv.slice(2)));
