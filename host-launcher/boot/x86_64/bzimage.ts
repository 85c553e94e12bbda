// Parse a bzImage's setup header (Documentation/x86/boot.rst, "The Real-Mode Kernel Header") and find
// the protected-mode kernel inside it. We start the kernel through its 64-bit entry, which needs boot
// protocol 2.12+ (xloadflags with XLF_KERNEL_64).
import { BootError, hex } from "./errors.ts";
import { Fields } from "./bytes.ts";

/** Offsets of the setup header fields within the image (= within boot_params), per boot.rst. */
export const HDR = {
  setup_sects: 0x1f1,
  root_flags: 0x1f2,
  syssize: 0x1f4,
  ram_size: 0x1f8,
  vid_mode: 0x1fa,
  root_dev: 0x1fc,
  boot_flag: 0x1fe,
  jump: 0x200,
  header: 0x202,
  version: 0x206,
  realmode_swtch: 0x208,
  start_sys_seg: 0x20c,
  kernel_version: 0x20e,
  type_of_loader: 0x210,
  loadflags: 0x211,
  setup_move_size: 0x212,
  code32_start: 0x214,
  ramdisk_image: 0x218,
  ramdisk_size: 0x21c,
  bootsect_kludge: 0x220,
  heap_end_ptr: 0x224,
  ext_loader_ver: 0x226,
  ext_loader_type: 0x227,
  cmd_line_ptr: 0x228,
  initrd_addr_max: 0x22c,
  kernel_alignment: 0x230,
  relocatable_kernel: 0x234,
  min_alignment: 0x235,
  xloadflags: 0x236,
  cmdline_size: 0x238,
  hardware_subarch: 0x23c,
  hardware_subarch_data: 0x240,
  payload_offset: 0x248,
  payload_length: 0x24c,
  setup_data: 0x250,
  pref_address: 0x258,
  init_size: 0x260,
  handover_offset: 0x264,
  kernel_info_offset: 0x268,
} as const;
export type HeaderField = keyof typeof HDR;

/** The setup header runs from 0x1f1 to the end of kernel_info_offset; the jump at 0x200 says how far it really goes. */
export const SETUP_HEADER_START = HDR.setup_sects;
export const SETUP_HEADER_END = HDR.kernel_info_offset + 4;

export const HDRS_MAGIC = 0x53726448; // "HdrS"
export const BOOT_FLAG = 0xaa55;
export const MIN_PROTOCOL = 0x020c; // 2.12: xloadflags
export const LOADED_HIGH = 1 << 0;
export const CAN_USE_HEAP = 1 << 7;
export const XLF_KERNEL_64 = 1 << 0;
export const XLF_CAN_BE_LOADED_ABOVE_4G = 1 << 1;
/** The 64-bit entry point is this far into the protected-mode code. */
export const ENTRY64_OFFSET = 0x200;

export interface BzImage {
  /** Boot protocol version, e.g. 0x20f for 2.15. */
  version: number;
  setupSects: number;
  loadflags: number;
  xloadflags: number;
  prefAddress: number;
  initSize: number;
  cmdlineSize: number;
  kernelAlignment: number;
  relocatable: boolean;
  initrdAddrMax: number;
  /** The setup header bytes (0x1f1 up to the end of the header the jump at 0x200 declares), copied into boot_params. */
  setupHeader: Uint8Array;
  /** The protected-mode kernel: everything after the (setup_sects+1) real-mode sectors. */
  kernel: Uint8Array;
}

export function parseBzImage(image: Uint8Array): BzImage {
  const f = new Fields(image, "bzImage");
  if (image.length < SETUP_HEADER_END) {
    throw new BootError("kernel-truncated", `bzImage is ${image.length} bytes: too short for a setup header (needs ${SETUP_HEADER_END})`);
  }
  if (f.u32(HDR.header) !== HDRS_MAGIC) {
    throw new BootError("kernel-format", `not a bzImage: no "HdrS" magic at ${hex(HDR.header)}`);
  }
  if (f.u16(HDR.boot_flag) !== BOOT_FLAG) {
    throw new BootError("kernel-format", `not a bzImage: boot_flag at ${hex(HDR.boot_flag)} is ${hex(f.u16(HDR.boot_flag))}, not 0xaa55`);
  }
  const version = f.u16(HDR.version);
  if (version < MIN_PROTOCOL) {
    throw new BootError("kernel-unsupported", `bzImage boot protocol ${protocolString(version)} is too old: 64-bit entry needs 2.12 or newer`);
  }
  const xloadflags = f.u16(HDR.xloadflags);
  if (!(xloadflags & XLF_KERNEL_64)) throw new BootError("kernel-unsupported", "bzImage has no 64-bit entry point (XLF_KERNEL_64 clear): a 32-bit kernel");
  const loadflags = f.u8(HDR.loadflags);
  if (!(loadflags & LOADED_HIGH)) throw new BootError("kernel-unsupported", "bzImage is a zImage (LOADED_HIGH clear): it must load at 1 MiB");
  const setupSects = f.u8(HDR.setup_sects) || 4;
  const setupBytes = (setupSects + 1) * 512;
  if (setupBytes >= image.length) {
    throw new BootError("kernel-truncated", `bzImage is ${image.length} bytes but its ${setupSects} setup sectors end at ${hex(setupBytes)}: truncated`);
  }
  const syssize = f.u32(HDR.syssize) * 16;
  if (syssize > 0 && setupBytes + syssize > image.length) {
    throw new BootError("kernel-truncated", `bzImage declares ${syssize} bytes of kernel after the setup code but has ${image.length - setupBytes}: truncated`);
  }
  const kernelAlignment = f.u32(HDR.kernel_alignment);
  if (kernelAlignment === 0 || (kernelAlignment & (kernelAlignment - 1)) !== 0) {
    throw new BootError("kernel-format", `bzImage kernel_alignment ${hex(kernelAlignment)} is not a power of two`);
  }
  const initSize = f.u32(HDR.init_size);
  if (initSize < image.length - setupBytes) {
    throw new BootError("kernel-format", `bzImage init_size ${hex(initSize)} is smaller than its own kernel (${hex(image.length - setupBytes)} bytes)`);
  }
  // The byte at 0x201 is the jump's displacement: the header ends where the jump lands.
  const headerEnd = Math.min(0x202 + f.u8(HDR.jump + 1), SETUP_HEADER_END);
  return {
    version,
    setupSects,
    loadflags,
    xloadflags,
    prefAddress: f.u64(HDR.pref_address),
    initSize,
    cmdlineSize: f.u32(HDR.cmdline_size),
    kernelAlignment,
    relocatable: f.u8(HDR.relocatable_kernel) !== 0,
    initrdAddrMax: f.u32(HDR.initrd_addr_max),
    setupHeader: image.subarray(SETUP_HEADER_START, headerEnd),
    kernel: image.subarray(setupBytes, syssize > 0 ? setupBytes + syssize : image.length),
  };
}

export function protocolString(version: number): string {
  return `${version >> 8}.${(version & 0xff).toString().padStart(2, "0")}`;
}

export function isBzImage(image: Uint8Array): boolean {
  return image.length >= HDR.header + 4 && new DataView(image.buffer, image.byteOffset).getUint32(HDR.header, true) === HDRS_MAGIC;
}
