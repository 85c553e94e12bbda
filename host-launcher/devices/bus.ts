// Address buses (MMIO and port I/O) and interrupt lines: what a hypervisor backend
// dispatches exits to, independent of KVM/WHP/HVF.
//
// Public API (stable):
//   interface BusDevice { read(offset, data); write(offset, data) }   offset is relative to the
//       device's base; data.length is the access width (1, 2, 4 or 8; any for config space)
//   class Bus { insert(base, size, device, name); remove(base); read(addr, data): boolean;
//               write(addr, data): boolean; ranges() }   read/write return false when nothing
//       is mapped there (the backend then reads all-ones / drops the write, as hardware does)
//   interface InterruptLine { assert(); deassert() }      implemented by the backend
//       (KVM: irqfd or KVM_IRQ_LINE); RecordingLine records calls for tests.
//   class BusError   overlapping or empty ranges at insert time

export interface BusDevice {
  read(offset: number, data: Uint8Array): void;
  write(offset: number, data: Uint8Array): void;
}

export class BusError extends Error {
  readonly code = "EBUS";
}

interface Range {
  base: number;
  size: number;
  device: BusDevice;
  name: string;
}

export class Bus {
  /** Sorted by base, non-overlapping. */
  private readonly list: Range[] = [];

  constructor(readonly name: string) {}

  insert(base: number, size: number, device: BusDevice, name = "device"): void {
    if (!Number.isSafeInteger(base) || !Number.isSafeInteger(size) || base < 0 || size <= 0) {
      throw new BusError(`${this.name}: bad range for ${name}: base ${base} size ${size}`);
    }
    const clash = this.list.find((r) => base < r.base + r.size && r.base < base + size);
    if (clash) throw new BusError(`${this.name}: ${name} at 0x${base.toString(16)} overlaps ${clash.name} at 0x${clash.base.toString(16)}`);
    this.list.push({ base, size, device, name });
    this.list.sort((a, b) => a.base - b.base);
  }

  remove(base: number): boolean {
    const i = this.list.findIndex((r) => r.base === base);
    if (i >= 0) this.list.splice(i, 1);
    return i >= 0;
  }

  ranges(): { base: number; size: number; name: string }[] {
    return this.list.map(({ base, size, name }) => ({ base, size, name }));
  }

  /** The device whose range holds the whole access [addr, addr+len), by binary search. */
  private find(addr: number, len: number): Range | undefined {
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.list[mid]!;
      if (addr < r.base) hi = mid - 1;
      else if (addr >= r.base + r.size) lo = mid + 1;
      else return addr + len <= r.base + r.size ? r : undefined;
    }
    return undefined;
  }

  read(addr: number, data: Uint8Array): boolean {
    const r = this.find(addr, data.length);
    if (!r) return false;
    r.device.read(addr - r.base, data);
    return true;
  }

  write(addr: number, data: Uint8Array): boolean {
    const r = this.find(addr, data.length);
    if (!r) return false;
    r.device.write(addr - r.base, data);
    return true;
  }
}

/**
 * An interrupt input of the guest's interrupt controller.
 * assert() is called every time a device raises an interrupt, even when it is already raised:
 * an edge-triggered backend (KVM irqfd) fires on each call, a level-triggered one holds the line
 * high. deassert() is called when the device has nothing pending; edge backends ignore it.
 */
export interface InterruptLine {
  assert(): void;
  deassert(): void;
}

/** A line that remembers what devices did to it: for tests and diagnostics. */
export class RecordingLine implements InterruptLine {
  asserts = 0;
  deasserts = 0;
  level = false;
  assert(): void {
    this.asserts++;
    this.level = true;
  }
  deassert(): void {
    this.deasserts++;
    this.level = false;
  }
}
