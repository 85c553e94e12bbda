import { describe, expect, test } from "bun:test";
import { DirtyTiles, Framebuffer, markRect, tileGrid, tilesToRects } from "./framebuffer.ts";

function paint(mem: Uint8Array, fb: Framebuffer, x: number, y: number, rgb: number, offset = 0): void {
  const o = offset + y * fb.stride + x * 4;
  mem[o] = rgb & 0xff;
  mem[o + 1] = (rgb >> 8) & 0xff;
  mem[o + 2] = (rgb >> 16) & 0xff;
}

describe("Framebuffer", () => {
  test("is bounds-checked against the memory it is given", () => {
    const mem = new Uint8Array(100 * 4 * 10);
    expect(() => new Framebuffer(mem, 0, 100, 10, 400)).not.toThrow();
    expect(() => new Framebuffer(mem, 4, 100, 10, 400)).toThrow(/outside/);
    expect(() => new Framebuffer(mem, 0, 100, 11, 400)).toThrow(/outside/);
    expect(() => new Framebuffer(mem, 0, 100, 10, 396)).toThrow(/stride/);
    expect(() => new Framebuffer(mem, -1, 10, 10, 40)).toThrow(/outside/);
    expect(() => new Framebuffer(mem, 0, 0, 10, 40)).toThrow(/width/);
    expect(() => new Framebuffer(mem, 0, 20000, 1, 80000)).toThrow(/width/);
  });

  test("fromScreenInfo maps guest-physical addresses into the RAM view", () => {
    const ram = new Uint8Array(0x10000);
    const fb = Framebuffer.fromScreenInfo(ram, 0x100000, { base: 0x101000, width: 16, height: 8, stride: 64, format: "xrgb8888" });
    paint(ram, fb, 3, 2, 0x123456, 0x1000);
    expect(fb.rgb(3, 2)).toBe(0x123456);
    expect(() => Framebuffer.fromScreenInfo(ram, 0x100000, { base: 0x1000, width: 16, height: 8, stride: 64, format: "xrgb8888" })).toThrow(/below/);
    expect(() => Framebuffer.fromScreenInfo(ram, 0, { base: 0xff00, width: 16, height: 8, stride: 64, format: "xrgb8888" })).toThrow(/outside/);
  });
});

describe("DirtyTiles", () => {
  // 200x130 with a padded stride: 4x3 tiles of 64, the last ones partial.
  const W = 200, H = 130, STRIDE = W * 4 + 32;
  const setup = () => {
    const mem = new Uint8Array(STRIDE * H);
    const fb = new Framebuffer(mem, 0, W, H, STRIDE);
    const d = new DirtyTiles(fb, 64);
    return { mem, fb, d, flags: new Uint8Array(d.tilesX * d.tilesY) };
  };

  test("an unchanged screen has no dirty tiles", () => {
    const { d, flags } = setup();
    expect([d.tilesX, d.tilesY]).toEqual([4, 3]);
    expect(d.scan(flags)).toBe(0);
    expect(flags.every((f) => f === 0)).toBe(true);
  });

  test("one changed pixel dirties exactly its tile, once", () => {
    const { mem, fb, d, flags } = setup();
    paint(mem, fb, 130, 70, 0xff0000); // tile (2, 1)
    expect(d.scan(flags)).toBe(1);
    expect([...flags].map((f, i) => (f ? i : -1)).filter((i) => i >= 0)).toEqual([1 * 4 + 2]);
    expect(tilesToRects(flags, d, W, H)).toEqual([{ x: 128, y: 64, w: 64, h: 64 }]);
    flags.fill(0);
    expect(d.scan(flags)).toBe(0);
  });

  test("edge tiles are clipped and stride padding is not the screen", () => {
    const { mem, fb, d, flags } = setup();
    mem[W * 4 + 5] = 0xff; // padding of row 0
    expect(d.scan(flags)).toBe(0);
    paint(mem, fb, W - 1, H - 1, 0x00ff00);
    expect(d.scan(flags)).toBe(1);
    expect(tilesToRects(flags, d, W, H)).toEqual([{ x: 192, y: 128, w: 8, h: 2 }]);
  });

  test("adjacent dirty tiles merge into few rectangles", () => {
    const g = tileGrid(W, H, 64);
    const flags = new Uint8Array(g.tilesX * g.tilesY);
    markRect(flags, g, { x: 0, y: 0, w: 129, h: 100 }); // tiles x 0..2, y 0..1
    markRect(flags, g, { x: 199, y: 129, w: 5, h: 5 }); // clipped corner
    expect(tilesToRects(flags, g, W, H)).toEqual([
      { x: 0, y: 0, w: 192, h: 128 },
      { x: 192, y: 128, w: 8, h: 2 },
    ]);
  });
});
