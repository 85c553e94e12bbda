import { expect, test } from "bun:test";
import { fillRect, syntheticScreen } from "../test-support.ts";
import { decodePixelFormat, encodePixelFormat, PixelWriter, XRGB8888, type PixelFormat } from "./pixel-format.ts";

const { fb } = syntheticScreen(4, 1);
fillRect(fb, 0, 0, 1, 1, 0xff0000);
fillRect(fb, 1, 0, 1, 1, 0x00ff00);
fillRect(fb, 2, 0, 1, 1, 0x0000ff);
fillRect(fb, 3, 0, 1, 1, 0x808080);
const row = { x: 0, y: 0, w: 4, h: 1 };

function write(pf: PixelFormat, cpixel = false): number[] {
  const w = new PixelWriter(pf);
  const out = new Uint8Array(w.size(row, cpixel));
  expect(w.write(fb, row, out, 0, cpixel)).toBe(out.length);
  return [...out];
}

test("the server format round-trips and is copied as is", () => {
  expect(decodePixelFormat(encodePixelFormat(XRGB8888))).toEqual(XRGB8888);
  expect(write(XRGB8888)).toEqual([0, 0, 0xff, 0xff, 0, 0xff, 0, 0xff, 0xff, 0, 0, 0xff, 0x80, 0x80, 0x80, 0xff]);
  expect(write(XRGB8888, true)).toEqual([0, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0, 0x80, 0x80, 0x80]); // CPIXEL drops X
});

test("32-bit big-endian RGB with red in the low byte (noVNC's order, byte-swapped)", () => {
  const pf = { ...XRGB8888, bigEndian: true, redShift: 0, greenShift: 8, blueShift: 16 };
  expect(write(pf)).toEqual([0, 0, 0, 0xff, 0, 0, 0xff, 0, 0, 0xff, 0, 0, 0, 0x80, 0x80, 0x80]);
  expect(write(pf, true)).toEqual([0, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0, 0x80, 0x80, 0x80]);
});

test("colour in the top three bytes: CPIXEL drops the low byte", () => {
  const pf = { ...XRGB8888, redShift: 24, greenShift: 16, blueShift: 8 };
  expect(write(pf, true)).toEqual([0, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0, 0x80, 0x80, 0x80]);
});

test("8-bit BGR233 and 16-bit big-endian RGB565", () => {
  const bgr233 = { bitsPerPixel: 8, depth: 8, bigEndian: false, trueColour: true, redMax: 7, greenMax: 7, blueMax: 3, redShift: 0, greenShift: 3, blueShift: 6 };
  expect(write(bgr233)).toEqual([0x07, 0x38, 0xc0, 0x04 | (0x04 << 3) | (0x02 << 6)]);
  const rgb565be = { ...bgr233, bitsPerPixel: 16, depth: 16, bigEndian: true, redMax: 31, greenMax: 63, blueMax: 31, redShift: 11, greenShift: 5, blueShift: 0 };
  expect(write(rgb565be)).toEqual([0xf8, 0x00, 0x07, 0xe0, 0x00, 0x1f, 0x84, 0x10]);
});

test("formats that cannot be served are refused with a reason", () => {
  const bad = (patch: Partial<PixelFormat>) => decodePixelFormat(encodePixelFormat({ ...XRGB8888, ...patch }));
  expect(bad({ bitsPerPixel: 24 })).toMatch(/bits-per-pixel 24/);
  expect(bad({ trueColour: false })).toMatch(/colour-map/);
  expect(bad({ redMax: 100 })).toMatch(/channel max 100/);
  expect(bad({ bitsPerPixel: 16, redShift: 11, greenShift: 5, blueShift: 0 })).toMatch(/does not fit 16-bit/);
});
