// The guest-physical memory map of a tsos x86-64 VM, in one place. Low addresses follow Firecracker's
// arch/x86_64/layout.rs (boot structures below the EBDA, kernel at 1 MiB); the 1 GiB below 4 GiB is a
// hole for device MMIO: virtio-mmio windows, the framebuffer, the IOAPIC and the local APIC.

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** GDT and (empty) IDT the vCPU starts with. */
export const GDT_ADDR = 0x500;
export const IDT_ADDR = 0x520;
/** struct boot_params (the "zero page"), passed in RSI. */
export const ZERO_PAGE_ADDR = 0x7000;
/** Initial stack pointer; the kernel switches to its own stack at once. */
export const BOOT_STACK_POINTER = 0x8ff0;
/** Identity-map page tables: one PML4, one PDPT, then one PD per GiB mapped. */
export const PML4_ADDR = 0x9000;
export const PDPT_ADDR = 0xa000;
export const PD_ADDR = 0xb000;
/** Page directories at PD_ADDR.. each map 1 GiB with 2 MiB pages; four cover the whole 32-bit space. */
export const IDENTITY_MAP_GIB = 4;
/** Kernel command line; the boot protocol caps it at the header's cmdline_size. */
export const CMDLINE_ADDR = 0x20000;
export const CMDLINE_MAX = 0x10000;
/** Start of the extended BIOS data area: Linux scans its first KiB for the MP floating pointer. */
export const EBDA_START = 0x9fc00;
/** End of conventional memory; 0xa0000..1 MiB is the legacy VGA/ROM window, never RAM. */
export const LOW_RAM_END = 0xa0000;
/** Where bzImage's protected-mode code goes and where RAM above the legacy window starts. */
export const HIMEM_START = 0x100000;
export const KERNEL_LOAD_ADDR = HIMEM_START;

/** The MMIO hole: guest RAM beyond 3 GiB continues at 4 GiB. */
export const MMIO_HOLE_START = 3 * GiB;
export const MMIO_HOLE_END = 4 * GiB;
/** virtio-mmio device windows (one 4 KiB page each), the first at VIRTIO_MMIO_BASE. */
export const VIRTIO_MMIO_BASE = 0xd000_0000;
export const VIRTIO_MMIO_SIZE = 0x1000;
export const VIRTIO_MMIO_MAX_DEVICES = 64;
/** First IRQ handed to virtio-mmio devices (0-4 are the PIT, keyboard, cascade, COM2, COM1). */
export const VIRTIO_MMIO_FIRST_IRQ = 5;
/** The simple-framebuffer: a host buffer mapped into the hole; reserved in the e820 map. */
export const FRAMEBUFFER_BASE = 0xe000_0000;
export const FRAMEBUFFER_MAX_SIZE = 256 * MiB;
export const IOAPIC_ADDR = 0xfec0_0000;
export const APIC_ADDR = 0xfee0_0000;

/** The COM1 UART the kernel console uses. */
export const COM1_PORT = 0x3f8;
export const COM1_IRQ = 4;

/** The MMIO window and IRQ of the n-th virtio-mmio device (0-based). */
export function virtioMmioSlot(n: number): { base: number; size: number; irq: number } {
  if (!Number.isInteger(n) || n < 0 || n >= VIRTIO_MMIO_MAX_DEVICES) throw new RangeError(`virtio-mmio slot ${n} out of range`);
  return { base: VIRTIO_MMIO_BASE + n * VIRTIO_MMIO_SIZE, size: VIRTIO_MMIO_SIZE, irq: VIRTIO_MMIO_FIRST_IRQ + n };
}

/** A range of guest RAM and where it starts in the host's one contiguous allocation. */
export interface RamRegion {
  gpa: number;
  size: number;
  hostOffset: number;
}

/**
 * How `memSize` bytes of RAM appear to the guest: one region from 0, and a second at 4 GiB for
 * whatever does not fit below the hole. A backend maps one host buffer as these slots.
 */
export function ramRegions(memSize: number): RamRegion[] {
  if (!Number.isSafeInteger(memSize) || memSize <= 0) throw new RangeError(`memory size ${memSize} invalid`);
  const low = Math.min(memSize, MMIO_HOLE_START);
  const regions: RamRegion[] = [{ gpa: 0, size: low, hostOffset: 0 }];
  if (memSize > low) regions.push({ gpa: MMIO_HOLE_END, size: memSize - low, hostOffset: low });
  return regions;
}
