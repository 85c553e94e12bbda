// virtio-net (spec 5.1): one receive and one transmit queue, a fixed MAC, link status, and the
// 12-byte virtio_net_hdr of virtio 1.x in front of every frame. No offloads are offered, so the
// header is all zeroes apart from num_buffers = 1. Frames go to and come from a NetBackend
// (net/passt.ts in the launcher; any stream peer in tests).
//
// Public API (stable):
//   interface NetBackend { send(frame); onFrame }
//   new VirtioNet({ mac, backend, mtu? })   mac as "52:54:00:12:34:56" or 6 bytes; mtu 1500
//   net.setLinkUp(up)                   config change interrupt to the guest
//   net.stats                           frames and drops, for diagnostics
//   VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS, VIRTIO_NET_F_MTU, DEFAULT_MTU, NET_HDR_LEN, parseMac()
import { ChainWriter, readChain } from "./queue.ts";
import { bit, configRead, DEVICE_ID, hostCall, type VirtioContext, type VirtioDevice } from "./device.ts";

export const VIRTIO_NET_F_MTU = 3;
export const VIRTIO_NET_F_MAC = 5;
export const VIRTIO_NET_F_STATUS = 16;
export const VIRTIO_NET_S_LINK_UP = 1;
export const NET_HDR_LEN = 12;
/**
 * The guest's MTU (VIRTIO_NET_F_MTU caps it there). 1500 keeps Linux on one-page receive
 * buffers; above 1500 Linux posts multi-page "big packet" buffers (passt's own default is 65520,
 * much faster for bulk TCP, at ~16 pages per receive buffer). Give passt the same value.
 */
export const DEFAULT_MTU = 1500;
const RX = 0;
const TX = 1;
const QUEUE_SIZE = 256;
/** A frame larger than this from the guest is dropped (no TSO is negotiated). */
const MAX_TX_FRAME = 65536 + 18;
/** Frames held while the guest posts no receive buffers; older ones are kept, newer dropped. */
const MAX_PENDING_RX = 256;

export interface NetBackend {
  /** A frame the guest transmitted (without the virtio header). */
  send(frame: Uint8Array): void;
  /** Set by the device: frames for the guest. */
  onFrame: ((frame: Uint8Array) => void) | undefined;
}

export function parseMac(mac: string | Uint8Array): Uint8Array {
  if (mac instanceof Uint8Array) {
    if (mac.length !== 6) throw new Error(`a MAC address has 6 bytes, not ${mac.length}`);
    return mac;
  }
  const parts = mac.split(":");
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new Error(`bad MAC address ${mac}`);
  return new Uint8Array(parts.map((p) => parseInt(p, 16)));
}

export class VirtioNet implements VirtioDevice {
  readonly deviceId = DEVICE_ID.NET;
  readonly name = "net";
  readonly queueSizes = [QUEUE_SIZE, QUEUE_SIZE];
  readonly features = bit(VIRTIO_NET_F_MTU) | bit(VIRTIO_NET_F_MAC) | bit(VIRTIO_NET_F_STATUS);
  readonly stats = { rxFrames: 0, txFrames: 0, rxDropped: 0, txDropped: 0 };
  /** mac[6], status u16, max_virtqueue_pairs u16, mtu u16. */
  private readonly config = new Uint8Array(12);
  private ctx: VirtioContext | undefined;
  private pending: Uint8Array[] = [];
  private readonly backend: NetBackend;

  constructor(opts: { mac: string | Uint8Array; backend: NetBackend; mtu?: number }) {
    this.config.set(parseMac(opts.mac));
    const mtu = opts.mtu ?? DEFAULT_MTU;
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new Error(`MTU ${mtu} is outside 68..65535`);
    new DataView(this.config.buffer).setUint16(10, mtu, true);
    this.setStatus(true);
    opts.backend.onFrame = (f) => this.receive(f);
    this.backend = opts.backend;
  }

  private setStatus(up: boolean): void {
    new DataView(this.config.buffer).setUint16(6, up ? VIRTIO_NET_S_LINK_UP : 0, true);
  }

  setLinkUp(up: boolean): void {
    this.setStatus(up);
    this.ctx?.configChanged();
  }

  readConfig(offset: number, data: Uint8Array): void {
    configRead(this.config, offset, data);
  }
  writeConfig(): void {}

  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
    this.flushRx();
  }

  reset(): void {
    this.ctx = undefined;
    this.pending = [];
  }

  notify(qi: number): void {
    if (qi === RX) return this.flushRx();
    if (qi === TX) this.transmit();
  }

  private transmit(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.serviceQueue(TX, (chain) => {
      if (chain.readableLen < NET_HDR_LEN || chain.readableLen > NET_HDR_LEN + MAX_TX_FRAME) {
        this.stats.txDropped++;
        ctx.log("warn", `dropped a ${chain.readableLen}-byte transmit buffer`);
        return 0;
      }
      this.stats.txFrames++;
      const frame = readChain(ctx.mem, chain.readable, NET_HDR_LEN);
      hostCall(() => this.backend.send(frame), (e) => ctx.log("warn", `backend dropped a frame: ${e}`));
      return 0;
    });
  }

  private receive(frame: Uint8Array): void {
    if (this.pending.length >= MAX_PENDING_RX) {
      this.stats.rxDropped++;
      return;
    }
    this.pending.push(frame);
    this.flushRx();
  }

  private flushRx(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const header = new Uint8Array(NET_HDR_LEN);
    // num_buffers: always one buffer per frame without VIRTIO_NET_F_MRG_RXBUF.
    header[10] = 1;
    ctx.serviceQueue(
      RX,
      (chain) => {
        const frame = this.pending.shift()!;
        const w = new ChainWriter(ctx.mem, chain.writable);
        if (w.capacity < NET_HDR_LEN + frame.length) {
          this.stats.rxDropped++;
          ctx.log("warn", `dropped a ${frame.length}-byte frame: receive buffer holds ${w.capacity}`);
          return 0;
        }
        w.write(header);
        w.write(frame);
        this.stats.rxFrames++;
        return w.written;
      },
      () => this.pending.length > 0,
    );
  }
}
