// The one way the boot code touches guest RAM: a writer that resolves a guest-physical range to the
// host buffer and refuses ranges that are not wholly RAM (the MMIO hole, past the end, or straddling).
import { BootError, hex } from "./errors.ts";
import { ramRegions, type RamRegion } from "./layout.ts";

export interface GuestMemoryWriter {
  /** Copy `data` to guest-physical `gpa`; throws BootError if any byte is not RAM. */
  write(gpa: number, data: Uint8Array): void;
  /** A live view of `size` bytes at `gpa` (for in-place structure writers). */
  view(gpa: number, size: number): Uint8Array;
  readonly regions: readonly RamRegion[];
}

/**
 * Guest RAM held in one host buffer laid out as `ramRegions(bytes.length)` says: bytes below the hole
 * at their own address, the rest at 4 GiB and up. This is how a backend maps its single allocation.
 */
export function guestRam(bytes: Uint8Array): GuestMemoryWriter {
  const regions = ramRegions(bytes.length);
  const view = (gpa: number, size: number): Uint8Array => {
    if (!Number.isSafeInteger(gpa) || !Number.isSafeInteger(size) || gpa < 0 || size < 0) {
      throw new BootError("memory-layout", `guest range ${gpa}+${size} is not a valid address range`);
    }
    for (const r of regions) {
      if (gpa >= r.gpa && gpa + size <= r.gpa + r.size) {
        const off = r.hostOffset + (gpa - r.gpa);
        return bytes.subarray(off, off + size);
      }
    }
    throw new BootError("memory-layout", `guest range ${hex(gpa)}..${hex(gpa + size)} is not inside guest RAM (${describe(regions)})`);
  };
  return {
    regions,
    view,
    write(gpa, data) {
      view(gpa, data.length).set(data);
    },
  };
}

function describe(regions: readonly RamRegion[]): string {
  return regions.map((r) => `${hex(r.gpa)}..${hex(r.gpa + r.size)}`).join(", ");
}
