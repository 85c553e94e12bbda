// The virtio-mmio transport, version 2 (virtio 1.2 spec 4.2.2): a BusDevice on the MMIO bus
// that owns feature negotiation, the device status state machine, queue registers and the
// interrupt status, and drives one VirtioDevice.
//
// Public API (stable):
//   new VirtioMmioTransport(device, { mem, irq, log? })   a BusDevice; map it with
//       bus.insert(base, VIRTIO_MMIO_SIZE, transport, name)
//   transport.status / .interruptStatus / .driverFeatures   read-only views for diagnostics
//   virtioMmioCmdline(base, size, irq)  the kernel parameter that announces one device
//   VIRTIO_MMIO_SIZE, VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_VENDOR, REG (register offsets)
import type { BusDevice, InterruptLine } from "../bus.ts";
import type { GuestMemory } from "../memory.ts";
import { bit, STATUS, VIRTIO_F_VERSION_1, type ChainHandler, type DeviceLog, type VirtioContext, type VirtioDevice } from "./device.ts";
import { Virtqueue, VirtqueueError, VIRTIO_RING_F_EVENT_IDX, VIRTIO_RING_F_INDIRECT_DESC } from "./queue.ts";

export const VIRTIO_MMIO_MAGIC = 0x74726976; // "virt"
export const VIRTIO_MMIO_VENDOR = 0x736f7374; // "tsos"
/** One page per device, as Firecracker and QEMU's microvm lay them out. */
export const VIRTIO_MMIO_SIZE = 0x1000;
const CONFIG_SPACE = 0x100;

export const REG = {
  MAGIC: 0x000,
  VERSION: 0x004,
  DEVICE_ID: 0x008,
  VENDOR_ID: 0x00c,
  DEVICE_FEATURES: 0x010,
  DEVICE_FEATURES_SEL: 0x014,
  DRIVER_FEATURES: 0x020,
  DRIVER_FEATURES_SEL: 0x024,
  QUEUE_SEL: 0x030,
  QUEUE_NUM_MAX: 0x034,
  QUEUE_NUM: 0x038,
  QUEUE_READY: 0x044,
  QUEUE_NOTIFY: 0x050,
  INTERRUPT_STATUS: 0x060,
  INTERRUPT_ACK: 0x064,
  STATUS: 0x070,
  QUEUE_DESC_LOW: 0x080,
  QUEUE_DESC_HIGH: 0x084,
  QUEUE_DRIVER_LOW: 0x090,
  QUEUE_DRIVER_HIGH: 0x094,
  QUEUE_DEVICE_LOW: 0x0a0,
  QUEUE_DEVICE_HIGH: 0x0a4,
  SHM_SEL: 0x0ac,
  SHM_LEN_LOW: 0x0b0,
  SHM_LEN_HIGH: 0x0b4,
  SHM_BASE_LOW: 0x0b8,
  SHM_BASE_HIGH: 0x0bc,
  CONFIG_GENERATION: 0x0fc,
} as const;

export const INT_USED_BUFFER = 1;
export const INT_CONFIG_CHANGE = 2;

/** "virtio_mmio.device=<size>@<base>:<irq>" (Linux VIRTIO_MMIO_CMDLINE_DEVICES). */
export function virtioMmioCmdline(base: number, size: number, irq: number): string {
  const sz = size % 1024 === 0 ? `${size / 1024}K` : `${size}`;
  return `virtio_mmio.device=${sz}@0x${base.toString(16)}:${irq}`;
}

/** How many chains one serviceQueue call may handle before yielding (a driver cannot keep us busy forever). */
const CHAINS_PER_CALL = 4;

/** Log lines per second a device may emit; a guest spraying bad chains cannot flood the host's log. */
const LOG_PER_SECOND = 20;

function rateLimited(log: DeviceLog): DeviceLog {
  let windowStart = 0;
  let count = 0;
  let suppressed = 0;
  return (level, msg) => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      if (suppressed) log("warn", `${suppressed} more messages suppressed`);
      windowStart = now;
      count = suppressed = 0;
    }
    if (++count <= LOG_PER_SECOND) log(level, msg);
    else suppressed++;
  };
}

export interface TransportOptions {
  mem: GuestMemory;
  irq: InterruptLine;
  log?: DeviceLog;
}

export class VirtioMmioTransport implements BusDevice {
  status = 0;
  interruptStatus = 0;
  driverFeatures = 0n;
  configGeneration = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private queueSel = 0;
  private readonly queues: Virtqueue[];
  private readonly offered: bigint;
  private readonly mem: GuestMemory;
  private readonly irq: InterruptLine;
  private readonly log: DeviceLog;
  /** Queues are live (DRIVER_OK reached and no DEVICE_NEEDS_RESET since). */
  private active = false;
  /** device.activate() ran, so device.reset() is owed at the next reset. */
  private activated = false;
  private warnedWidth = false;

