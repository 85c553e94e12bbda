// struct screen_info (include/uapi/linux/screen_info.h) describing a linear framebuffer, so the kernel's
// sysfb turns it into a "simple-framebuffer" device (drivers/firmware/sysfb_simplefb.c) for the wm.
import { BootError, hex } from "./errors.ts";
import { Fields } from "./bytes.ts";

export const SCREEN_INFO_SIZE = 0x40;
/** Field offsets inside struct screen_info (packed). */
export const SI = {
  orig_video_isVGA: 0x0f,
  lfb_width: 0x12,
  lfb_height: 0x14,
  lfb_depth: 0x16,
  lfb_base: 0x18,
  lfb_size: 0x1c,
  lfb_linelength: 0x24,
  red_size: 0x26,
  red_pos: 0x27,
  green_size: 0x28,
  green_pos: 0x29,
  blue_size: 0x2a,
  blue_pos: 0x2b,
  rsvd_size: 0x2c,
  rsvd_pos: 0x2d,
  capabilities: 0x36,
  ext_lfb_base: 0x3a,
} as const;

export const VIDEO_TYPE_VLFB = 0x23;
export const VIDEO_CAPABILITY_64BIT_BASE = 1 << 1;

/** A 32-bit XRGB8888 framebuffer (the only format the wm draws). */
export interface Framebuffer {
  base: number;
  width: number;
  height: number;
  /** Bytes per line; at least width * 4. */
  stride: number;
  /** Bytes of guest-physical space reserved for it (at least stride * height). */
  size: number;
}

export function framebufferFor(base: number, width: number, height: number): Framebuffer {
  const stride = width * 4;
  return { base, width, height, stride, size: Math.ceil((stride * height) / 0x10000) * 0x10000 };
}

export function checkFramebuffer(fb: Framebuffer): void {
  const bad = (why: string) => new BootError("memory-layout", `framebuffer ${fb.width}x${fb.height}: ${why}`);
  if (!Number.isInteger(fb.width) || !Number.isInteger(fb.height) || fb.width < 1 || fb.height < 1 || fb.width > 0xffff || fb.height > 0xffff) {
    throw bad("width and height must be 1..65535");
  }
  if (!Number.isInteger(fb.stride) || fb.stride < fb.width * 4 || fb.stride > 0xffff) throw bad(`stride ${fb.stride} must be width*4..65535`);
  if (fb.size < fb.stride * fb.height) throw bad(`region of ${fb.size} bytes is smaller than stride*height`);
  if (fb.base % 4096 !== 0 || fb.base <= 0 || !Number.isSafeInteger(fb.base + fb.size)) throw bad(`base ${hex(fb.base)} must be page aligned and non-zero`);
}

/**
 * The 64-byte screen_info. The reserved byte of XRGB8888 is described as size 0 at 0: sysfb matches
 * formats field by field, and rsvd 8@24 would select a8r8g8b8 instead of x8r8g8b8.
 */
export function screenInfo(fb: Framebuffer): Uint8Array {
  checkFramebuffer(fb);
  const b = new Uint8Array(SCREEN_INFO_SIZE);
  const f = new Fields(b, "screen_info", "memory-layout");
  f.set8(SI.orig_video_isVGA, VIDEO_TYPE_VLFB);
  f.set16(SI.lfb_width, fb.width);
  f.set16(SI.lfb_height, fb.height);
  f.set16(SI.lfb_depth, 32);
  f.set32(SI.lfb_base, fb.base % 2 ** 32);
  // For VIDEO_TYPE_VLFB the kernel reads lfb_size in 64 KiB units (a VBE heritage).
  f.set32(SI.lfb_size, Math.ceil(fb.size / 0x10000));
  f.set16(SI.lfb_linelength, fb.stride);
  f.set8(SI.red_size, 8);
  f.set8(SI.red_pos, 16);
  f.set8(SI.green_size, 8);
  f.set8(SI.green_pos, 8);
  f.set8(SI.blue_size, 8);
  f.set8(SI.blue_pos, 0);
  const high = Math.floor(fb.base / 2 ** 32);
  if (high > 0) {
    f.set32(SI.capabilities, VIDEO_CAPABILITY_64BIT_BASE);
    f.set32(SI.ext_lfb_base, high);
  }
  return b;
}
