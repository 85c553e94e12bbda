// PC Screen Font parser (PSF1 and PSF2, as in the Linux console's fonts), with
// the optional Unicode table that maps code points to glyph indices.
// Every length and offset comes from the file, so each is checked against it.

export interface BitmapFont {
  width: number;
  height: number;
  /** Bytes per glyph row: ceil(width / 8). */
  rowBytes: number;
  glyphCount: number;
  /** glyphCount * height * rowBytes bytes, MSB = leftmost pixel. */
  bitmaps: Uint8Array;
  /** Code point -> glyph index; empty when the font has no Unicode table (then index = code point). */
  unicode: Map<number, number>;
}

export class FontError extends Error {}

const PSF1_MAGIC = 0x0436;
const PSF1_MODE512 = 0x01;
const PSF1_MODEHASTAB = 0x02;
const PSF1_MODESEQ = 0x04;
const PSF2_MAGIC = 0x864ab572;
const PSF2_HAS_UNICODE_TABLE = 0x01;

export function parsePsf(data: Uint8Array): BitmapFont {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length >= 4 && dv.getUint16(0, true) === PSF1_MAGIC) return parsePsf1(data, dv);
  if (data.length >= 32 && dv.getUint32(0, true) === PSF2_MAGIC) return parsePsf2(data, dv);
  throw new FontError("not a PSF font (bad magic)");
}

function parsePsf1(data: Uint8Array, dv: DataView): BitmapFont {
  const mode = dv.getUint8(2);
  const height = dv.getUint8(3);
  const glyphCount = mode & PSF1_MODE512 ? 512 : 256;
  if (height === 0) throw new FontError("PSF1: zero glyph height");
  const size = glyphCount * height;
  if (4 + size > data.length) throw new FontError(`PSF1: ${glyphCount} glyphs of ${height} bytes exceed the file (${data.length} bytes)`);
  const font: BitmapFont = { width: 8, height, rowBytes: 1, glyphCount, bitmaps: data.slice(4, 4 + size), unicode: new Map() };
  if (mode & (PSF1_MODEHASTAB | PSF1_MODESEQ)) readUnicode16(data, dv, 4 + size, glyphCount, font.unicode);
  return font;
}

/** PSF1 table: per glyph, u16 code points, 0xFFFE starts sequences (skipped), 0xFFFF ends the glyph. */
function readUnicode16(data: Uint8Array, dv: DataView, at: number, glyphs: number, map: Map<number, number>): void {
  let off = at;
  for (let g = 0; g < glyphs && off + 1 < data.length; g++) {
    let inSeq = false;
    for (; off + 1 < data.length; off += 2) {
      const u = dv.getUint16(off, true);
      if (u === 0xffff) {
        off += 2;
        break;
      }
      if (u === 0xfffe) inSeq = true;
      else if (!inSeq && !map.has(u)) map.set(u, g);
    }
  }
}

function parsePsf2(data: Uint8Array, dv: DataView): BitmapFont {
  const headerSize = dv.getUint32(8, true);
  const flags = dv.getUint32(12, true);
  const glyphCount = dv.getUint32(16, true);
  const bytesPerGlyph = dv.getUint32(20, true);
  const height = dv.getUint32(24, true);
  const width = dv.getUint32(28, true);
  if (width === 0 || height === 0 || width > 64 || height > 128) throw new FontError(`PSF2: unsupported glyph size ${width}x${height}`);
  const rowBytes = Math.ceil(width / 8);
  if (bytesPerGlyph !== rowBytes * height) throw new FontError(`PSF2: ${bytesPerGlyph} bytes per glyph does not fit ${width}x${height}`);
  if (headerSize < 32 || glyphCount === 0 || glyphCount > 65536) throw new FontError("PSF2: bad header size or glyph count");
  const end = headerSize + glyphCount * bytesPerGlyph;
  if (end > data.length) throw new FontError(`PSF2: glyphs end at ${end}, past the file (${data.length} bytes)`);
  const font: BitmapFont = { width, height, rowBytes, glyphCount, bitmaps: data.slice(headerSize, end), unicode: new Map() };
  if (flags & PSF2_HAS_UNICODE_TABLE) readUnicodeUtf8(data, end, glyphCount, font.unicode);
  return font;
}

/** PSF2 table: per glyph, UTF-8 strings; 0xFE starts sequences (skipped), 0xFF ends the glyph. */
function readUnicodeUtf8(data: Uint8Array, at: number, glyphs: number, map: Map<number, number>): void {
  const dec = new TextDecoder("utf-8", { fatal: false });
  let off = at;
  for (let g = 0; g < glyphs && off < data.length; g++) {
    let end = off;
    while (end < data.length && data[end] !== 0xff) end++;
    const entry = data.subarray(off, end);
    const seq = entry.indexOf(0xfe);
    for (const ch of dec.decode(seq < 0 ? entry : entry.subarray(0, seq))) {
      const cp = ch.codePointAt(0)!;
      if (!map.has(cp)) map.set(cp, g);
    }
    off = end + 1;
  }
}

/** The glyph index for a code point: the Unicode table's, else '?' (or the code point itself in a table-less font). */
export function glyphIndex(font: BitmapFont, cp: number): number {
  if (font.unicode.size === 0) return cp < font.glyphCount ? cp : 0;
  return font.unicode.get(cp) ?? font.unicode.get(0xfffd) ?? font.unicode.get(63) ?? 0;
}

/** Whether pixel (x, y) of glyph `g` is set. */
export function glyphPixel(font: BitmapFont, g: number, x: number, y: number): boolean {
  const row = font.bitmaps[(g * font.height + y) * font.rowBytes + (x >> 3)]!;
  return (row & (0x80 >> (x & 7))) !== 0;
}
