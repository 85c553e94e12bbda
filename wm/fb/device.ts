// /dev/fb0: geometry and format read from the device (never assumed), memory
// mapped once; present() copies only the damaged rectangles of the back buffer.
import { closeSync, openSync } from "node:fs";
import { ioctlBuf, ioctlInt, MAP, mmap, munmap, PROT, sysError, type Mapping } from "../../lib/ffi/libc.ts";
import type { Surface } from "../gfx/surface.ts";
import { intersect, isEmpty, type Rect } from "../gfx/rect.ts";
import { writeRow } from "./pixels.ts";
import { decodeScreenInfo, FB_ACTIVATE_FORCE, FBIOBLANK, FBIOGET_FSCREENINFO, FBIOGET_VSCREENINFO, FBIOPUT_VSCREENINFO, VAR_ACTIVATE_OFFSET, FIX_SCREENINFO_SIZE, unsupportedReason, VAR_SCREENINFO_SIZE, type FbGeometry } from "./screeninfo.ts";

export class Framebuffer {
  private constructor(readonly path: string, private readonly fd: number, readonly geometry: FbGeometry, private readonly map: Mapping) {}

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
    for (const r0 of rects) {
      const r = intersect(r0, { x: 0, y: 0, w: Math.min(back.width, g.width), h: Math.min(back.height, g.height) });
      if (isEmpty(r)) continue;
      for (let y = r.y; y < r.y + r.h; y++) writeRow(g, back.px, y * back.width + r.x, r.w, this.map.bytes, y * g.lineLength + r.x * bpp);
    }
  }

  close(): void {
    munmap(this.map);
    closeSync(this.fd);
  }
}
