// A view of the guest's linear framebuffer (simple-framebuffer, XRGB8888) over
// the memory the launcher hands us — guest RAM, or a test's painted array.
// Nothing here copies the whole screen per frame: DirtyTiles compares rows
// against a shadow copy with native memcmp and copies back only the tiles that
// changed, so a mostly idle desktop costs one read of the screen per scan.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What the launcher announces to the guest in the zero page's screen_info. */
export interface ScreenInfo {
  /** Guest-physical address of the first pixel (screen_info.lfb_base). */
  base: number;
  width: number;
  height: number;
  /** Bytes per line (screen_info.lfb_linelength). */
  stride: number;
  /** The only layout the broker reads: 32 bits, x:8 r:8 g:8 b:8, little-endian. */
  format: "xrgb8888";
}

export const BYTES_PER_PIXEL = 4;
/** Largest screen the broker accepts: RFB carries u16 sizes. */
export const MAX_DIMENSION = 16384;

export class Framebuffer {
  /** Exactly the bytes of the screen: stride * (height - 1) + width * 4. */
  readonly pixels: Uint8Array;

  constructor(
    memory: Uint8Array,
    offset: number,
    readonly width: number,
    readonly height: number,
    readonly stride: number,
  ) {
    for (const [name, v] of [["width", width], ["height", height]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > MAX_DIMENSION) throw new Error(`framebuffer ${name} ${v} is outside 1..${MAX_DIMENSION}`);
    }
    if (!Number.isInteger(stride) || stride < width * BYTES_PER_PIXEL) throw new Error(`framebuffer stride ${stride} is less than width*4 (${width * BYTES_PER_PIXEL})`);
    const size = stride * (height - 1) + width * BYTES_PER_PIXEL;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > memory.length) {
      throw new Error(`framebuffer [${offset}, +${size}) lies outside the ${memory.length}-byte memory it was given`);
    }
    this.pixels = memory.subarray(offset, offset + size);
  }

  /**
   * The framebuffer described by screen_info inside guest RAM, where `ram`
   * holds guest-physical addresses [ramBase, ramBase + ram.length).
   */
  static fromScreenInfo(ram: Uint8Array, ramBase: number, si: ScreenInfo): Framebuffer {
    if (si.format !== "xrgb8888") throw new Error(`framebuffer format ${String(si.format)} is not supported (want xrgb8888)`);
    if (si.base < ramBase) throw new Error(`framebuffer base 0x${si.base.toString(16)} is below guest RAM at 0x${ramBase.toString(16)}`);
    return new Framebuffer(ram, si.base - ramBase, si.width, si.height, si.stride);
  }

  /** The pixel at (x, y) as 0xRRGGBB (tests and tools; not a hot path). */
  rgb(x: number, y: number): number {
    const o = y * this.stride + x * BYTES_PER_PIXEL;
    const p = this.pixels;
    return (p[o + 2]! << 16) | (p[o + 1]! << 8) | p[o]!;
  }
}

/** Tile flags (1 = changed) and the grid they cover. */
export interface TileGrid {
  readonly tile: number;
  readonly tilesX: number;
  readonly tilesY: number;
}

export function tileGrid(width: number, height: number, tile: number): TileGrid {
  return { tile, tilesX: Math.ceil(width / tile), tilesY: Math.ceil(height / tile) };
}

/**
 * Finds the tiles that changed since the last scan. The shadow holds the
 * screen as last seen, with the same stride. A scan compares each band of
 * one tile row with a single memcmp; only in a band that differs does it
 * compare rows, then tile-wide segments, and it copies back only that band.
 */
export class DirtyTiles implements TileGrid {
  readonly tilesX: number;
  readonly tilesY: number;
  private readonly live: Buffer;
  private readonly shadow: Buffer;

  constructor(
    readonly fb: Framebuffer,
    readonly tile = 64,
  ) {
    ({ tilesX: this.tilesX, tilesY: this.tilesY } = tileGrid(fb.width, fb.height, tile));
    const p = fb.pixels;
    // Buffer views (no copy) for Buffer.compare, which is memcmp with offsets.
    this.live = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    this.shadow = Buffer.alloc(p.byteLength);
    this.sync();
  }

  /** Forget the past: the shadow becomes the current screen. */
  sync(): void {
    this.shadow.set(this.live);
  }

  private same(a: number, b: number): boolean {
    return this.live.compare(this.shadow, a, b, a, b) === 0;
  }

  /** ORs the changed tiles into `flags` (tilesX * tilesY) and returns how many changed. */
  scan(flags: Uint8Array): number {
    const { fb, tile, tilesX, live, shadow } = this;
    const seg = tile * BYTES_PER_PIXEL;
    const rowBytes = fb.width * BYTES_PER_PIXEL;
    let changed = 0;
    for (let ty = 0; ty < this.tilesY; ty++) {
      const y0 = ty * tile;
      const y1 = Math.min(y0 + tile, fb.height);
      const bandStart = y0 * fb.stride;
      const bandEnd = (y1 - 1) * fb.stride + rowBytes;
      if (this.same(bandStart, bandEnd)) continue;
      for (let y = y0; y < y1; y++) {
        const o = y * fb.stride;
        if (this.same(o, o + rowBytes)) continue;
        for (let tx = 0; tx < tilesX; tx++) {
          const i = ty * tilesX + tx;
          if (flags[i]) continue;
          const a = o + tx * seg;
          if (this.same(a, Math.min(a + seg, o + rowBytes))) continue;
          flags[i] = 1;
          changed++;
        }
      }
      shadow.set(live.subarray(bandStart, bandEnd), bandStart);
    }
    return changed;
  }
}

/** Marks every tile that intersects `r` (clipped to the grid). */
export function markRect(flags: Uint8Array, g: TileGrid, r: Rect): void {
  const x0 = Math.max(0, Math.floor(r.x / g.tile));
  const y0 = Math.max(0, Math.floor(r.y / g.tile));
  const x1 = Math.min(g.tilesX, Math.ceil((r.x + r.w) / g.tile));
  const y1 = Math.min(g.tilesY, Math.ceil((r.y + r.h) / g.tile));
  for (let ty = y0; ty < y1; ty++) flags.fill(1, ty * g.tilesX + x0, ty * g.tilesX + x1);
}

/**
 * Turns tile flags into few rectangles, clipped to the screen: runs of
 * changed tiles along a tile row, then runs of identical runs down the rows.
 */
export function tilesToRects(flags: Uint8Array, g: TileGrid, width: number, height: number): Rect[] {
  const open = new Map<string, Rect>();
  const out: Rect[] = [];
  for (let ty = 0; ty < g.tilesY; ty++) {
    const row = new Map<string, Rect>();
    for (let tx = 0; tx < g.tilesX; ) {
      if (!flags[ty * g.tilesX + tx]) {
        tx++;
        continue;
      }
      const start = tx;
      while (tx < g.tilesX && flags[ty * g.tilesX + tx]) tx++;
      const key = `${start}:${tx}`;
      const y = ty * g.tile;
      const h = Math.min(g.tile, height - y);
      const prev = open.get(key);
      if (prev) {
        prev.h += h;
        row.set(key, prev);
        open.delete(key);
      } else {
        const x = start * g.tile;
        row.set(key, { x, y, w: Math.min(tx * g.tile, width) - x, h });
      }
    }
    for (const r of open.values()) out.push(r);
    open.clear();
    for (const [k, r] of row) open.set(k, r);
  }
  for (const r of open.values()) out.push(r);
  return out;
}
