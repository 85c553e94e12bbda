// Integration: ci/boot-qemu boots the real kernel and image under QEMU (TCG here, ~2 s
// to the hello; KVM where hardware-accelerated) and must see the hello and a clean power-off.
import { expect, test } from "bun:test";
import { resolve } from "node:path";

const root = resolve(import.meta.dir, "..");

test("the guest boots to init's hello on the serial console and powers off cleanly", async () => {
  const p = Bun.spawn([resolve(root, "ci/boot-qemu"), "--timeout", "150"], { stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
  const code = await p.exited;
  process.stdout.write(out);
  if (code !== 0) process.stderr.write(err);
  expect(out).toMatch(/^tsos: hello from init \(pid 1\) kernel=6\.1\.\d+ t=\d+$/m);
  expect(out).toContain("boot-qemu: ok");
  expect(code).toBe(0);
}, 180_000);
