// Guest physical memory: the ONLY way device models touch guest RAM.
//
// Public API (stable; the KVM backend builds one of these from its mmap'd slots):
//   new GuestMemory(regions: MemoryRegion[])   regions must not overlap
//   mem.slice(gpa, len): Uint8Array            a live view; throws GuestMemoryError when any byte
//                                              is outside RAM or the range straddles two regions
//   mem.check(gpa, len): void                  the same validation without making a view
//   mem.read(gpa, len) / mem.write(gpa, bytes) copies in and out
//   mem.readU8/U16/U32/U64, writeU8/U16/U32/U64 little-endian (U64 as bigint)
//
// Guest addresses arrive as 64-bit values from descriptors and registers, so every entry point
// takes number | bigint and rejects anything that is not an exact non-negative integer.
// There is no wraparound: gpa + len is computed exactly and must end inside one region.

export interface MemoryRegion {
  /** Guest physical address of the first byte. */
  gpa: number;
  /** The backing bytes (e.g. Mapping.bytes from lib/ffi/libc.ts mmap). */
  bytes: Uint8Array;
}

export class GuestMemoryError extends Error {
  readonly code = "EGUESTMEM";
  constructor(
    readonly gpa: number | bigint,
    readonly length: number | bigint,
    reason: string,
  ) {
    super(`guest memory ${describe(gpa)}+${length}: ${reason}`);
  }
}

function describe(gpa: number | bigint): string {
  try {
    return "0x" + BigInt(gpa).toString(16);
  } catch {
    return String(gpa);
  }
}

/** Exact, non-negative integer below 2^53 (every real GPA is); anything else is out of range. */
function toAddr(v: number | bigint, what: string, gpa: number | bigint, len: number | bigint): number {
  if (typeof v === "bigint") {
    if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GuestMemoryError(gpa, len, `${what} out of range`);
    return Number(v);
  }
  if (!Number.isSafeInteger(v) || v < 0) throw new GuestMemoryError(gpa, len, `${what} is not a valid integer`);
  return v;
}

interface Region {
  gpa: number;
  end: number;
  bytes: Uint8Array;
  view: DataView;
}

export class GuestMemory {
  private readonly regions: Region[];
  private last = 0;

  constructor(regions: MemoryRegion[]) {
    const sorted = [...regions].sort((a, b) => a.gpa - b.gpa);
    this.regions = sorted.map((r) => {
      toAddr(r.gpa, "region address", r.gpa, r.bytes.length);
      return { gpa: r.gpa, end: r.gpa + r.bytes.length, bytes: r.bytes, view: new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) };
    });
    for (let i = 1; i < this.regions.length; i++) {
      if (this.regions[i]!.gpa < this.regions[i - 1]!.end) throw new GuestMemoryError(this.regions[i]!.gpa, 0, "regions overlap");
    }
  }

  /** Total bytes of RAM across regions. */
  get size(): number {
    return this.regions.reduce((n, r) => n + r.bytes.length, 0);
  }

  /** The region holding [gpa, gpa+len) and the offset of gpa in it; throws otherwise. */
  private locate(gpa: number | bigint, len: number | bigint): { r: Region; off: number; n: number } {
    const a = toAddr(gpa, "address", gpa, len);
    const n = toAddr(len, "length", gpa, len);
    // Fast path: most accesses hit the region used last.
    const cached = this.regions[this.last];
    if (cached && a >= cached.gpa && a + n <= cached.end && a < cached.end) return { r: cached, off: a - cached.gpa, n };
    for (let i = 0; i < this.regions.length; i++) {
      const r = this.regions[i]!;
      if (a < r.gpa || a >= r.end) continue;
      if (a + n > r.end) throw new GuestMemoryError(gpa, len, "range runs past the end of its memory region");
      this.last = i;
      return { r, off: a - r.gpa, n };
    }
    // A zero-length range still has to name a real address: descriptors pointing nowhere are bugs.
    throw new GuestMemoryError(gpa, len, "address is not guest RAM");
  }

  check(gpa: number | bigint, len: number | bigint): void {
    this.locate(gpa, len);
  }

  /** A live view of guest bytes (writes through it reach the guest). */
  slice(gpa: number | bigint, len: number | bigint): Uint8Array {
    const { r, off, n } = this.locate(gpa, len);
    return r.bytes.subarray(off, off + n);
  }

  read(gpa: number | bigint, len: number | bigint): Uint8Array {
    return this.slice(gpa, len).slice();
  }

  write(gpa: number | bigint, data: Uint8Array): void {
    this.slice(gpa, data.length).set(data);
  }

  readU8(gpa: number | bigint): number {
    const { r, off } = this.locate(gpa, 1);
    return r.bytes[off]!;
  }
  readU16(gpa: number | bigint): number {
    const { r, off } = this.locate(gpa, 2);
    return r.view.getUint16(off, true);
  }
  readU32(gpa: number | bigint): number {
    const { r, off } = this.locate(gpa, 4);
    return r.view.getUint32(off, true);
  }
  readU64(gpa: number | bigint): bigint {
    const { r, off } = this.locate(gpa, 8);
    return r.view.getBigUint64(off, true);
  }
  writeU8(gpa: number | bigint, v: number): void {
    const { r, off } = this.locate(gpa, 1);
    r.bytes[off] = v;
  }
  writeU16(gpa: number | bigint, v: number): void {
    const { r, off } = this.locate(gpa, 2);
    r.view.setUint16(off, v, true);
  }
  writeU32(gpa: number | bigint, v: number): void {
    const { r, off } = this.locate(gpa, 4);
    r.view.setUint32(off, v >>> 0, true);
  }
  writeU64(gpa: number | bigint, v: bigint): void {
    const { r, off } = this.locate(gpa, 8);
    r.view.setBigUint64(off, BigInt.asUintN(64, v), true);
  }
}
