import { expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectAccel } from "./accel.ts";
import { kernelCmdline, qemuArgs } from "./args.ts";

test("accelerator detection reads the backing module, never assumes", () => {
  const d = mkdtempSync(join(tmpdir(), "tsos-accel-"));
  const kvm = join(d, "kvm");
  writeFileSync(kvm, "");
  const mods = join(d, "module");
  mkdirSync(mods);
  expect(detectAccel(mods, join(d, "absent")).accel).toBe("tcg");
  expect(detectAccel(mods, kvm)).toMatchObject({ accel: "tcg", reason: expect.stringContaining("backing unknown") });
  mkdirSync(join(mods, "kvm_intel"));
  expect(detectAccel(mods, kvm).accel).toBe("kvm");
  mkdirSync(join(mods, "kvm_pvm"));
  expect(detectAccel(mods, kvm)).toMatchObject({ accel: "tcg", reason: expect.stringContaining("emulation-grade") });
});

test("guest command line boots the erofs root through the trampoline", () => {
  const c = kernelCmdline(["tsos.test=poweroff"]).split(" ");
  expect(c).toEqual(expect.arrayContaining(["root=/dev/vda", "ro", "rootfstype=erofs", "init=/init", "console=ttyS0", "tsos.test=poweroff"]));
});

test("QEMU runs microvm without ACPI, exits on guest reset, and has an RNG", () => {
  const a = qemuArgs({ kernel: "k", rootfs: "r", accel: "tcg", serial: "pipe" });
  expect(a).toEqual(expect.arrayContaining(["microvm,acpi=off", "-no-reboot", "virtio-rng-device", "max"]));
  expect(qemuArgs({ kernel: "k", rootfs: "r", accel: "kvm", serial: "stdio", serialLog: "/x/serial.log" })).toEqual(expect.arrayContaining(["-enable-kvm", "host", "stdio,id=console,mux=on,signal=off,logfile=/x/serial.log"]));
});

test("a desktop adds modern virtio-mmio gpu, keyboard and tablet, and VNC on loopback or a unix socket only", () => {
  const a = qemuArgs({ kernel: "k", rootfs: "r", accel: "tcg", serial: "pipe", display: { width: 1024, height: 768, vnc: { display: 12, password: true } } });
  expect(a).toEqual(expect.arrayContaining(["virtio-mmio.force-legacy=false", "virtio-gpu-device,xres=1024,yres=768", "virtio-keyboard-device", "virtio-tablet-device", "127.0.0.1:12,password=on"]));
  expect(qemuArgs({ kernel: "k", rootfs: "r", accel: "tcg", serial: "pipe", display: { width: 800, height: 600, vnc: { socket: "/x/vnc.sock" } } })).toContain("unix:/x/vnc.sock");
  expect(qemuArgs({ kernel: "k", rootfs: "r", accel: "tcg", serial: "pipe" })).not.toContain("virtio-gpu-device,xres=1024,yres=768");
});
