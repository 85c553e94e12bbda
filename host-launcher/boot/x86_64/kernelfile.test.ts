// bzImage and vmlinux parsing against the kernel this repository builds (build/kernel/, from
// `make kernel`), and against truncated and corrupted copies of it: each must fail with a BootError
// that names the problem, never a RangeError or a wrong load.
import { test, expect, describe } from "bun:test";
import { parseBzImage, HDR, XLF_KERNEL_64, ENTRY64_OFFSET } from "./bzimage.ts";
import { parseElfKernel, XEN_ELFNOTE_PHYS32_ENTRY } from "./elf.ts";
import { BootError, type BootErrorCode } from "./errors.ts";
import { builtKernel, builtKernelMissing } from "./testkernel.ts";

const haveKernel = builtKernelMissing("real-kernel parsing tests") === null;
const load = builtKernel;

function expectBootError(f: () => unknown, code: BootErrorCode, message: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(BootError);
  expect((err as BootError).code).toBe(code);
  expect((err as BootError).message).toMatch(message);
  expect((err as BootError).message).not.toContain("\n");
}

function patched(image: Uint8Array, offset: number, bytes: number[]): Uint8Array {
  const copy = image.slice();
  copy.set(bytes, offset);
  return copy;
}

describe.skipIf(!haveKernel)("the built bzImage", () => {
  test("parses: protocol >= 2.12, 64-bit entry, header fields consistent with the file", () => {
    const image = load("bzImage");
    const bz = parseBzImage(image);
    expect(bz.version).toBeGreaterThanOrEqual(0x20c);
    expect(bz.xloadflags & XLF_KERNEL_64).toBe(XLF_KERNEL_64);
    expect(bz.setupHeader.length).toBeGreaterThan(0x60);
    expect((bz.setupSects + 1) * 512 + bz.kernel.length).toBe(image.length);
    expect(bz.kernel.length).toBe(new DataView(image.buffer).getUint32(HDR.syssize, true) * 16);
    expect(bz.prefAddress).toBe(0x1000000);
    expect(bz.initSize).toBeGreaterThan(bz.kernel.length);
    expect(bz.cmdlineSize).toBeGreaterThanOrEqual(255);
    expect(bz.kernelAlignment & (bz.kernelAlignment - 1)).toBe(0);
    // startup_64 sits 0x200 into the protected-mode code; in the compressed kernel it begins with cld.
    expect(bz.kernel[ENTRY64_OFFSET]).toBe(0xfc);
  });

  test("truncated copies are rejected with the reason", () => {
    const image = load("bzImage");
    expectBootError(() => parseBzImage(image.subarray(0, 0x100)), "kernel-truncated", /too short for a setup header/);
    expectBootError(() => parseBzImage(image.subarray(0, 0x1000)), "kernel-truncated", /setup sectors end at/);
    expectBootError(() => parseBzImage(image.subarray(0, image.length - 1000)), "kernel-truncated", /truncated/);
  });

  test("corrupted headers are rejected with the reason", () => {
    const image = load("bzImage");
    expectBootError(() => parseBzImage(patched(image, HDR.header, [0x48, 0x64, 0x72, 0x54])), "kernel-format", /HdrS/);
    expectBootError(() => parseBzImage(patched(image, HDR.boot_flag, [0, 0])), "kernel-format", /boot_flag/);
    expectBootError(() => parseBzImage(patched(image, HDR.version, [0x0b, 0x02])), "kernel-unsupported", /2\.11 is too old/);
    expectBootError(() => parseBzImage(patched(image, HDR.xloadflags, [0, 0])), "kernel-unsupported", /XLF_KERNEL_64/);
    expectBootError(() => parseBzImage(patched(image, HDR.loadflags, [0])), "kernel-unsupported", /zImage/);
    expectBootError(() => parseBzImage(patched(image, HDR.kernel_alignment, [0, 0x30, 0, 0])), "kernel-format", /power of two/);
    expectBootError(() => parseBzImage(patched(image, HDR.init_size, [0, 0x10, 0, 0])), "kernel-format", /init_size/);
    expectBootError(() => parseBzImage(patched(image, HDR.setup_sects, [0xff])), "kernel-truncated", /truncated/);
  });
});

