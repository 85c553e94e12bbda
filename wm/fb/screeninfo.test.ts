import { expect, test } from "bun:test";
import { isNativeXrgb, packPixel, writeRow } from "./pixels.ts";
import { decodeScreenInfo, FIX_SCREENINFO_SIZE, unsupportedReason, VAR_SCREENINFO_SIZE, type FbGeometry } from "./screeninfo.ts";

function infos(w: number, h: number, bpp: number, rgb: [number, number][], line: number): { v: Uint8Array; f: Uint8Array } {
  const v = new Uint8Array(VAR_SCREENINFO_SIZE);
  const f = new Uint8Array(FIX_SCREENINFO_SIZE);
  const dv = new DataView(v.buffer);
  dv.setUint32(0, w, true);
  dv.setUint32(4, h, true);
  dv.setUint32(24, bpp, true);
  rgb.forEach(([off, len], i) => {
    dv.setUint32(32 + i * 12, off, true);
    dv.setUint32(36 + i * 12, len, true);
  });
  f.set(new TextEncoder().encode("virtio_gpudrmfb"));
  const df = new DataView(f.buffer);
  df.setUint32(24, line * h, true);
  df.setUint32(36, 2, true); // truecolor
  df.setUint32(48, line, true);
  return { v, f };
}

test("fb_var/fix_screeninfo decode at the kernel's x86-64 offsets", () => {
  const { v, f } = infos(1024, 768, 32, [[16, 8], [8, 8], [0, 8]], 4096);
  const g = decodeScreenInfo(v, f);
  expect(g).toMatchObject({ id: "virtio_gpudrmfb", width: 1024, height: 768, bitsPerPixel: 32, lineLength: 4096, memLength: 4096 * 768, red: { offset: 16, length: 8 } });
  expect(unsupportedReason(g)).toBeNull();
  expect(isNativeXrgb(g)).toBe(true);
});

test("shapes the desktop cannot draw on are refused with a reason", () => {
  const base = decodeScreenInfo(infos(800, 600, 32, [[16, 8], [8, 8], [0, 8]], 3200).v, infos(800, 600, 32, [[16, 8], [8, 8], [0, 8]], 3200).f);
  expect(unsupportedReason({ ...base, bitsPerPixel: 8 })).toContain("bits per pixel");
  expect(unsupportedReason({ ...base, lineLength: 100 })).toContain("shorter than a row");
  expect(unsupportedReason({ ...base, memLength: 1000 })).toContain("smaller than");
  expect(unsupportedReason({ ...base, visual: 3 })).toContain("truecolor");
});

test("pixels convert to RGB565 and BGR layouts; writes past the mapping throw", () => {
  const g565: FbGeometry = { id: "", width: 2, height: 1, bitsPerPixel: 16, red: { offset: 11, length: 5 }, green: { offset: 5, length: 6 }, blue: { offset: 0, length: 5 }, lineLength: 4, memLength: 4, type: 0, visual: 2 };
  expect(packPixel(g565, 0xff0000)).toBe(0xf800);
  expect(packPixel(g565, 0x00ff00)).toBe(0x07e0);
  const dst = new Uint8Array(4);
  writeRow(g565, new Uint32Array([0x0000ff, 0xffffff]), 0, 2, dst, 0);
  expect([...dst]).toEqual([0x1f, 0x00, 0xff, 0xff]);
  expect(() => writeRow(g565, new Uint32Array(3), 0, 3, dst, 0)).toThrow(RangeError);
  const bgr: FbGeometry = { ...g565, bitsPerPixel: 32, red: { offset: 0, length: 8 }, green: { offset: 8, length: 8 }, blue: { offset: 16, length: 8 }, lineLength: 8, memLength: 8 };
  const out = new Uint8Array(8);
  writeRow(bgr, new Uint32Array([0x112233]), 0, 1, out, 0);
  expect([...out.subarray(0, 3)]).toEqual([0x11, 0x22, 0x33]);
});
