// setupLinuxBoot end to end over plain bytes: with the built kernel (bzImage and vmlinux) the guest RAM
// must hold exactly what the boot protocol says, where the registers point.
import { test, expect, describe } from "bun:test";
import { setupLinuxBoot } from "./linux.ts";
import { parseBzImage, HDR } from "./bzimage.ts";
import { parseElfKernel } from "./elf.ts";
import { readE820, ZP } from "./zeropage.ts";
import { framebufferFor, SI } from "./screeninfo.ts";
import { defaultCmdline } from "./cmdline.ts";
import { guestRam } from "./memory.ts";
import { E820_RAM, E820_RESERVED } from "./e820.ts";
import { CMDLINE_ADDR, FRAMEBUFFER_BASE, MiB, ZERO_PAGE_ADDR, virtioMmioSlot } from "./layout.ts";
import { BootError } from "./errors.ts";
import { HSI, START_INFO_SIZE, XEN_HVM_START_MAGIC } from "./pvh.ts";
import { builtKernel, builtKernelMissing } from "./testkernel.ts";

const haveKernel = builtKernelMissing("setupLinuxBoot tests with the real kernel") === null;
const load = builtKernel;

const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o, true);
const cstring = (b: Uint8Array, o: number) => String.fromCharCode(...b.subarray(o, b.indexOf(0, o)));
const cmdline = defaultCmdline(2048, [virtioMmioSlot(0)]).toString();

function expectDisjoint(writes: { what: string; gpa: number; size: number }[]): void {
  const sorted = [...writes].sort((a, b) => a.gpa - b.gpa);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    expect([a.what, b.what, a.gpa + a.size <= b.gpa]).toEqual([a.what, b.what, true]);
  }
}

