import { test, expect } from "bun:test";
import { Cmdline, defaultCmdline } from "./cmdline.ts";
import { virtioMmioSlot } from "./layout.ts";

test("the default line: serial console, virtio-mmio devices, read-only erofs root", () => {
  const c = defaultCmdline(2048, [virtioMmioSlot(0), virtioMmioSlot(1)]).toString();
  expect(c).toBe(
    "console=ttyS0 earlycon=uart8250,io,0x3f8 virtio_mmio.device=4K@0xd0000000:5 virtio_mmio.device=4K@0xd0001000:6 root=/dev/vda ro rootfstype=erofs init=/init",
  );
  const b = defaultCmdline(2048).bytes();
  expect(b.at(-1)).toBe(0);
  expect(b.indexOf(0)).toBe(b.length - 1);
});

test("length limit counts the terminating NUL", () => {
  expect(new Cmdline(6).add("abcde").toString()).toBe("abcde");
  expect(() => new Cmdline(5).add("abcde")).toThrow(/accepts 5/);
  const c = new Cmdline(8).add("ab");
  expect(() => c.add("cdefg")).toThrow(/would be 9 bytes/);
  expect(c.toString()).toBe("ab"); // a refused parameter leaves the line as it was
});

test("NUL, newline and non-ASCII bytes are rejected", () => {
  for (const bad of ["a\0b", "quiet\n", "x\ry", "é"]) expect(() => new Cmdline(100).add(bad)).toThrow(/kernel parameter/);
});
