// Where the initrd goes: as high as the kernel can read it (initrd_addr_max, below the MMIO hole),
// page aligned, above everything the kernel needs while it decompresses and starts.
import { BootError, hex } from "./errors.ts";
import { alignDown } from "./bytes.ts";
import { MMIO_HOLE_START } from "./layout.ts";

const PAGE = 4096;

/**
 * @param memSize guest RAM bytes
 * @param size initrd bytes
 * @param addrMax highest address any initrd byte may have (the header's initrd_addr_max)
 * @param kernelEnd first byte above the kernel's load + init_size window
 */
export function placeInitrd(memSize: number, size: number, addrMax: number, kernelEnd: number): number {
  if (size <= 0) throw new BootError("initrd", "initrd is empty");
  const top = Math.min(memSize, MMIO_HOLE_START, addrMax + 1);
  const addr = alignDown(top - size, PAGE);
  if (addr < kernelEnd) {
    throw new BootError("initrd", `initrd of ${size} bytes does not fit between the kernel (ends ${hex(kernelEnd)}) and ${hex(top)}: give the VM more memory`);
  }
  return addr;
}
