// virtio-vsock through the simulated Linux driver: the host connects on the Firecracker-style
// unix socket, the "guest" (this test, speaking the virtio-vsock packet protocol on the rings)
// accepts, and bytes flow both ways under credit-based flow control.
import { afterAll, expect, test } from "bun:test";
import { createHash, randomBytes } from "node:crypto";
import { connect as netConnect, type Socket } from "node:net";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RecordingLine } from "../bus.ts";
import { SimDriver, TestGuest, waitFor, type Posted } from "../testing/driver.ts";
import { VirtioMmioTransport } from "./mmio.ts";
import { decodeHeader, encodeHeader, HOST_CID, OP, SHUTDOWN_F, VSOCK_HDR_LEN, VSOCK_TYPE_STREAM, type VsockHeader } from "./vsock-packet.ts";
import { HOST_BUF_ALLOC, VirtioVsock } from "./vsock.ts";
import { serveVsockOnUnixSocket } from "./vsock-unix.ts";
import { vsockConnect } from "../../cli/vsock-connect.ts";

const dir = mkdtempSync(join(tmpdir(), "tsos-vsock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const CID = 3n;
let n = 0;

type Pkt = { h: VsockHeader; data: Uint8Array };

function guestSide() {
  const guest = new TestGuest(16 << 20);
  const dev = new VirtioVsock({ guestCid: CID });
  const logs: string[] = [];
  const t = new VirtioMmioTransport(dev, { mem: guest.mem, irq: new RecordingLine(), log: (_l, m) => logs.push(m) });
  const d = new SimDriver(guest, t);
  d.init();
  const path = join(dir, `v${n++}.sock`);
  const server = serveVsockOnUnixSocket(dev, path);
  const rxq = d.queue(0);
  const txq = d.queue(1);
  const posted = new Map<number, Posted>();
  let inflight = 0;
  const post = (count: number, len = VSOCK_HDR_LEN + 4096) => {
    for (let i = 0; i < count; i++) {
      const p = rxq.add([{ writable: len }]);
      posted.set(p.head, p);
    }
    inflight += count;
    rxq.kick();
  };
  const got: Pkt[] = [];
  /** Packets the device put in rx buffers since the last call (keeps 32 buffers posted). */
  const recv = (): Pkt[] => {
    const out = rxq.usedElems().map((u) => {
      const b = guest.mem.read(posted.get(u.id)!.buffers[0]!.addr, u.len);
      return { h: decodeHeader(b), data: b.slice(VSOCK_HDR_LEN) };
    });
    inflight -= out.length;
    if (inflight < 16) post(32 - inflight);
    got.push(...out);
    return out;
  };
  /** Our credit as the guest: what we advertise, and what we have consumed. */
  const me = { bufAlloc: 64 * 1024, fwdCnt: 0 };
  const send = (h: Partial<VsockHeader>, data = new Uint8Array(0)) => {
    const full: VsockHeader = { srcCid: CID, dstCid: HOST_CID, srcPort: 22, dstPort: 0, len: data.length, type: VSOCK_TYPE_STREAM, op: OP.RW, flags: 0, bufAlloc: me.bufAlloc, fwdCnt: me.fwdCnt, ...h };
    const b = new Uint8Array(VSOCK_HDR_LEN + data.length);
    b.set(encodeHeader(full));
    b.set(data, VSOCK_HDR_LEN);
    txq.add([{ data: b }]);
    txq.kick();
    txq.usedElems();
  };
  /** A tx buffer of arbitrary bytes (malformed packets). */
  const raw = (b: Uint8Array) => {
    txq.add([{ data: b }]);
    txq.kick();
    txq.usedElems();
  };
  post(32);
  return { dev, path, server, recv, send, raw, me, logs, got };
}

async function hostClient(path: string): Promise<{ sock: Socket; chunks: Buffer[] }> {
  const sock = netConnect(path);
  await new Promise((r) => sock.once("connect", r));
  const chunks: Buffer[] = [];
  sock.on("data", (b: Buffer) => chunks.push(b));
  return { sock, chunks };
}

/** Host CONNECTs to guest port 22; the guest answers RESPONSE; the host reads "OK <port>". */
async function established(g: ReturnType<typeof guestSide>) {
  const c = await hostClient(g.path);
  c.sock.write("CONNECT 22\n");
  let req: Pkt | undefined;
  await waitFor(() => !!(req = g.recv().find((p) => p.h.op === OP.REQUEST)), 3000, "REQUEST");
  expect(req!.h).toMatchObject({ srcCid: HOST_CID, dstCid: CID, dstPort: 22, type: VSOCK_TYPE_STREAM, bufAlloc: HOST_BUF_ALLOC });
  const hostPort = req!.h.srcPort;
  g.send({ op: OP.RESPONSE, dstPort: hostPort });
  await waitFor(() => Buffer.concat(c.chunks).toString().includes("\n"), 3000, "OK line");
  expect(Buffer.concat(c.chunks).toString()).toBe(`OK ${hostPort}\n`);
  c.chunks.length = 0;
  return { ...c, hostPort };
}

test("config space holds the guest CID; the socket is 0600", () => {
  const g = guestSide();
  expect(statSync(g.path).mode & 0o777).toBe(0o600);
  const b = new Uint8Array(8);
  g.dev.readConfig(0, b);
  expect(new DataView(b.buffer).getBigUint64(0, true)).toBe(CID);
  g.server.close();
});

test("1 MiB each way with equal SHA-256, then SHUTDOWN from the guest closes the host socket", async () => {
  const g = guestSide();
  const c = await established(g);
  // Host -> guest: the guest consumes and returns credit as Linux does.
  const down = randomBytes(1 << 20);
  c.sock.write(down);
  const recvd: Uint8Array[] = [];
  let total = 0;
  await waitFor(() => {
    for (const p of g.recv()) {
      if (p.h.op !== OP.RW) continue;
      recvd.push(p.data);
      total += p.data.length;
      g.me.fwdCnt = (g.me.fwdCnt + p.data.length) >>> 0;
      if (p.data.length) g.send({ op: OP.CREDIT_UPDATE, dstPort: c.hostPort });
    }
    return total >= down.length;
  }, 20_000, "1 MiB at the guest");
  expect(sha(Buffer.concat(recvd))).toBe(sha(down));
  // Guest -> host, 4 KiB packets within the host's advertised credit.
  const up = randomBytes(1 << 20);
  for (let off = 0; off < up.length; off += 4096) {
    g.send({ op: OP.RW, dstPort: c.hostPort }, up.subarray(off, off + 4096));
    if (off % (128 * 1024) === 0) await Bun.sleep(1); // let the host socket drain
  }
  await waitFor(() => Buffer.concat(c.chunks).length >= up.length, 20_000, "1 MiB at the host");
  expect(sha(Buffer.concat(c.chunks))).toBe(sha(up));
  expect(g.dev.rsts).toBe(0);
  const closed = new Promise((r) => c.sock.once("close", r));
  g.send({ op: OP.SHUTDOWN, dstPort: c.hostPort, flags: SHUTDOWN_F.RCV | SHUTDOWN_F.SEND });
  await closed;
  await waitFor(() => g.recv().some((p) => p.h.op === OP.RST), 3000, "RST after SHUTDOWN");
  g.server.close();
}, 60_000);

test("credit exhaustion stops the host at the guest's buf_alloc; a CREDIT_UPDATE lets more through", async () => {
  const g = guestSide();
  g.me.bufAlloc = 8192;
  const c = await established(g);
  c.sock.write(randomBytes(64 * 1024));
  const rw = () => g.got.filter((p) => p.h.op === OP.RW).reduce((a, p) => a + p.data.length, 0);
  await waitFor(() => (g.recv(), rw() >= 8192), 3000, "first 8 KiB");
  await Bun.sleep(100);
  g.recv();
  expect(rw()).toBe(8192);
  expect(g.got.some((p) => p.h.op === OP.CREDIT_REQUEST)).toBe(true);
  g.me.fwdCnt = 8192;
  g.send({ op: OP.CREDIT_UPDATE, dstPort: c.hostPort });
  await waitFor(() => (g.recv(), rw() >= 16384), 3000, "next 8 KiB");
  await Bun.sleep(50);
  g.recv();
  expect(rw()).toBe(16384);
  // The guest overrunning the host's credit (the host client reads nothing, so its socket
  // buffer and then our queue fill) is a protocol error: RST.
  c.sock.pause();
  const rsts = g.dev.rsts;
  for (let i = 0; i < 64 && g.dev.rsts === rsts; i++) g.send({ op: OP.RW, dstPort: c.hostPort }, new Uint8Array(65536));
  expect(g.dev.rsts).toBe(rsts + 1);
  expect(g.logs.some((l) => /with \d+ bytes of credit/.test(l))).toBe(true);
  c.sock.destroy();
  g.server.close();
}, 20_000);

test("RST for a refused host CONNECT, an unknown stream and a guest REQUEST to the host", async () => {
  const g = guestSide();
  const c = await hostClient(g.path);
  c.sock.write("CONNECT 2222\n");
  let req: Pkt | undefined;
  await waitFor(() => !!(req = g.recv().find((p) => p.h.op === OP.REQUEST)), 3000, "REQUEST");
  const closed = new Promise((r) => c.sock.once("close", r));
  g.send({ op: OP.RST, srcPort: 2222, dstPort: req!.h.srcPort });
  await closed;
  expect(Buffer.concat(c.chunks).length).toBe(0);
  g.send({ op: OP.RW, dstPort: 12345 }, new Uint8Array([1, 2, 3]));
  g.send({ op: OP.REQUEST, dstPort: 80 });
  await waitFor(() => (g.recv(), g.got.filter((p) => p.h.op === OP.RST).length >= 2), 3000, "two RSTs");
  expect(g.got.filter((p) => p.h.op === OP.RST).map((p) => p.h.srcPort).sort((a, b) => a - b)).toEqual([80, 12345]);
  // A malformed first line closes the host client without touching the guest.
  const bad = await hostClient(g.path);
  const badClosed = new Promise((r) => bad.sock.once("close", r));
  bad.sock.write("HELLO\n");
  await badClosed;
  g.server.close();
});

test("malformed headers get RST (or are dropped when too short), never an exception", async () => {
  const g = guestSide();
  const c = await established(g);
  const before = g.dev.rsts;
  g.send({ op: OP.RW, dstPort: c.hostPort, srcCid: 7n }, new Uint8Array(4)); // spoofed source CID
  g.send({ op: OP.RW, dstPort: c.hostPort, dstCid: 9n }, new Uint8Array(4)); // not to the host
  g.send({ op: OP.RW, dstPort: c.hostPort, type: 2 }, new Uint8Array(4)); // SEQPACKET
  g.send({ op: OP.RW, dstPort: c.hostPort, len: 1 << 20 }, new Uint8Array(4)); // len beyond the buffer
  g.send({ op: OP.CREDIT_UPDATE, dstPort: c.hostPort, len: 4 }, new Uint8Array(4)); // payload on a control op
  expect(g.dev.rsts).toBe(before + 5);
  // The stream itself survived the spoofed packets (they did not name it from the guest's CID).
  g.send({ op: OP.RW, dstPort: c.hostPort }, new TextEncoder().encode("still here"));
  await waitFor(() => Buffer.concat(c.chunks).toString() === "still here", 3000, "data after garbage");
  // An unknown op on the open stream resets it and closes the host socket.
  const closed = new Promise((r) => c.sock.once("close", r));
  g.send({ op: 99, dstPort: c.hostPort });
  await closed;
  expect(g.logs.some((l) => l.includes("unknown op 99"))).toBe(true);
  // A tx buffer shorter than a header is dropped and logged.
  g.raw(new Uint8Array(10));
  expect(g.logs.some((l) => l.includes("dropped a 10-byte tx buffer"))).toBe(true);
  g.server.close();
});

test("tsos vsock-connect (ssh's ProxyCommand for --vsock) opens a stream and strips the OK line", async () => {
  const g = guestSide();
  const got: Uint8Array[] = [];
  const opened = vsockConnect(g.path, 22, (b) => got.push(b), () => {});
  let req: Pkt | undefined;
  await waitFor(() => !!(req = g.recv().find((p) => p.h.op === OP.REQUEST)), 3000, "REQUEST");
  g.send({ op: OP.RESPONSE, dstPort: req!.h.srcPort });
  g.send({ op: OP.RW, dstPort: req!.h.srcPort }, new TextEncoder().encode("SSH-2.0-guest\r\n"));
  const conn = await opened;
  await waitFor(() => Buffer.concat(got).toString() === "SSH-2.0-guest\r\n", 3000, "banner without the OK line");
  conn.write(new TextEncoder().encode("SSH-2.0-host\r\n"));
  await waitFor(() => g.recv().some((p) => p.h.op === OP.RW && new TextDecoder().decode(p.data) === "SSH-2.0-host\r\n"), 3000, "client bytes at the guest");
  // A refused port is an error with the reason, not a hang.
  const refused = vsockConnect(g.path, 2222, () => {}, () => {});
  await waitFor(() => !!(req = g.recv().find((p) => p.h.op === OP.REQUEST && p.h.dstPort === 2222)), 3000, "second REQUEST");
  g.send({ op: OP.RST, srcPort: 2222, dstPort: req!.h.srcPort });
  await expect(refused).rejects.toThrow("refused");
  g.server.close();
});
