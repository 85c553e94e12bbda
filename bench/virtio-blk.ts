// virtio-blk request rate through the real queue code: the simulated driver keeps 64 random
// 4 KiB reads in flight against a 64 MiB file (in the host page cache, so this measures the
// device model and pread, not the disk). Not part of `make bench`; run it by hand:
//   node_modules/.bin/bun bench/virtio-blk.ts [seconds]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RecordingLine } from "../host-launcher/devices/bus.ts";
import { SimDriver, TestGuest } from "../host-launcher/devices/testing/driver.ts";
import { VirtioMmioTransport } from "../host-launcher/devices/virtio/mmio.ts";
import { BLK_T, VirtioBlk } from "../host-launcher/devices/virtio/blk.ts";
import { VRING_DESC_F_NEXT, VRING_DESC_F_WRITE } from "../host-launcher/devices/virtio/queue.ts";

const seconds = Number(process.argv[2] ?? 3);
const IN_FLIGHT = 64;
const BLOCK = 4096;
const DISK = 64 << 20;
const dir = mkdtempSync(join(tmpdir(), "tsos-bench-blk-"));
try {
  const path = join(dir, "disk.img");
  writeFileSync(path, new Uint8Array(DISK).fill(0x5a));
  const guest = new TestGuest(8 << 20);
  const blk = new VirtioBlk({ path, readOnly: true });
  const d = new SimDriver(guest, new VirtioMmioTransport(blk, { mem: guest.mem, irq: new RecordingLine() }));
  d.init();
  const q = d.queue(0);
  // Three descriptors per request (header, data, status), buffers allocated once and reused.
  const slots = Array.from({ length: IN_FLIGHT }, (_, k) => ({ k, hdr: guest.alloc(16), data: guest.alloc(BLOCK, BLOCK), status: guest.alloc(1) }));
  const submit = (s: (typeof slots)[number]) => {
    guest.mem.writeU32(s.hdr, BLK_T.IN);
    guest.mem.writeU64(s.hdr + 8, BigInt(Math.floor(Math.random() * (DISK / BLOCK))) * BigInt(BLOCK / 512));
    q.setDesc(3 * s.k, { addr: s.hdr, len: 16, flags: VRING_DESC_F_NEXT, next: 3 * s.k + 1 });
    q.setDesc(3 * s.k + 1, { addr: s.data, len: BLOCK, flags: VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, next: 3 * s.k + 2 });
    q.setDesc(3 * s.k + 2, { addr: s.status, len: 1, flags: VRING_DESC_F_WRITE, next: 0 });
    q.pushAvail(3 * s.k);
  };
  let done = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  slots.forEach(submit);
  while (performance.now() < end) {
    q.kick();
    for (const u of q.usedElems()) {
      const s = slots[u.id / 3]!;
      if (guest.mem.readU8(s.status) !== 0) throw new Error("read failed");
      done++;
      submit(s);
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  const rate = done / elapsed;
  console.log(`virtio-blk: ${Math.round(rate)} requests/s of ${BLOCK / 1024} KiB reads (${((rate * BLOCK) / 2 ** 20).toFixed(0)} MiB/s), ${IN_FLIGHT} in flight, ${elapsed.toFixed(1)} s`);
  blk.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
