import { expect, test } from "bun:test";
import { FontError, glyphIndex, glyphPixel, parsePsf } from "./psf.ts";
import { terminus } from "./terminus.ts";

test("the vendored Terminus font parses: 8x16, 512 glyphs, Unicode table maps ASCII", () => {
  const f = terminus();
  expect([f.width, f.height, f.glyphCount, f.rowBytes]).toEqual([8, 16, 512, 1]);
  const a = glyphIndex(f, "A".codePointAt(0)!);
  let on = 0;
  for (let y = 0; y < 16; y++) for (let x = 0; x < 8; x++) on += glyphPixel(f, a, x, y) ? 1 : 0;
  expect(on).toBeGreaterThan(10);
  expect(glyphIndex(f, " ".codePointAt(0)!)).not.toBe(a);
  // Box drawing from the Unicode table, and an unmapped code point falls back to a replacement glyph.
  expect(f.unicode.has(0x2500)).toBe(true);
  expect(glyphIndex(f, 0x10ffff)).toBe(glyphIndex(f, 0xfffd));
});

function psf2(width: number, height: number, glyphs: number[][], table: string[]): Uint8Array {
  const rowBytes = Math.ceil(width / 8);
  const header = new DataView(new ArrayBuffer(32));
  [0x864ab572, 0, 32, 1, glyphs.length, rowBytes * height, height, width].forEach((v, i) => header.setUint32(i * 4, v, true));
  const body = glyphs.flat();
  const uni = table.flatMap((s) => [...new TextEncoder().encode(s), 0xff]);
  return new Uint8Array([...new Uint8Array(header.buffer), ...body, ...uni]);
}

test("PSF2 with a UTF-8 Unicode table, wide glyphs", () => {
  const g0 = new Array(2 * 4).fill(0);
  const g1 = [0x80, 0x40, 0, 0, 0, 0, 0xff, 0xc0]; // 10 wide: row 0 bit 0, row 3 all ten
  const f = parsePsf(psf2(10, 4, [g0, g1], ["a", "é€"]));
  expect([f.width, f.height, f.rowBytes, f.glyphCount]).toEqual([10, 4, 2, 2]);
  expect(glyphIndex(f, "€".codePointAt(0)!)).toBe(1);
  expect(glyphIndex(f, "a".codePointAt(0)!)).toBe(0);
  expect(glyphPixel(f, 1, 0, 0)).toBe(true);
  expect(glyphPixel(f, 1, 9, 0)).toBe(true);
  expect(glyphPixel(f, 1, 9, 3)).toBe(true);
  expect(glyphPixel(f, 1, 1, 0)).toBe(false);
});

test("malformed fonts are errors, not crashes", () => {
  expect(() => parsePsf(new Uint8Array([1, 2, 3]))).toThrow(FontError);
  const ok = psf2(8, 8, [new Array(8).fill(0)], ["a"]);
  expect(() => parsePsf(ok.subarray(0, 36))).toThrow(/past the file/);
  const bad = ok.slice();
  new DataView(bad.buffer).setUint32(20, 99, true);
  expect(() => parsePsf(bad)).toThrow(/bytes per glyph/);
  expect(() => parsePsf(new Uint8Array([0x36, 0x04, 0, 16, 0]))).toThrow(/exceed the file/);
});
