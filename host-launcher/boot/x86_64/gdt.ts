// The boot GDT (Firecracker's gdt.rs): null, 64-bit code at 0x08, data at 0x10, a TSS at 0x18, and
// the segment register contents derived from those descriptors, so the two can never disagree.
import { Fields } from "./bytes.ts";

export interface Segment {
  base: number;
  limit: number; // in bytes, already scaled by granularity
  selector: number;
  type: number; // 4-bit type field
  present: boolean;
  dpl: number;
  /** D/B: default operand size 32-bit. */
  db: boolean;
  /** S: code/data (true) or system (false). */
  s: boolean;
  /** L: 64-bit code segment. */
  l: boolean;
  /** G: limit in 4 KiB units. */
  g: boolean;
  avl: boolean;
  /** The segment is unusable (as a null selector loads). */
  unusable: boolean;
}

/** Build a descriptor from flags (the 0xAF9B-style word: G D/B L AVL in bits 15..12, P DPL S TYPE in 7..0), base and 20-bit limit. */
export function gdtEntry(flags: number, base: number, limit: number): bigint {
  const b = BigInt(base >>> 0);
  const l = BigInt(limit & 0xfffff);
  const fl = BigInt(flags & 0xf0ff);
  return ((b & 0xff000000n) << 32n) | ((fl & 0xf0ffn) << 40n) | ((l & 0xf0000n) << 32n) | ((b & 0x00ffffffn) << 16n) | (l & 0xffffn);
}

/** Decode a descriptor as the CPU does when the selector is loaded. */
export function decodeDescriptor(d: bigint, selector: number): Segment {
  const base = Number(((d >> 16n) & 0xffffffn) | ((d >> 32n) & 0xff000000n));
  const rawLimit = Number((d & 0xffffn) | ((d >> 32n) & 0xf0000n));
  const g = ((d >> 55n) & 1n) === 1n;
  const present = ((d >> 47n) & 1n) === 1n;
  return {
    base,
    limit: g ? rawLimit * 4096 + 0xfff : rawLimit,
    selector,
    type: Number((d >> 40n) & 0xfn),
    present,
    dpl: Number((d >> 45n) & 3n),
    db: ((d >> 54n) & 1n) === 1n,
    s: ((d >> 44n) & 1n) === 1n,
    l: ((d >> 53n) & 1n) === 1n,
    g,
    avl: ((d >> 52n) & 1n) === 1n,
    unusable: !present,
  };
}

export const BOOT_CS = 0x08;
export const BOOT_DS = 0x10;
export const BOOT_TSS = 0x18;

/** null, code64 (0x00af9b000000ffff), data (0x00cf93000000ffff), TSS (0x008f8b000000ffff). */
export const BOOT_GDT: readonly bigint[] = [
  gdtEntry(0, 0, 0),
  gdtEntry(0xa09b, 0, 0xfffff),
  gdtEntry(0xc093, 0, 0xfffff),
  gdtEntry(0x808b, 0, 0xfffff),
];

/** For PVH's 32-bit entry: the code descriptor is 32-bit (D/B set, L clear) instead of 64-bit. */
export const PVH_GDT: readonly bigint[] = [
  gdtEntry(0, 0, 0),
  gdtEntry(0xc09b, 0, 0xfffff),
  gdtEntry(0xc093, 0, 0xfffff),
  gdtEntry(0x008b, 0, 0x67),
];

export function gdtBytes(entries: readonly bigint[] = BOOT_GDT): Uint8Array {
  const f = new Fields(new Uint8Array(entries.length * 8), "GDT", "memory-layout");
  entries.forEach((e, i) => f.set64(i * 8, e));
  return f.bytes;
}

/** The segment registers a vCPU starts with: CS from the code descriptor, DS..SS from data, TR from the TSS. */
export function bootSegments(gdt: readonly bigint[] = BOOT_GDT): { cs: Segment; data: Segment; tr: Segment } {
  return {
    cs: decodeDescriptor(gdt[1]!, BOOT_CS),
    data: decodeDescriptor(gdt[2]!, BOOT_DS),
    tr: decodeDescriptor(gdt[3]!, BOOT_TSS),
  };
}
