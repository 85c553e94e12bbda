// Puts virtio devices on an MMIO bus the way Firecracker lays them out: one 4 KiB window each
// from 0xd0000000 up, one interrupt each from IRQ 5 up, and the kernel command-line words that
// tell Linux where they are (no ACPI/device tree needed).
//
// Public API (stable):
//   attachVirtioMmio(bus, mem, devices, { line, base?, firstIrq?, log? }): AttachedVirtio[]
//   cmdlineFor(attached): string[]
import type { Bus, InterruptLine } from "../bus.ts";
import type { GuestMemory } from "../memory.ts";
import type { DeviceLog, VirtioDevice } from "./device.ts";
import { VIRTIO_MMIO_SIZE, VirtioMmioTransport, virtioMmioCmdline } from "./mmio.ts";

export const DEFAULT_MMIO_BASE = 0xd000_0000;
export const DEFAULT_FIRST_IRQ = 5;

export interface AttachedVirtio {
  transport: VirtioMmioTransport;
  base: number;
  irq: number;
  /** virtio_mmio.device=... for this device. */
  cmdline: string;
}

export interface AttachOptions {
  /** The backend's interrupt line for a GSI (KVM: an irqfd bound to it). */
  line: (irq: number) => InterruptLine;
  base?: number;
  firstIrq?: number;
  log?: (device: VirtioDevice) => DeviceLog;
}

export function attachVirtioMmio(bus: Bus, mem: GuestMemory, devices: VirtioDevice[], opts: AttachOptions): AttachedVirtio[] {
  const base0 = opts.base ?? DEFAULT_MMIO_BASE;
  const irq0 = opts.firstIrq ?? DEFAULT_FIRST_IRQ;
  return devices.map((device, i) => {
    const base = base0 + i * VIRTIO_MMIO_SIZE;
    const irq = irq0 + i;
    const transport = new VirtioMmioTransport(device, { mem, irq: opts.line(irq), log: opts.log?.(device) });
    bus.insert(base, VIRTIO_MMIO_SIZE, transport, `virtio-${device.name}@${irq}`);
    return { transport, base, irq, cmdline: virtioMmioCmdline(base, VIRTIO_MMIO_SIZE, irq) };
  });
}

export function cmdlineFor(attached: AttachedVirtio[]): string[] {
  return attached.map((a) => a.cmdline);
}
