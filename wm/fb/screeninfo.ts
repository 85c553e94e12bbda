// struct fb_var_screeninfo / fb_fix_screeninfo (linux/fb.h, x86-64 layout) decoded
// from the bytes FBIOGET_VSCREENINFO / FBIOGET_FSCREENINFO fill in. Pure, so the
// layout is tested without a framebuffer.

export const FBIOGET_VSCREENINFO = 0x4600;
export const FBIOPUT_VSCREENINFO = 0x4601;
export const FBIOGET_FSCREENINFO = 0x4602;
export const FBIOBLANK = 0x4611;
/** fb_var_screeninfo.activate: apply now, even when nothing changed. */
export const VAR_ACTIVATE_OFFSET = 84;
export const FB_ACTIVATE_FORCE = 128;
export const VAR_SCREENINFO_SIZE = 160;
export const FIX_SCREENINFO_SIZE = 80;
export const FB_TYPE_PACKED_PIXELS = 0;
export const FB_VISUAL_TRUECOLOR = 2;

export interface Bitfield {
  offset: number;
  length: number;
}

export interface FbGeometry {
  id: string;
  width: number;
  height: number;
  bitsPerPixel: number;
  red: Bitfield;
  green: Bitfield;
  blue: Bitfield;
  /** Bytes from one row to the next. */
  lineLength: number;
  /** Bytes of framebuffer memory to map. */
  memLength: number;
  type: number;
  visual: number;
}

export function decodeScreenInfo(vinfo: Uint8Array, finfo: Uint8Array): FbGeometry {
  if (vinfo.length < VAR_SCREENINFO_SIZE || finfo.length < FIX_SCREENINFO_SIZE) throw new RangeError("screeninfo buffers too small");
  const v = new DataView(vinfo.buffer, vinfo.byteOffset, vinfo.byteLength);
  const f = new DataView(finfo.buffer, finfo.byteOffset, finfo.byteLength);
  const bf = (o: number): Bitfield => ({ offset: v.getUint32(o, true), length: v.getUint32(o + 4, true) });
  const idBytes = finfo.subarray(0, 16);
  const nul = idBytes.indexOf(0);
  return {
    id: new TextDecoder().decode(nul < 0 ? idBytes : idBytes.subarray(0, nul)),
    width: v.getUint32(0, true),
    height: v.getUint32(4, true),
    bitsPerPixel: v.getUint32(24, true),
    red: bf(32),
    green: bf(44),
    blue: bf(56),
    memLength: f.getUint32(24, true),
    type: f.getUint32(28, true),
    visual: f.getUint32(36, true),
    lineLength: f.getUint32(48, true),
  };
}

/** Why this desktop cannot draw on a framebuffer of this shape, or null when it can. */
export function unsupportedReason(g: FbGeometry): string | null {
  if (g.type !== FB_TYPE_PACKED_PIXELS) return `framebuffer type ${g.type} is not packed pixels`;
  if (g.visual !== FB_VISUAL_TRUECOLOR) return `framebuffer visual ${g.visual} is not truecolor`;
  if (g.bitsPerPixel !== 32 && g.bitsPerPixel !== 24 && g.bitsPerPixel !== 16) return `${g.bitsPerPixel} bits per pixel unsupported`;
  if (g.width < 64 || g.height < 64 || g.width > 8192 || g.height > 8192) return `resolution ${g.width}x${g.height} out of range`;
  if (g.lineLength < (g.width * g.bitsPerPixel) / 8) return `line length ${g.lineLength} shorter than a row`;
  if (g.lineLength * g.height > g.memLength) return `framebuffer memory (${g.memLength} bytes) smaller than ${g.height} rows of ${g.lineLength}`;
  for (const c of [g.red, g.green, g.blue]) if (c.length === 0 || c.length > 8 || c.offset + c.length > g.bitsPerPixel) return "bad colour bitfields";
  return null;
}
