// virtio-blk against a real temp file: reads and writes compared by SHA-256, flush, RO refusal,
// bounds, GET_ID and unsupported requests, through the simulated driver.
import { afterAll, describe, expect, test } from "bun:test";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RecordingLine } from "../bus.ts";
import { SimDriver, TestGuest, type DriverQueue } from "../testing/driver.ts";
import { bit } from "./device.ts";
import { VirtioMmioTransport } from "./mmio.ts";
import { BLK_S, BLK_T, SECTOR_SIZE, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO, VirtioBlk } from "./blk.ts";

const dir = mkdtempSync(join(tmpdir(), "tsos-blk-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function disk(name: string, bytes: Uint8Array, readOnly: boolean, serial?: string) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const guest = new TestGuest(4 << 20);
  const blk = new VirtioBlk({ path, readOnly, serial });
  const t = new VirtioMmioTransport(blk, { mem: guest.mem, irq: new RecordingLine(), log: () => {} });
  const d = new SimDriver(guest, t);
  d.init();
  return { path, guest, blk, d, q: d.queue(0) };
}

function header(type: number, sector: bigint): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, type, true);
  v.setBigUint64(8, sector, true);
  return h;
}

/** Posts one request, kicks, returns { status, used length, data buffer address }. */
function request(guest: TestGuest, q: DriverQueue, type: number, sector: bigint, data: { out?: Uint8Array; inLen?: number }, indirect = false) {
  const specs = [{ data: header(type, sector) }, ...(data.out ? [{ data: data.out }] : []), ...(data.inLen ? [{ writable: data.inLen }] : []), { writable: 1 }];
  const p = indirect ? q.addIndirect(specs) : q.add(specs);
  q.kick();
  const used = q.usedElems();
  expect(used.map((u) => u.id)).toEqual([p.head]);
  const status = guest.mem.readU8(p.buffers.at(-1)!.addr);
  const inBuf = data.inLen ? p.buffers.at(-2)! : undefined;
  return { status, len: used[0]!.len, read: inBuf ? guest.mem.read(inBuf.addr, inBuf.len) : undefined };
}

describe("virtio-blk", () => {
  test("config space carries the capacity; RO and FLUSH are offered as configured", () => {
    const rw = disk("cfg.img", new Uint8Array(64 * SECTOR_SIZE + 100), false);
    expect(new DataView(rw.d.config(0, 8).buffer).getBigUint64(0, true)).toBe(64n);
    expect(rw.d.offered & bit(VIRTIO_BLK_F_RO)).toBe(0n);
    expect(rw.d.offered & bit(VIRTIO_BLK_F_FLUSH)).toBeTruthy();
    const ro = disk("cfg-ro.img", new Uint8Array(SECTOR_SIZE), true);
    expect(ro.d.offered & bit(VIRTIO_BLK_F_RO)).toBeTruthy();
    rw.blk.close();
    ro.blk.close();
  });

  test("read, write, flush round trip matches the file by SHA-256", () => {
    const image = new Uint8Array(randomBytes(256 * SECTOR_SIZE));
    const { guest, q, blk, path } = disk("rw.img", image, false);
    const r = request(guest, q, BLK_T.IN, 10n, { inLen: 8 * SECTOR_SIZE });
    expect(r.status).toBe(BLK_S.OK);
    expect(r.len).toBe(8 * SECTOR_SIZE + 1);
    expect(sha(r.read!)).toBe(sha(image.subarray(10 * SECTOR_SIZE, 18 * SECTOR_SIZE)));

    const fresh = new Uint8Array(randomBytes(16 * SECTOR_SIZE));
    expect(request(guest, q, BLK_T.OUT, 100n, { out: fresh }, true).status).toBe(BLK_S.OK);
    expect(request(guest, q, BLK_T.FLUSH, 0n, {}).status).toBe(BLK_S.OK);
    const onDisk = readFileSync(path);
    expect(sha(onDisk.subarray(100 * SECTOR_SIZE, 116 * SECTOR_SIZE))).toBe(sha(fresh));
    // Everything else is untouched.
    image.set(fresh, 100 * SECTOR_SIZE);
    expect(sha(onDisk)).toBe(sha(image));
    // And the device reads back what it wrote.
    expect(sha(request(guest, q, BLK_T.IN, 100n, { inLen: 16 * SECTOR_SIZE }).read!)).toBe(sha(fresh));
    expect(blk.stats).toMatchObject({ reads: 2, writes: 1, flushes: 1, errors: 0 });
    blk.close();
  });

  test("a read-only disk refuses writes with IOERR and stays unchanged", () => {
    const image = new Uint8Array(randomBytes(8 * SECTOR_SIZE));
    const { guest, q, blk, path } = disk("ro.img", image, true);
    expect(request(guest, q, BLK_T.OUT, 0n, { out: new Uint8Array(SECTOR_SIZE) }).status).toBe(BLK_S.IOERR);
    expect(sha(readFileSync(path))).toBe(sha(image));
    expect(request(guest, q, BLK_T.IN, 7n, { inLen: SECTOR_SIZE }).status).toBe(BLK_S.OK);
    blk.close();
  });

  test("out-of-range sectors, partial sectors and unknown types are refused", () => {
    const { guest, q, blk } = disk("bounds.img", new Uint8Array(8 * SECTOR_SIZE), false);
    expect(request(guest, q, BLK_T.IN, 7n, { inLen: 2 * SECTOR_SIZE }).status).toBe(BLK_S.IOERR);
    expect(request(guest, q, BLK_T.IN, 0xffffffffffffffffn, { inLen: SECTOR_SIZE }).status).toBe(BLK_S.IOERR);
    expect(request(guest, q, BLK_T.OUT, 0n, { out: new Uint8Array(100) }).status).toBe(BLK_S.IOERR);
    expect(request(guest, q, 99, 0n, {}).status).toBe(BLK_S.UNSUPP);
    blk.close();
  });

  test("GET_ID returns the serial", () => {
    const { guest, q, blk } = disk("id.img", new Uint8Array(SECTOR_SIZE), true, "tsos-root");
    const r = request(guest, q, BLK_T.GET_ID, 0n, { inLen: 20 });
    expect(r.status).toBe(BLK_S.OK);
    expect(new TextDecoder().decode(r.read!).replace(/\0+$/, "")).toBe("tsos-root");
    blk.close();
  });
});
