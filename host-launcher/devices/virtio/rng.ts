// virtio-rng (spec 5.4): one request queue; every device-writable buffer the driver posts is
// filled from the host's CSPRNG. The guest kernel's CRNG needs this to start quickly (Bun blocks
// until it is ready).
//
// Public API (stable): new VirtioRng()  — a VirtioDevice; wrap it in a VirtioMmioTransport.
import { randomFillSync } from "node:crypto";
import { chainSpans } from "./queue.ts";
import { DEVICE_ID, type VirtioContext, type VirtioDevice } from "./device.ts";

/** Upper bound of random bytes per request: a driver posting a huge buffer gets a partial fill. */
const MAX_PER_REQUEST = 64 * 1024;

export class VirtioRng implements VirtioDevice {
  readonly deviceId = DEVICE_ID.RNG;
  readonly name = "rng";
  readonly queueSizes = [256];
  readonly features = 0n;
  private ctx: VirtioContext | undefined;
  /** Bytes handed to the guest, for diagnostics. */
  bytesServed = 0;

  readConfig(_offset: number, data: Uint8Array): void {
    data.fill(0);
  }
  writeConfig(): void {}

  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
  }

  notify(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.serviceQueue(0, (chain) => {
      let n = 0;
      for (const span of chainSpans(ctx.mem, chain.writable, 0, MAX_PER_REQUEST)) {
        randomFillSync(span);
        n += span.length;
      }
      this.bytesServed += n;
      return n;
    });
  }

  reset(): void {
    this.ctx = undefined;
  }
}
