// Put everything a Linux kernel needs for its 64-bit entry into guest RAM and say how to start the boot
// vCPU. Backend-neutral: the caller gives RAM as bytes (or a writer) and gets plain register values.
import { BootError, hex } from "./errors.ts";
import { isBzImage, parseBzImage, protocolString } from "./bzimage.ts";
import { isElf, parseElfKernel } from "./elf.ts";
import { Cmdline } from "./cmdline.ts";
import { e820Map, type E820Entry } from "./e820.ts";
import { placeInitrd } from "./initrd.ts";
import { zeroPage } from "./zeropage.ts";
import { screenInfo, type Framebuffer } from "./screeninfo.ts";
import { identityPageTables } from "./pagetables.ts";
import { gdtBytes } from "./gdt.ts";
import { mptable, MPTABLE_ADDR } from "./mptable.ts";
import { longModeRegisters, type BootRegisters } from "./registers.ts";
import { guestRam, type GuestMemoryWriter } from "./memory.ts";
import { CMDLINE_ADDR, CMDLINE_MAX, GDT_ADDR, HIMEM_START, IDT_ADDR, KERNEL_LOAD_ADDR, ZERO_PAGE_ADDR } from "./layout.ts";

/** x86's COMMAND_LINE_SIZE: the limit for a vmlinux, which has no cmdline_size field. */
const VMLINUX_CMDLINE_SIZE = 2048;
/** initrd_addr_max for a vmlinux (the protocol's default for kernels that do not say). */
const VMLINUX_INITRD_ADDR_MAX = 0x7fffffff;

export interface LinuxBootInput {
  /** Guest RAM: one host buffer laid out as ramRegions() says, or a writer over the backend's memory. */
  memory: Uint8Array | GuestMemoryWriter;
  /** A bzImage or an uncompressed vmlinux ELF. */
  kernel: Uint8Array;
  initrd?: Uint8Array;
  cmdline: string;
  cpus: number;
  framebuffer?: Framebuffer;
}

export interface BootWrite {
  what: string;
  gpa: number;
  size: number;
}

export interface LinuxBoot {
  registers: BootRegisters;
  e820: E820Entry[];
  kernel: { format: "bzImage" | "vmlinux"; entry: number; protocol?: string; pvhEntry32?: number };
  initrd?: { addr: number; size: number };
  writes: BootWrite[];
}

export function setupLinuxBoot(input: LinuxBootInput): LinuxBoot {
  const mem = input.memory instanceof Uint8Array ? guestRam(input.memory) : input.memory;
  const memSize = mem.regions.reduce((n, r) => n + r.size, 0);
  const lowEnd = mem.regions[0]!.gpa + mem.regions[0]!.size;
  const writes: BootWrite[] = [];
  const put = (what: string, gpa: number, data: Uint8Array) => {
    mem.write(gpa, data);
    writes.push({ what, gpa, size: data.length });
  };

  let kernel: LinuxBoot["kernel"];
  let setupHeader: Uint8Array | undefined;
  let cmdlineCapacity: number;
  let initrdAddrMax: number;
  let kernelEnd: number;
  if (isBzImage(input.kernel)) {
    const bz = parseBzImage(input.kernel);
    put("kernel", KERNEL_LOAD_ADDR, bz.kernel);
    // A relocatable kernel decompresses at max(load address, pref_address) and needs init_size there.
    kernelEnd = Math.max(KERNEL_LOAD_ADDR, bz.prefAddress) + bz.initSize;
    setupHeader = bz.setupHeader;
    cmdlineCapacity = Math.min(bz.cmdlineSize + 1, CMDLINE_MAX);
    initrdAddrMax = bz.initrdAddrMax;
    kernel = { format: "bzImage", entry: KERNEL_LOAD_ADDR + 0x200, protocol: protocolString(bz.version) };
  } else if (isElf(input.kernel)) {
    const elf = parseElfKernel(input.kernel);
    if (elf.start < HIMEM_START) throw new BootError("memory-layout", `vmlinux loads at ${hex(elf.start)}, below 1 MiB where the boot structures live`);
    for (const s of elf.segments) {
      put("kernel segment", s.paddr, s.data);
      if (s.memSize > s.data.length) mem.view(s.paddr + s.data.length, s.memSize - s.data.length).fill(0);
    }
    kernelEnd = elf.end;
    cmdlineCapacity = VMLINUX_CMDLINE_SIZE;
    initrdAddrMax = VMLINUX_INITRD_ADDR_MAX;
    kernel = { format: "vmlinux", entry: elf.entry64, ...(elf.pvhEntry32 !== undefined ? { pvhEntry32: elf.pvhEntry32 } : {}) };
  } else {
    throw new BootError("kernel-format", "kernel is neither a bzImage (no HdrS) nor an ELF vmlinux");
  }
  if (kernelEnd > lowEnd) throw new BootError("memory-layout", `kernel needs RAM up to ${hex(kernelEnd)} but low RAM ends at ${hex(lowEnd)}: give the VM more memory`);

  const cmdline = new Cmdline(cmdlineCapacity).add(input.cmdline);
  put("cmdline", CMDLINE_ADDR, cmdline.bytes());

  let initrd: LinuxBoot["initrd"];
  if (input.initrd) {
    const addr = placeInitrd(lowEnd, input.initrd.length, initrdAddrMax, kernelEnd);
    put("initrd", addr, input.initrd);
    initrd = { addr, size: input.initrd.length };
  }

  const e820 = e820Map(memSize, input.framebuffer ? { base: input.framebuffer.base, size: input.framebuffer.size } : undefined);
  const page = zeroPage({
    ...(setupHeader ? { setupHeader } : {}),
    cmdlineAddr: CMDLINE_ADDR,
    cmdlineSize: cmdlineCapacity - 1,
    ...(initrd ? { initrd } : {}),
    e820,
    ...(input.framebuffer ? { screenInfo: screenInfo(input.framebuffer) } : {}),
  });
  put("zero page", ZERO_PAGE_ADDR, page);
  for (const t of identityPageTables()) put("page table", t.gpa, t.bytes);
  put("gdt", GDT_ADDR, gdtBytes());
  put("idt", IDT_ADDR, new Uint8Array(8));
  put("mptable", MPTABLE_ADDR, mptable(input.cpus));

  return { registers: longModeRegisters(kernel.entry), e820, kernel, ...(initrd ? { initrd } : {}), writes };
}
