// virtio-blk (spec 5.2) backed by a host file: the read-only root image, the read-only config
// drive, or a writable raw disk. Requests are served synchronously on the caller's thread with
// pread/pwrite straight into and out of guest memory (no bounce buffer).
//
// Public API (stable):
//   new VirtioBlk({ path, readOnly, serial? })   opens the file (O_RDONLY or O_RDWR)
//   blk.capacitySectors, blk.close(), blk.stats  — and the VirtioDevice interface
//   BLK_T, BLK_S, VIRTIO_BLK_F_*, SECTOR_SIZE, BLK_ID_BYTES
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { chainSpans, ChainWriter, readChain, type DescriptorChain } from "./queue.ts";
import { bit, configRead, DEVICE_ID, type VirtioContext, type VirtioDevice } from "./device.ts";

export const VIRTIO_BLK_F_SEG_MAX = 2;
export const VIRTIO_BLK_F_RO = 5;
export const VIRTIO_BLK_F_BLK_SIZE = 6;
export const VIRTIO_BLK_F_FLUSH = 9;
export const BLK_T = { IN: 0, OUT: 1, FLUSH: 4, GET_ID: 8 } as const;
export const BLK_S = { OK: 0, IOERR: 1, UNSUPP: 2 } as const;
export const SECTOR_SIZE = 512;
export const BLK_ID_BYTES = 20;
const HEADER = 16;
const QUEUE_SIZE = 256;

export interface BlkOptions {
  path: string;
  readOnly: boolean;
  /** GET_ID answer (at most 20 bytes; /sys/block/vdX/serial in the guest). */
  serial?: string;
}

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = DEVICE_ID.BLOCK;
  readonly name = "blk";
  readonly queueSizes = [QUEUE_SIZE];
  readonly features: bigint;
  readonly capacitySectors: bigint;
  readonly stats = { reads: 0, writes: 0, flushes: 0, errors: 0 };
  private readonly fd: number;
  private readonly config = new Uint8Array(24);
  private readonly serial: Uint8Array;
  private ctx: VirtioContext | undefined;

  constructor(private readonly opts: BlkOptions) {
    this.fd = openSync(opts.path, opts.readOnly ? "r" : "r+");
    this.capacitySectors = BigInt(Math.floor(fstatSync(this.fd).size / SECTOR_SIZE));
    this.features = bit(VIRTIO_BLK_F_SEG_MAX) | bit(VIRTIO_BLK_F_BLK_SIZE) | bit(VIRTIO_BLK_F_FLUSH) | (opts.readOnly ? bit(VIRTIO_BLK_F_RO) : 0n);
    const v = new DataView(this.config.buffer);
    v.setBigUint64(0, this.capacitySectors, true);
    // seg_max: a request's header and status take two descriptors of the queue.
    v.setUint32(12, QUEUE_SIZE - 2, true);
    v.setUint32(20, SECTOR_SIZE, true);
    this.serial = new TextEncoder().encode(opts.serial ?? "").subarray(0, BLK_ID_BYTES);
  }

  readConfig(offset: number, data: Uint8Array): void {
    configRead(this.config, offset, data);
  }
  writeConfig(): void {}

  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
  }

  notify(): void {
    const ctx = this.ctx;
    if (ctx) ctx.serviceQueue(0, (chain) => this.request(ctx, chain));
  }

  reset(): void {
    this.ctx = undefined;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** One request: header (readable), data, status byte (last writable byte). Returns bytes written. */
  private request(ctx: VirtioContext, chain: DescriptorChain): number {
    if (chain.writableLen < 1) {
      ctx.log("error", `request ${chain.head} has no status byte`);
      this.stats.errors++;
      return 0;
    }
    const statusAt = chain.writableLen - 1;
    const finish = (status: number, dataWritten: number) => {
      if (status !== BLK_S.OK) this.stats.errors++;
      chainSpans(ctx.mem, chain.writable, statusAt, 1)[0]![0] = status;
      return dataWritten + 1;
    };
    const header = readChain(ctx.mem, chain.readable, 0, HEADER);
    if (header.length < HEADER) return finish(BLK_S.IOERR, 0);
    const hv = new DataView(header.buffer);
    const type = hv.getUint32(0, true);
    const sector = hv.getBigUint64(8, true);
    switch (type) {
      case BLK_T.IN: {
        const status = this.transfer(ctx, chain, sector, "in", statusAt);
        return finish(status, status === BLK_S.OK ? statusAt : 0);
      }
      case BLK_T.OUT:
        if (this.opts.readOnly) return finish(BLK_S.IOERR, 0);
        return finish(this.transfer(ctx, chain, sector, "out", chain.readableLen - HEADER), 0);
      case BLK_T.FLUSH:
        this.stats.flushes++;
        return finish(this.flush(ctx), 0);
      case BLK_T.GET_ID: {
        const n = Math.min(BLK_ID_BYTES, statusAt);
        const id = new Uint8Array(n);
        id.set(this.serial.subarray(0, n));
        new ChainWriter(ctx.mem, chain.writable).write(id);
        return finish(BLK_S.OK, n);
      }
      default:
        return finish(BLK_S.UNSUPP, 0);
    }
  }

  private flush(ctx: VirtioContext): number {
    if (this.opts.readOnly) return BLK_S.OK;
    try {
      fsyncSync(this.fd);
      return BLK_S.OK;
    } catch (e) {
      ctx.log("error", `${this.opts.path}: fsync: ${(e as Error).message}`);
      return BLK_S.IOERR;
    }
  }

  /** pread/pwrite of `len` bytes at `sector` between the file and the chain's data buffers. */
  private transfer(ctx: VirtioContext, chain: DescriptorChain, sector: bigint, dir: "in" | "out", len: number): number {
    if (len < 0 || len % SECTOR_SIZE !== 0) return BLK_S.IOERR;
    const sectors = BigInt(len / SECTOR_SIZE);
    if (sector > this.capacitySectors || sector + sectors > this.capacitySectors) {
      ctx.log("warn", `${dir} of ${sectors} sectors at ${sector} is beyond the disk's ${this.capacitySectors}`);
      return BLK_S.IOERR;
    }
    let pos = Number(sector) * SECTOR_SIZE;
    const spans = dir === "in" ? chainSpans(ctx.mem, chain.writable, 0, len) : chainSpans(ctx.mem, chain.readable, HEADER, len);
    try {
      for (const span of spans) {
        for (let done = 0; done < span.length; ) {
          const n = dir === "in" ? readSync(this.fd, span, done, span.length - done, pos) : writeSync(this.fd, span, done, span.length - done, pos);
          if (n <= 0) throw new Error(`short ${dir === "in" ? "read" : "write"} at byte ${pos}`);
          done += n;
          pos += n;
        }
      }
    } catch (e) {
      ctx.log("error", `${this.opts.path}: ${(e as Error).message}`);
      return BLK_S.IOERR;
    }
    if (dir === "in") this.stats.reads++;
    else this.stats.writes++;
    return BLK_S.OK;
  }
}