describe.skipIf(!haveKernel)("with the built kernel", () => {
  test("bzImage: kernel at 1 MiB, zero page, command line, initrd, e820 and framebuffer all where the registers say", () => {
    const ram = new Uint8Array(64 * MiB);
    const image = load("bzImage");
    const initrd = new Uint8Array(300_000).map((_, i) => i & 0xff);
    const fb = framebufferFor(FRAMEBUFFER_BASE, 800, 600);
    const boot = setupLinuxBoot({ memory: ram, kernel: image, initrd, cmdline, cpus: 2, framebuffer: fb });
    const bz = parseBzImage(image);
    expect(boot.kernel).toMatchObject({ format: "bzImage", entry: 0x100200 });
    expect(boot.registers.rip).toBe(0x100200);
    expect(Buffer.compare(ram.subarray(0x100000, 0x100000 + bz.kernel.length), bz.kernel)).toBe(0);
    const zp = ram.subarray(boot.registers.rsi, boot.registers.rsi + 4096);
    expect(boot.registers.rsi).toBe(ZERO_PAGE_ADDR);
    expect(u32(zp, HDR.header)).toBe(0x53726448);
    expect(zp[HDR.type_of_loader]).toBe(0xff);
    expect(cstring(ram, u32(zp, HDR.cmd_line_ptr))).toBe(cmdline);
    const rdAddr = u32(zp, HDR.ramdisk_image);
    expect(u32(zp, HDR.ramdisk_size)).toBe(initrd.length);
    expect(ram.subarray(rdAddr, rdAddr + initrd.length)).toEqual(initrd);
    expect(rdAddr % 4096).toBe(0);
    expect(rdAddr).toBeGreaterThanOrEqual(0x1000000 + bz.initSize); // clear of the decompression window
    expect(readE820(zp)).toEqual(boot.e820);
    expect(boot.e820).toContainEqual({ addr: FRAMEBUFFER_BASE, size: fb.size, type: E820_RESERVED });
    expect(u32(zp, ZP.screen_info + SI.lfb_base)).toBe(FRAMEBUFFER_BASE);
    expectDisjoint(boot.writes);
    // Every write is RAM or the reserved EBDA (the MP table), never a hole.
    for (const w of boot.writes) {
      const inside = boot.e820.some((e) => w.gpa >= e.addr && w.gpa + w.size <= e.addr + e.size && (e.type === E820_RAM || w.what === "mptable"));
      expect([w.what, inside]).toEqual([w.what, true]);
    }
  });

  test("vmlinux: segments at their physical addresses with .bss zeroed, entry startup_64, no setup header needed", () => {
    const ram = new Uint8Array(64 * MiB).fill(0xaa);
    const image = load("vmlinux");
    const boot = setupLinuxBoot({ memory: guestRam(ram), kernel: image, cmdline, cpus: 1 });
    const elf = parseElfKernel(image);
    expect(boot.kernel.format).toBe("vmlinux");
    expect(boot.registers.rip).toBe(elf.entry64);
    expect(boot.kernel.pvhEntry32).toBe(elf.pvhEntry32!);
    for (const s of elf.segments) {
      expect(Buffer.compare(ram.subarray(s.paddr, s.paddr + s.data.length), s.data)).toBe(0);
      expect(ram.subarray(s.paddr + s.data.length, s.paddr + s.memSize).every((b) => b === 0)).toBe(true);
    }
    const zp = ram.subarray(ZERO_PAGE_ADDR, ZERO_PAGE_ADDR + 4096);
    expect(u32(zp, HDR.header)).toBe(0x53726448);
    expect(u32(zp, HDR.cmdline_size)).toBe(2047);
    expect(cstring(ram, CMDLINE_ADDR)).toBe(cmdline);
    expectDisjoint(boot.writes);
  });

  test("PVH: start_info with the memory map and initrd module, 32-bit protected-mode registers at the note's entry", () => {
    const ram = new Uint8Array(64 * MiB);
    const initrd = new Uint8Array(8192).fill(7);
    const boot = setupLinuxBoot({ memory: ram, kernel: load("vmlinux"), initrd, cmdline, cpus: 1, protocol: "pvh" });
    const r = boot.registers;
    expect(boot.protocol).toBe("pvh");
    expect(r.rip).toBe(boot.kernel.pvhEntry32!);
    expect(r.cr0).toBe(0x11);
    expect([r.cr3, r.cr4, r.efer]).toEqual([0, 0, 0]);
    expect(r.cs).toMatchObject({ l: false, db: true, limit: 0xffffffff });
    const info = ram.subarray(r.rbx, r.rbx + START_INFO_SIZE);
    const dv = new DataView(info.buffer, info.byteOffset);
    expect(dv.getUint32(HSI.magic, true)).toBe(XEN_HVM_START_MAGIC);
    expect(cstring(ram, Number(dv.getBigUint64(HSI.cmdline_paddr, true)))).toBe(cmdline);
    expect(dv.getUint32(HSI.nr_modules, true)).toBe(1);
    const mod = Number(dv.getBigUint64(HSI.modlist_paddr, true));
    expect(Number(new DataView(ram.buffer).getBigUint64(mod, true))).toBe(boot.initrd!.addr);
    const map = Number(dv.getBigUint64(HSI.memmap_paddr, true));
    const entries = dv.getUint32(HSI.memmap_entries, true);
    const read = Array.from({ length: entries }, (_, i) => {
      const m = new DataView(ram.buffer, map + i * 24);
      return { addr: Number(m.getBigUint64(0, true)), size: Number(m.getBigUint64(8, true)), type: m.getUint32(16, true) };
    });
    expect(read).toEqual(boot.e820);
    expectDisjoint(boot.writes);
  });

  test("PVH refuses a bzImage and a framebuffer", () => {
    const ram = new Uint8Array(64 * MiB);
    expect(() => setupLinuxBoot({ memory: ram, kernel: load("bzImage"), cmdline, cpus: 1, protocol: "pvh" })).toThrow(/PVH entry note/);
    expect(() => setupLinuxBoot({ memory: ram, kernel: load("vmlinux"), cmdline, cpus: 1, protocol: "pvh", framebuffer: framebufferFor(FRAMEBUFFER_BASE, 64, 64) })).toThrow(/framebuffer/);
  });

  test("too little memory, a command line over cmdline_size, or an initrd that cannot fit: BootErrors", () => {
    const image = load("bzImage");
    expect(() => setupLinuxBoot({ memory: new Uint8Array(16 * MiB), kernel: image, cmdline, cpus: 1 })).toThrow(/give the VM more memory/);
    expect(() => setupLinuxBoot({ memory: new Uint8Array(64 * MiB), kernel: image, cmdline: "x".repeat(3000), cpus: 1 })).toThrow(/accepts 2048/);
    expect(() => setupLinuxBoot({ memory: new Uint8Array(40 * MiB), kernel: image, initrd: new Uint8Array(16 * MiB), cmdline, cpus: 1 })).toThrow(BootError);
    expect(() => setupLinuxBoot({ memory: new Uint8Array(64 * MiB), kernel: image, cmdline, cpus: 0 })).toThrow(/vCPUs/);
  });
});

test("a file that is neither bzImage nor ELF is refused before anything is written", () => {
  const ram = new Uint8Array(8 * MiB);
  expect(() => setupLinuxBoot({ memory: ram, kernel: new Uint8Array(4096).fill(0x90), cmdline: "", cpus: 1 })).toThrow(/neither a bzImage/);
  expect(ram.every((b) => b === 0)).toBe(true);
});
