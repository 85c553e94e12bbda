// struct boot_params, the "zero page" (Documentation/x86/zero-page.rst): the setup header copied from
// the image with the loader's fields filled in, the e820 map, and the framebuffer's screen_info.
import { BootError } from "./errors.ts";
import { Fields } from "./bytes.ts";
import { HDR, HDRS_MAGIC, BOOT_FLAG, SETUP_HEADER_START } from "./bzimage.ts";
import { E820_MAX_ENTRIES, type E820Entry } from "./e820.ts";

export const ZERO_PAGE_SIZE = 4096;
/** boot_params fields outside the setup header, per zero-page.rst. */
export const ZP = {
  screen_info: 0x000,
  acpi_rsdp_addr: 0x070,
  ext_ramdisk_image: 0x0c0,
  ext_ramdisk_size: 0x0c4,
  ext_cmd_line_ptr: 0x0c8,
  e820_entries: 0x1e8,
  sentinel: 0x1ef,
  e820_table: 0x2d0,
} as const;
export const E820_ENTRY_SIZE = 20;
/** "Undefined" boot loader: we have no assigned ID (boot.rst, type_of_loader). */
export const LOADER_TYPE_UNDEFINED = 0xff;
/** An ELF vmlinux has no setup header; the kernel needs this much alignment from one we make up. */
const DEFAULT_KERNEL_ALIGNMENT = 0x1000000;
const VMLINUX_PROTOCOL = 0x020f;

export interface ZeroPageInput {
  /** The image's setup header (from 0x1f1), or undefined for an ELF vmlinux. */
  setupHeader?: Uint8Array;
  cmdlineAddr: number;
  cmdlineSize: number;
  initrd?: { addr: number; size: number };
  e820: readonly E820Entry[];
  /** 64-byte struct screen_info, when the VM has a framebuffer. */
  screenInfo?: Uint8Array;
}

export function zeroPage(input: ZeroPageInput): Uint8Array {
  const page = new Uint8Array(ZERO_PAGE_SIZE);
  const f = new Fields(page, "zero page", "memory-layout");
  if (input.setupHeader) {
    page.set(input.setupHeader, SETUP_HEADER_START);
  } else {
    f.set16(HDR.boot_flag, BOOT_FLAG);
    f.set32(HDR.header, HDRS_MAGIC);
    f.set16(HDR.version, VMLINUX_PROTOCOL);
    f.set32(HDR.kernel_alignment, DEFAULT_KERNEL_ALIGNMENT);
    f.set32(HDR.cmdline_size, input.cmdlineSize);
  }
  f.set8(HDR.type_of_loader, LOADER_TYPE_UNDEFINED);
  setSplit(f, HDR.cmd_line_ptr, ZP.ext_cmd_line_ptr, input.cmdlineAddr);
  if (input.initrd) {
    setSplit(f, HDR.ramdisk_image, ZP.ext_ramdisk_image, input.initrd.addr);
    setSplit(f, HDR.ramdisk_size, ZP.ext_ramdisk_size, input.initrd.size);
  }
  if (input.e820.length > E820_MAX_ENTRIES) throw new BootError("memory-layout", `${input.e820.length} e820 entries; the zero page holds ${E820_MAX_ENTRIES}`);
  f.set8(ZP.e820_entries, input.e820.length);
  input.e820.forEach((e, i) => {
    const o = ZP.e820_table + i * E820_ENTRY_SIZE;
    f.set64(o, e.addr);
    f.set64(o + 8, e.size);
    f.set32(o + 16, e.type);
  });
  if (input.screenInfo) page.set(input.screenInfo, ZP.screen_info);
  return page;
}

/** A 64-bit value stored as a 32-bit header field plus its ext_* high half. */
function setSplit(f: Fields, lowOff: number, highOff: number, value: number): void {
  f.set32(lowOff, value % 2 ** 32);
  f.set32(highOff, Math.floor(value / 2 ** 32));
}

/** Read back the e820 table from a zero page (tests, and a backend that logs the map). */
export function readE820(page: Uint8Array): E820Entry[] {
  const f = new Fields(page, "zero page", "memory-layout");
  const n = f.u8(ZP.e820_entries);
  return Array.from({ length: n }, (_, i) => {
    const o = ZP.e820_table + i * E820_ENTRY_SIZE;
    return { addr: f.u64(o), size: f.u64(o + 8), type: f.u32(o + 16) };
  });
}
