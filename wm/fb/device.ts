// /dev/fb0: geometry and format read from the device (never assumed), memory
// mapped once; present() copies only the damaged rectangles of the back buffer
// (whole rows by write(2) when the pixel layouts match, else through the mapping).
import { closeSync, openSync, writeSync } from "node:fs";
import { ioctlBuf, ioctlInt, MAP, mmap, munmap, PROT, sysError, type Mapping } from "../../lib/ffi/libc.ts";
import type { Surface } from "../gfx/surface.ts";
import { intersect, isEmpty, type Rect } from "../gfx/rect.ts";
import { isNativeXrgb, writeRow } from "./pixels.ts";
import { decodeScreenInfo, FB_ACTIVATE_FORCE, FBIOBLANK, FBIOGET_FSCREENINFO, FBIOGET_VSCREENINFO, FBIOPUT_VSCREENINFO, VAR_ACTIVATE_OFFSET, FIX_SCREENINFO_SIZE, unsupportedReason, VAR_SCREENINFO_SIZE, type FbGeometry } from "./screeninfo.ts";

export class Framebuffer {
  /** XRGB8888 rows with no padding: the back buffer's bytes are the device's bytes. */
  private readonly contiguous: boolean;

  private constructor(readonly path: string, private readonly fd: number, readonly geometry: FbGeometry, private readonly map: Mapping) {
    this.contiguous = isNativeXrgb(geometry) && geometry.lineLength === geometry.width * 4;
  }

  static open(path = "/dev/fb0"): Framebuffer {
    const fd = openSync(path, "r+");
    try {
      const v = new Uint8Array(VAR_SCREENINFO_SIZE);
      const f = new Uint8Array(FIX_SCREENINFO_SIZE);
      if (ioctlBuf(fd, FBIOGET_VSCREENINFO, v) < 0) throw sysError("FBIOGET_VSCREENINFO", path);
      if (ioctlBuf(fd, FBIOGET_FSCREENINFO, f) < 0) throw sysError("FBIOGET_FSCREENINFO", path);
      const g = decodeScreenInfo(v, f);
      const why = unsupportedReason(g);
      if (why) throw new Error(`${path} (${g.id}): ${why}`);
      // DRM's fbdev emulation (virtio-gpu) lights the display only on a mode set, which fbcon
      // would do; without it, set the current mode again (forced) and unblank.
      new DataView(v.buffer).setUint32(VAR_ACTIVATE_OFFSET, FB_ACTIVATE_FORCE, true);
      if (ioctlBuf(fd, FBIOPUT_VSCREENINFO, v) < 0) console.error(`wm: ${sysError("FBIOPUT_VSCREENINFO", path).message} (continuing)`);
      ioctlInt(fd, FBIOBLANK, 0);
      const map = mmap(g.lineLength * g.height, PROT.READ | PROT.WRITE, MAP.SHARED, fd, 0);
      return new Framebuffer(path, fd, g, map);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  get width(): number {
    return this.geometry.width;
  }

  get height(): number {
    return this.geometry.height;
  }

  /** Copy these rectangles of `back` (same size as the screen) to the device. */
  present(back: Surface, rects: Rect[]): void {
    const g = this.geometry;
    const bpp = g.bitsPerPixel >> 3;
    const bands = this.contiguous && back.width === g.width;
    for (const r0 of rects) {
      const r = intersect(r0, { x: 0, y: 0, w: Math.min(back.width, g.width), h: Math.min(back.height, g.height) });
      if (isEmpty(r)) continue;
      if (bands) {
        // write(2) of whole rows: DRM's fbdev emulation flushes a write at once, while
        // stores through the mapping wait for its deferred-I/O timer (50 ms).
        const bytes = new Uint8Array(back.px.buffer, back.px.byteOffset + r.y * g.lineLength, r.h * g.lineLength);
        writeSync(this.fd, bytes, 0, bytes.length, r.y * g.lineLength);
        continue;
      }
      for (let y = r.y; y < r.y + r.h; y++) writeRow(g, back.px, y * back.width + r.x, r.w, this.map.bytes, y * g.lineLength + r.x * bpp);
    }
  }

  close(): void {
    munmap(this.map);
    closeSync(this.fd);
  }
}
