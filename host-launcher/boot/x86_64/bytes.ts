// Little-endian field access over a byte buffer, bounds-checked with the structure's name in the error,
// so a truncated kernel image reports "bzImage setup header ends at 0x1f1" instead of a RangeError.
import { BootError, type BootErrorCode, hex } from "./errors.ts";

export class Fields {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly what: string, readonly code: BootErrorCode = "kernel-truncated") {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  check(offset: number, size: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.bytes.length) {
      throw new BootError(this.code, `${this.what}: ${size}-byte field at ${hex(offset)} lies outside its ${this.bytes.length} bytes`);
    }
  }

  u8(o: number): number { this.check(o, 1); return this.view.getUint8(o); }
  u16(o: number): number { this.check(o, 2); return this.view.getUint16(o, true); }
  u32(o: number): number { this.check(o, 4); return this.view.getUint32(o, true); }
  /** A u64 as a number; addresses in boot structures stay below 2^53. */
  u64(o: number): number { this.check(o, 8); return Number(this.view.getBigUint64(o, true)); }
  u64n(o: number): bigint { this.check(o, 8); return this.view.getBigUint64(o, true); }

  set8(o: number, v: number): void { this.check(o, 1); this.view.setUint8(o, v); }
  set16(o: number, v: number): void { this.check(o, 2); this.view.setUint16(o, v, true); }
  set32(o: number, v: number): void { this.check(o, 4); this.view.setUint32(o, v >>> 0, true); }
  set64(o: number, v: number | bigint): void { this.check(o, 8); this.view.setBigUint64(o, BigInt(v), true); }

  slice(o: number, size: number): Uint8Array { this.check(o, size); return this.bytes.subarray(o, o + size); }
  ascii(o: number, size: number): string { return String.fromCharCode(...this.slice(o, size)); }
  setAscii(o: number, s: string, size = s.length): void {
    const b = this.slice(o, size);
    b.fill(0x20);
    for (let i = 0; i < Math.min(s.length, size); i++) b[i] = s.charCodeAt(i) & 0x7f;
  }
}

/** Sum of all bytes mod 256: MP tables are valid when their bytes sum to zero. */
export function byteSum(b: Uint8Array): number {
  let s = 0;
  for (const x of b) s = (s + x) & 0xff;
  return s;
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function alignDown(n: number, a: number): number {
  return Math.floor(n / a) * a;
}