describe.skipIf(!haveKernel)("the built vmlinux", () => {
  test("parses: segments at their physical addresses, entry = e_entry, PVH entry from the Xen note", () => {
    const elf = parseElfKernel(load("vmlinux"));
    expect(elf.start).toBe(0x1000000);
    expect(elf.entry64).toBe(0x1000000);
    expect(elf.segments.length).toBeGreaterThanOrEqual(2);
    for (const s of elf.segments) expect(s.memSize).toBeGreaterThanOrEqual(s.data.length);
    // pvh_start_xen lies inside the kernel text (kernel-config enables PVH).
    expect(elf.pvhEntry32).toBeGreaterThan(elf.start);
    expect(elf.pvhEntry32!).toBeLessThan(elf.end);
  });

  test("truncated and corrupted copies are rejected", () => {
    const image = load("vmlinux");
    expectBootError(() => parseElfKernel(image.subarray(0, 40)), "kernel-truncated", /too short/);
    expectBootError(() => parseElfKernel(image.subarray(0, 0x300000)), "kernel-truncated", /runs past the end/);
    expectBootError(() => parseElfKernel(patched(image, 4, [1])), "kernel-format", /ELF64/);
    expectBootError(() => parseElfKernel(patched(image, 18, [3, 0])), "kernel-format", /not x86-64/);
    expectBootError(() => parseElfKernel(patched(image, 56, [0xff, 0xff])), "kernel-format", /program headers/);
    expectBootError(() => parseElfKernel(patched(image, 32, [0, 0, 0, 0x7f, 0, 0, 0, 0])), "kernel-truncated", /program headers end/);
    expectBootError(() => parseElfKernel(patched(image, 24, [0, 0, 0, 0, 0, 0, 0, 0x10])), "kernel-format", /entry point/);
  });
});

describe("synthetic ELF", () => {
  /** A minimal ELF64 with one PT_LOAD (virtual kernel address) and an optional Xen note. */
  function makeElf(opts: { entry: bigint; note?: boolean; memSize?: number }): Uint8Array {
    const b = new Uint8Array(0x400);
    const dv = new DataView(b.buffer);
    b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    dv.setUint16(16, 2, true);
    dv.setUint16(18, 62, true);
    dv.setBigUint64(24, opts.entry, true);
    dv.setBigUint64(32, 64n, true);
    dv.setUint16(54, 56, true);
    dv.setUint16(56, opts.note ? 2 : 1, true);
    const ph = (i: number, type: number, off: number, vaddr: bigint, paddr: number, filesz: number, memsz: number) => {
      const o = 64 + i * 56;
      dv.setUint32(o, type, true);
      dv.setBigUint64(o + 8, BigInt(off), true);
      dv.setBigUint64(o + 16, vaddr, true);
      dv.setBigUint64(o + 24, BigInt(paddr), true);
      dv.setBigUint64(o + 32, BigInt(filesz), true);
      dv.setBigUint64(o + 40, BigInt(memsz), true);
    };
    ph(0, 1, 0x200, 0xffffffff81000000n, 0x1000000, 0x100, opts.memSize ?? 0x1000);
    if (opts.note) {
      ph(1, 4, 0x300, 0n, 0, 24, 24);
      dv.setUint32(0x300, 4, true);
      dv.setUint32(0x304, 8, true);
      dv.setUint32(0x308, XEN_ELFNOTE_PHYS32_ENTRY, true);
      b.set([0x58, 0x65, 0x6e, 0], 0x30c);
      dv.setUint32(0x310, 0x1000040, true);
    }
    return b;
  }

  test("a virtual e_entry is translated through its segment", () => {
    expect(parseElfKernel(makeElf({ entry: 0xffffffff81000010n })).entry64).toBe(0x1000010);
    expect(parseElfKernel(makeElf({ entry: 0x1000020n })).entry64).toBe(0x1000020);
  });

  test("the Xen PHYS32_ENTRY note is found; bss extends memSize", () => {
    const elf = parseElfKernel(makeElf({ entry: 0x1000000n, note: true }));
    expect(elf.pvhEntry32).toBe(0x1000040);
    expect(elf.end).toBe(0x1001000);
  });

  test("p_memsz smaller than p_filesz is refused", () => {
    expectBootError(() => parseElfKernel(makeElf({ entry: 0x1000000n, memSize: 0x10 })), "kernel-format", /p_memsz/);
  });
});
