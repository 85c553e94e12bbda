// What every virtio device model implements, and what the transport gives it back.
// A device knows only its own config space and queues (kvmtool's split); the transport
// (mmio.ts) owns feature negotiation, the status state machine, registers and interrupts.
//
// Public API (stable):
//   interface VirtioDevice   one per device type (rng.ts, blk.ts, console.ts, net.ts, input.ts)
//   interface VirtioContext  handed to activate(): guest memory, queues, negotiated features,
//                            serviceQueue() (the bounded, error-catching run loop), configChanged()
//   DEVICE_ID, STATUS, VIRTIO_F_VERSION_1, bit(n), DeviceLog, configRead(), hostCall()
import type { DescriptorChain, Virtqueue } from "./queue.ts";
import type { GuestMemory } from "../memory.ts";

export const DEVICE_ID = { NET: 1, BLOCK: 2, CONSOLE: 3, RNG: 4, INPUT: 18 } as const;
export const STATUS = { ACKNOWLEDGE: 1, DRIVER: 2, DRIVER_OK: 4, FEATURES_OK: 8, DEVICE_NEEDS_RESET: 64, FAILED: 128 } as const;
export const VIRTIO_F_VERSION_1 = 32;

/** Feature bit n as a mask. */
export const bit = (n: number): bigint => 1n << BigInt(n);

export type DeviceLog = (level: "info" | "warn" | "error", msg: string) => void;

/** Handles one chain; returns the number of bytes written into its device-writable buffers. */
export type ChainHandler = (chain: DescriptorChain) => number;

export interface VirtioContext {
  readonly mem: GuestMemory;
  readonly queues: readonly Virtqueue[];
  /** The feature bits the driver accepted. */
  readonly features: bigint;
  readonly log: DeviceLog;
  /**
   * Pops chains from queue `qi` while `more()` says so (default: always), hands each to `handle`,
   * returns them as used and raises the interrupt if the driver wants it. A bad chain is logged and
   * returned with length 0; a broken ring or a throwing handler marks the device DEVICE_NEEDS_RESET.
   * Never throws, and stops after a bounded number of chains. Returns how many chains were handled.
   */
  serviceQueue(qi: number, handle: ChainHandler, more?: () => boolean): number;
  /** The device's config space changed (e.g. a link status): config generation and interrupt. */
  configChanged(): void;
}

export interface VirtioDevice {
  readonly deviceId: number;
  /** For logs: "blk", "net", ... */
  readonly name: string;
  /** Maximum size of each queue (power of two); the queue count is its length. */
  readonly queueSizes: readonly number[];
  /** Device-specific feature bits offered (the transport adds VERSION_1 and the ring features). */
  readonly features: bigint;
  readConfig(offset: number, data: Uint8Array): void;
  writeConfig(offset: number, data: Uint8Array): void;
  /** DRIVER_OK: queues are valid and features final. */
  activate(ctx: VirtioContext): void;
  /** The driver notified queue `qi`. Errors thrown here mark the device DEVICE_NEEDS_RESET. */
  notify(qi: number): void;
  /** Status written 0 (or the transport gave up): forget the driver's state. */
  reset(): void;
}

/** Copies from a config-space byte image, zero-filling reads past its end. */
export function configRead(space: Uint8Array, offset: number, data: Uint8Array): void {
  data.fill(0);
  if (offset >= 0 && offset < space.length) data.set(space.subarray(offset, Math.min(space.length, offset + data.length)));
}

/**
 * Runs a host-side callback (a socket write, a backend) from inside queue processing. Its failure
 * loses that data but is not the guest's fault, so it must not mark the device DEVICE_NEEDS_RESET.
 */
export function hostCall(f: () => void, onError: (message: string) => void): void {
  try {
    f();
  } catch (e) {
    onError((e as Error).message);
  }
}