  constructor(
    readonly device: VirtioDevice,
    opts: TransportOptions,
  ) {
    this.mem = opts.mem;
    this.irq = opts.irq;
    this.log = rateLimited(opts.log ?? ((level, msg) => console.error(`virtio-${device.name} ${level}: ${msg}`)));
    this.queues = device.queueSizes.map((n) => new Virtqueue(n));
    this.offered = device.features | bit(VIRTIO_F_VERSION_1) | bit(VIRTIO_RING_F_INDIRECT_DESC) | bit(VIRTIO_RING_F_EVENT_IDX);
  }

  read(offset: number, data: Uint8Array): void {
    if (offset >= CONFIG_SPACE) return this.device.readConfig(offset - CONFIG_SPACE, data);
    data.fill(0);
    if (!this.registerAccess(offset, data)) return;
    new DataView(data.buffer, data.byteOffset, 4).setUint32(0, this.readRegister(offset), true);
  }

  write(offset: number, data: Uint8Array): void {
    if (offset >= CONFIG_SPACE) {
      if (this.status & STATUS.DRIVER_OK || this.status & STATUS.DRIVER) this.device.writeConfig(offset - CONFIG_SPACE, data);
      return;
    }
    if (!this.registerAccess(offset, data)) return;
    this.writeRegister(offset, new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true));
  }

  /** Registers below the config space are 32-bit and aligned (spec 4.2.2.2). */
  private registerAccess(offset: number, data: Uint8Array): boolean {
    if (data.length === 4 && offset % 4 === 0) return true;
    if (!this.warnedWidth) this.log("warn", `ignored ${data.length}-byte access to register 0x${offset.toString(16)}`);
    this.warnedWidth = true;
    return false;
  }

  private get queue(): Virtqueue | undefined {
    return this.queues[this.queueSel];
  }

  private readRegister(offset: number): number {
    const q = this.queue;
    switch (offset) {
      case REG.MAGIC: return VIRTIO_MMIO_MAGIC;
      case REG.VERSION: return 2;
      case REG.DEVICE_ID: return this.device.deviceId;
      case REG.VENDOR_ID: return VIRTIO_MMIO_VENDOR;
      case REG.DEVICE_FEATURES:
        return this.deviceFeaturesSel > 1 ? 0 : Number((this.offered >> BigInt(32 * this.deviceFeaturesSel)) & 0xffffffffn);
      case REG.QUEUE_NUM_MAX: return q ? q.maxSize : 0;
      case REG.QUEUE_READY: return q?.ready ? 1 : 0;
      case REG.INTERRUPT_STATUS: return this.interruptStatus;
      case REG.STATUS: return this.status;
      case REG.CONFIG_GENERATION: return this.configGeneration;
      // No shared memory regions: a length of all ones means "does not exist" (spec 4.2.2).
      case REG.SHM_LEN_LOW: case REG.SHM_LEN_HIGH: case REG.SHM_BASE_LOW: case REG.SHM_BASE_HIGH: return 0xffffffff;
      default: return 0;
    }
  }

  private writeRegister(offset: number, v: number): void {
    switch (offset) {
      case REG.DEVICE_FEATURES_SEL: this.deviceFeaturesSel = v; return;
      case REG.DRIVER_FEATURES_SEL: this.driverFeaturesSel = v; return;
      case REG.DRIVER_FEATURES: return this.writeDriverFeatures(v);
      case REG.QUEUE_SEL: this.queueSel = v; return;
      case REG.QUEUE_NOTIFY: return this.notify(v);
      case REG.INTERRUPT_ACK: return this.ack(v);
      case REG.STATUS: return this.writeStatus(v);
      default: return this.writeQueueRegister(offset, v);
    }
  }

  private writeDriverFeatures(v: number): void {
    // Features are fixed once FEATURES_OK is set.
    if (this.status & STATUS.FEATURES_OK || this.driverFeaturesSel > 1) return;
    const shift = BigInt(32 * this.driverFeaturesSel);
    this.driverFeatures = (this.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(v >>> 0) << shift);
  }

  private writeQueueRegister(offset: number, v: number): void {
    const q = this.queue;
    if (!q) return;
    if (offset === REG.QUEUE_READY) {
      q.ready = v === 1 && !(this.status & STATUS.DEVICE_NEEDS_RESET);
      return;
    }
    // The layout of a live queue cannot change under the device (spec 4.2.2.3).
    if (q.ready) return;
    const lo = (a: bigint) => (a & 0xffffffff00000000n) | BigInt(v >>> 0);
    const hi = (a: bigint) => (a & 0xffffffffn) | (BigInt(v >>> 0) << 32n);
    switch (offset) {
      case REG.QUEUE_NUM: q.size = v; return;
      case REG.QUEUE_DESC_LOW: q.descAddr = lo(q.descAddr); return;
      case REG.QUEUE_DESC_HIGH: q.descAddr = hi(q.descAddr); return;
      case REG.QUEUE_DRIVER_LOW: q.driverAddr = lo(q.driverAddr); return;
      case REG.QUEUE_DRIVER_HIGH: q.driverAddr = hi(q.driverAddr); return;
      case REG.QUEUE_DEVICE_LOW: q.deviceAddr = lo(q.deviceAddr); return;
      case REG.QUEUE_DEVICE_HIGH: q.deviceAddr = hi(q.deviceAddr); return;
    }
  }

  private writeStatus(v: number): void {
    if (v === 0) return this.reset();
    const old = this.status;
    let next = (v & 0xff) | (old & STATUS.DEVICE_NEEDS_RESET);
    if (next & STATUS.FEATURES_OK && !(old & STATUS.FEATURES_OK)) {
      const unknown = this.driverFeatures & ~this.offered;
      if (unknown || !(this.driverFeatures & bit(VIRTIO_F_VERSION_1))) {
        this.log("warn", `driver features 0x${this.driverFeatures.toString(16)} refused (offered 0x${this.offered.toString(16)}, VERSION_1 required)`);
        next &= ~STATUS.FEATURES_OK;
      }
    }
    this.status = next;
    if (next & STATUS.DRIVER_OK && !(old & STATUS.DRIVER_OK)) this.activate();
  }

  private activate(): void {
    if (!(this.status & STATUS.FEATURES_OK)) return this.needsReset("DRIVER_OK without FEATURES_OK");
    for (const [i, q] of this.queues.entries()) {
      if (!q.ready) continue;
      try {
        q.validate(this.mem);
      } catch (e) {
        return this.needsReset(`queue ${i}: ${(e as Error).message}`);
      }
      q.activate(this.driverFeatures);
    }
    this.active = true;
    this.activated = true;
    try {
      this.device.activate(this.context());
    } catch (e) {
      this.needsReset(`activate: ${(e as Error).message}`);
    }
  }

  private context(): VirtioContext {
    return {
      mem: this.mem,
      queues: this.queues,
      features: this.driverFeatures,
      log: this.log,
      serviceQueue: (qi, handle, more) => this.serviceQueue(qi, handle, more),
      configChanged: () => {
        this.configGeneration = (this.configGeneration + 1) >>> 0;
        this.raise(INT_CONFIG_CHANGE);
      },
    };
  }

  private notify(qi: number): void {
    if (!this.active || !this.queues[qi]?.ready) return;
    try {
      this.device.notify(qi);
    } catch (e) {
      this.needsReset(`queue ${qi}: ${(e as Error).message}`);
    }
  }

  private serviceQueue(qi: number, handle: ChainHandler, more: () => boolean = () => true): number {
    const q = this.queues[qi];
    if (!this.active || !q?.ready) return 0;
    let handled = 0;
    try {
      for (let budget = q.size * CHAINS_PER_CALL; budget > 0 && more(); budget--) {
        let chain;
        try {
          chain = q.pop(this.mem);
        } catch (e) {
          if (!(e instanceof VirtqueueError) || e.fatal) throw e;
          this.log("error", `queue ${qi}: skipped a bad chain: ${e.message}`);
          if (e.head !== undefined) q.pushUsed(this.mem, e.head, 0);
          continue;
        }
        if (!chain) break;
        const len = handle(chain);
        q.pushUsed(this.mem, chain.head, Math.min(len, chain.writableLen));
        handled++;
      }
      if (q.needsInterrupt(this.mem)) this.raise(INT_USED_BUFFER);
    } catch (e) {
      this.needsReset(`queue ${qi}: ${(e as Error).message}`);
    }
    return handled;
  }

  private raise(bits: number): void {
    this.interruptStatus |= bits;
    this.irq.assert();
  }

  private ack(v: number): void {
    this.interruptStatus &= ~v;
    if (this.interruptStatus === 0) this.irq.deassert();
  }

  /** Spec 2.1.2: stop using the queues, tell the driver with a config-change interrupt. */
  private needsReset(why: string): void {
    this.log("error", `device needs reset: ${why}`);
    this.active = false;
    for (const q of this.queues) q.ready = false;
    if (this.status & STATUS.DEVICE_NEEDS_RESET) return;
    this.status |= STATUS.DEVICE_NEEDS_RESET;
    if (this.status & STATUS.DRIVER_OK) this.raise(INT_CONFIG_CHANGE);
  }

  private reset(): void {
    this.active = false;
    this.status = 0;
    this.driverFeatures = 0n;
    this.deviceFeaturesSel = this.driverFeaturesSel = this.queueSel = 0;
    for (const q of this.queues) q.reset();
    if (this.interruptStatus) this.irq.deassert();
    this.interruptStatus = 0;
    if (this.activated) this.device.reset();
    this.activated = false;
  }
}
