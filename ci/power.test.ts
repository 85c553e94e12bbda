// Integration: the other ways a tsos guest ends or restarts, under QEMU.
import { expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";

const image = join(resolve(import.meta.dir, ".."), "build/image");
const guest = (config?: object | string) => new QemuVm({ ...imageGuest(image), withControl: true, config });

test("SIGTERM to PID 1 is an orderly power-off", async () => {
  const vm = guest({});
  try {
    await vm.waitFor(/init: boot complete/, 120_000);
    const c = await vm.control();
    await c.call("exec", { argv: ["/bin/tsbox", "-e", "process.kill(1, 'SIGTERM')"], env: { BUN_BE_BUN: "1" } });
    expect(await vm.exited).toBe(0);
    expect(vm.lines.some((l) => /poweroff: SIGTERM; stopping services/.test(l))).toBe(true);
    expect(vm.lines.some((l) => l === "tsos: init: powering off")).toBe(true);
  } finally {
    await vm.dispose();
  }
}, 150_000);

test("reboot says so on the console before the reset, so the host can start the VM again", async () => {
  const vm = guest({});
  try {
    await vm.waitFor(/init: boot complete/, 120_000);
    const c = await vm.control();
    await c.call("reboot");
    expect(await vm.exited).toBe(0);
    expect(vm.lines.some((l) => l === "tsos: init: rebooting")).toBe(true);
  } finally {
    await vm.dispose();
  }
}, 150_000);

test("a malformed vm.json is logged and the guest boots with defaults", async () => {
  const vm = guest('{"hostname": "not a valid name!"}');
  try {
    await vm.waitFor(/init: boot complete/, 120_000);
    expect(vm.lines.some((l) => /config \/dev\/vdb: vm.json: hostname must be/.test(l) && /booting with defaults/.test(l))).toBe(true);
    const c = await vm.control();
    expect((await c.call<{ hostname: string }>("status")).hostname).toBe("tsos");
    await c.call("shutdown");
    expect(await vm.exited).toBe(0);
  } finally {
    await vm.dispose();
  }
}, 150_000);
