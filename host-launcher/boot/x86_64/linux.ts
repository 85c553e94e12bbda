// Put everything a Linux kernel needs for its 64-bit entry into guest RAM and say how to start the boot
// vCPU. Backend-neutral: the caller gives RAM as bytes (or a writer) and gets plain register values.
import { BootError, hex } from "./errors.ts";
import { isBzImage, parseBzImage, protocolString, ENTRY64_OFFSET } from "./bzimage.ts";
import { isElf, parseElfKernel } from "./elf.ts";
import { Cmdline } from "./cmdline.ts";
import { e820Map, type E820Entry } from "./e820.ts";
import { placeInitrd } from "./initrd.ts";
import { zeroPage } from "./zeropage.ts";
import { screenInfo, type Framebuffer } from "./screeninfo.ts";
import { identityPageTables } from "./pagetables.ts";
import { gdtBytes, BOOT_GDT, PVH_GDT } from "./gdt.ts";
import { mptable, MPTABLE_ADDR } from "./mptable.ts";
import { longModeRegisters, pvhRegisters, type BootRegisters } from "./registers.ts";
import { pvhStartInfo, START_INFO_ADDR } from "./pvh.ts";
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
  /**
   * "linux64" (default): the 64-bit boot protocol with a zero page, for bzImage and vmlinux.
   * "pvh": a vmlinux's PVH entry with hvm_start_info; no framebuffer (the kernel's PVH path drops screen_info).
   */
  protocol?: "linux64" | "pvh";
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
  protocol: "linux64" | "pvh";
  initrd?: { addr: number; size: number };
  writes: BootWrite[];
}

/** What loading the kernel file decided: the parts of the layout that depend on the image. */
interface LoadedKernel {
  info: LinuxBoot["kernel"];
  setupHeader?: Uint8Array;
  cmdlineCapacity: number;
  initrdAddrMax: number;
  /** First byte above everything the kernel occupies while it starts. */
  end: number;
}

type Put = (what: string, gpa: number, data: Uint8Array) => void;

function loadBzImage(image: Uint8Array, put: Put): LoadedKernel {
  const bz = parseBzImage(image);
  put("kernel", KERNEL_LOAD_ADDR, bz.kernel);
  return {
    info: { format: "bzImage", entry: KERNEL_LOAD_ADDR + ENTRY64_OFFSET, protocol: protocolString(bz.version) },
    setupHeader: bz.setupHeader,
    cmdlineCapacity: Math.min(bz.cmdlineSize + 1, CMDLINE_MAX),
    initrdAddrMax: bz.initrdAddrMax,
    // The decompressor works at max(load address, pref_address) and needs init_size there.
    end: Math.max(KERNEL_LOAD_ADDR, bz.prefAddress) + bz.initSize,
  };
}

function loadVmlinux(image: Uint8Array, put: Put, mem: GuestMemoryWriter): LoadedKernel {
  const elf = parseElfKernel(image);
  if (elf.start < HIMEM_START) throw new BootError("memory-layout", `vmlinux loads at ${hex(elf.start)}, below 1 MiB where the boot structures live`);
  for (const s of elf.segments) {
    put("kernel segment", s.paddr, s.data);
    if (s.memSize > s.data.length) mem.view(s.paddr + s.data.length, s.memSize - s.data.length).fill(0);
  }
  return {
    info: { format: "vmlinux", entry: elf.entry64, ...(elf.pvhEntry32 !== undefined ? { pvhEntry32: elf.pvhEntry32 } : {}) },
    cmdlineCapacity: VMLINUX_CMDLINE_SIZE,
    initrdAddrMax: VMLINUX_INITRD_ADDR_MAX,
    end: elf.end,
  };
}

export function setupLinuxBoot(input: LinuxBootInput): LinuxBoot {
  if (input.protocol === "pvh" && input.framebuffer) {
    throw new BootError("kernel-unsupported", "PVH boot cannot describe a framebuffer to the kernel: use the 64-bit protocol");
  }
  const mem = input.memory instanceof Uint8Array ? guestRam(input.memory) : input.memory;
  const memSize = mem.regions.reduce((n, r) => n + r.size, 0);
  const lowEnd = mem.regions[0]!.gpa + mem.regions[0]!.size;
  const writes: BootWrite[] = [];
  const put: Put = (what, gpa, data) => {
    mem.write(gpa, data);
    writes.push({ what, gpa, size: data.length });
  };

  let k: LoadedKernel;
  if (isBzImage(input.kernel)) k = loadBzImage(input.kernel, put);
  else if (isElf(input.kernel)) k = loadVmlinux(input.kernel, put, mem);
  else throw new BootError("kernel-format", "kernel is neither a bzImage (no HdrS) nor an ELF vmlinux");
  if (k.end > lowEnd) throw new BootError("memory-layout", `kernel needs RAM up to ${hex(k.end)} but low RAM ends at ${hex(lowEnd)}: give the VM more memory`);

  put("cmdline", CMDLINE_ADDR, new Cmdline(k.cmdlineCapacity).add(input.cmdline).bytes());
  let initrd: LinuxBoot["initrd"];
  if (input.initrd) {
    const addr = placeInitrd(lowEnd, input.initrd.length, k.initrdAddrMax, k.end);
    put("initrd", addr, input.initrd);
    initrd = { addr, size: input.initrd.length };
  }
  const e820 = e820Map(memSize, input.framebuffer ? { base: input.framebuffer.base, size: input.framebuffer.size } : undefined);
  put("mptable", MPTABLE_ADDR, mptable(input.cpus));
  put("idt", IDT_ADDR, new Uint8Array(8));
  const done = { e820, kernel: k.info, ...(initrd ? { initrd } : {}), writes };

  if (input.protocol === "pvh") {
    if (k.info.pvhEntry32 === undefined) throw new BootError("kernel-unsupported", "PVH boot needs a vmlinux with a PVH entry note (CONFIG_PVH)");
    for (const w of pvhStartInfo({ cmdlineAddr: CMDLINE_ADDR, ...(initrd ? { initrd } : {}), e820 })) put(w.what, w.gpa, w.bytes);
    put("gdt", GDT_ADDR, gdtBytes(PVH_GDT));
    return { ...done, protocol: "pvh", registers: pvhRegisters(k.info.pvhEntry32, START_INFO_ADDR) };
  }
  const page = zeroPage({
    ...(k.setupHeader ? { setupHeader: k.setupHeader } : {}),
    cmdlineAddr: CMDLINE_ADDR,
    cmdlineSize: k.cmdlineCapacity - 1,
    ...(initrd ? { initrd } : {}),
    e820,
    ...(input.framebuffer ? { screenInfo: screenInfo(input.framebuffer) } : {}),
  });
  put("zero page", ZERO_PAGE_ADDR, page);
  for (const t of identityPageTables()) put("page table", t.gpa, t.bytes);
  put("gdt", GDT_ADDR, gdtBytes(BOOT_GDT));
  return { ...done, protocol: "linux64", registers: longModeRegisters(k.info.entry) };
}
