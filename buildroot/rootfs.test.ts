import { expect, test } from "bun:test";
import { parseLdd } from "./rootfs.ts";

test("parseLdd lists the loader and every resolved library, not the vdso", () => {
  const out = `\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f10)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f10)\n`;
  expect(parseLdd(out)).toEqual(["/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"]);
});

test("parseLdd refuses a library ldd could not find", () => {
  expect(() => parseLdd("\tlibfoo.so.1 => not found\n")).toThrow(/libfoo/);
});
