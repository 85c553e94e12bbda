// virtio-vsock (spec 5.10): stream sockets between the host (CID 2) and the guest, with
// credit-based flow control. Queues: rx (device -> driver), tx (driver -> device), event
// (unused: we never migrate). Connections are opened by the host (connect(), as
// Firecracker's unix-socket side does, see vsock-unix.ts); a guest REQUEST to the host is
// answered with RST (no host listeners yet). Every header field from the guest is checked;
// a malformed packet gets an RST, never an exception out of the device.
//
// Public API (stable):
//   new VirtioVsock({ guestCid })              a VirtioDevice (device id 19)
//   vsock.connect(port, end): VsockConnection  host-initiated stream to guest port
//   interface HostEnd                          what the host side of a connection implements
//   conn.send(bytes), conn.shutdown(), conn.close(), conn.hostDrained()
import { ChainWriter, readChain } from "./queue.ts";
import { configRead, hostCall, type VirtioContext, type VirtioDevice } from "./device.ts";
import { decodeHeader, encodeHeader, HOST_CID, OP, SHUTDOWN_F, VSOCK_HDR_LEN, VSOCK_TYPE_STREAM, type VsockHeader } from "./vsock-packet.ts";

export const DEVICE_ID_VSOCK = 19;
const RX = 0;
const TX = 1;
/** The receive buffer we advertise per connection (buf_alloc). */
export const HOST_BUF_ALLOC = 256 * 1024;
/** Linux sends at most 64 KiB of payload per packet; more is a broken or hostile driver. */
const MAX_PAYLOAD = 64 * 1024;
/** Header-only packets waiting for rx buffers; beyond this the guest is not reading its queue. */
const MAX_CONTROL = 1024;
/** Host bytes queued for the guest before the host side is asked to pause. */
const MAX_HOST_PENDING = 1 << 20;
const CONNECT_TIMEOUT_MS = 5000;
const FIRST_HOST_PORT = 1 << 30;

export interface HostEnd {
  /** The guest accepted: localPort is the host-side port of the stream. */
  established(localPort: number): void;
  /** Bytes from the guest. */
  data(bytes: Uint8Array): void;
  /** Bytes accepted by data() but not yet passed on (they count against our credit). */
  pending(): number;
  /** The guest will send no more (SHUTDOWN SEND). */
  peerEnded(): void;
  /** The stream is gone (RST, refused, timed out, device reset); reason is for logs. */
  closed(reason: string): void;
  /** Flow control toward the host: too much queued for the guest / room again. */
  pause?(): void;
  resume?(): void;
}

type State = "connecting" | "established" | "closing";

export class VsockConnection {
  state: State = "connecting";
  private queue: Uint8Array[] = [];
  private queued = 0;
  /** Bytes sent to the guest, and the guest's last advertised buffer and forward count. */
  txCnt = 0;
  peerBufAlloc = 0;
  peerFwdCnt = 0;
  /** Bytes received from the guest, and what we last told it we forwarded. */
  rxCnt = 0;
  private reportedFwd = 0;
  private creditRequested = false;
  private paused = false;
  private hostShut = false;
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly dev: VirtioVsock,
    readonly localPort: number,
    readonly peerPort: number,
    readonly end: HostEnd,
  ) {}

  get fwdCnt(): number {
    return (this.rxCnt - this.end.pending()) >>> 0;
  }

  /** How many bytes the guest can still take (its buf_alloc minus what is in flight). */
  credit(): number {
    return Math.max(0, this.peerBufAlloc - ((this.txCnt - this.peerFwdCnt) >>> 0));
  }

  sendable(): number {
    return this.state === "established" ? Math.min(this.queued, this.credit()) : 0;
  }

  /** Host bytes for the guest. */
  send(bytes: Uint8Array): void {
    if (this.state === "closing" || this.hostShut || bytes.length === 0) return;
    this.queue.push(bytes);
    this.queued += bytes.length;
    if (this.queued > MAX_HOST_PENDING && !this.paused) {
      this.paused = true;
      this.end.pause?.();
    }
    this.dev.flush();
  }

  /** The host is done: SHUTDOWN once the queued bytes are out. */
  shutdown(): void {
    this.hostShut = true;
    this.maybeFinish();
  }

  /** Abort: RST now. */
  close(): void {
    if (this.state !== "closing") this.dev.control(this, OP.RST);
    this.dev.forget(this, "closed by the host");
  }

  /** Host side wrote out what it held: tell the guest when a good part of its credit came back. */
  hostDrained(): void {
    if (((this.fwdCnt - this.reportedFwd) >>> 0) >= HOST_BUF_ALLOC / 4) this.dev.control(this, OP.CREDIT_UPDATE);
  }

  /** Takes up to `max` sendable bytes. */
  take(max: number): Uint8Array {
    const n = Math.min(max, this.sendable());
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = this.queue[0]!;
      const k = Math.min(head.length, n - at);
      out.set(head.subarray(0, k), at);
      at += k;
      if (k === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(k);
    }
    this.queued -= n;
    this.txCnt = (this.txCnt + n) >>> 0;
    if (this.paused && this.queued < MAX_HOST_PENDING / 2) {
      this.paused = false;
      this.end.resume?.();
    }
    this.maybeFinish();
    return out;
  }

  /** Out of credit with data waiting: ask the guest once for an update. */
  wantsCredit(): boolean {
    if (this.state !== "established" || this.queued === 0 || this.credit() > 0 || this.creditRequested) return false;
    this.creditRequested = true;
    return true;
  }

  /** The guest's credit fields ride on every packet it sends. */
  peerCredit(h: VsockHeader): void {
    this.peerBufAlloc = h.bufAlloc;
    this.peerFwdCnt = h.fwdCnt;
    if (this.credit() > 0) this.creditRequested = false;
  }

  header(op: number, len = 0, flags = 0): VsockHeader {
    this.reportedFwd = this.fwdCnt;
    return { srcCid: HOST_CID, dstCid: this.dev.guestCid, srcPort: this.localPort, dstPort: this.peerPort, len, type: VSOCK_TYPE_STREAM, op, flags, bufAlloc: HOST_BUF_ALLOC, fwdCnt: this.reportedFwd };
  }

  private maybeFinish(): void {
    if (this.hostShut && this.queued === 0 && this.state === "established") {
      this.state = "closing";
      this.dev.control(this, OP.SHUTDOWN, SHUTDOWN_F.RCV | SHUTDOWN_F.SEND);
      // The guest answers with RST; if it does not, forget the stream anyway.
      this.timer = setTimeout(() => this.dev.forget(this, "guest did not acknowledge shutdown"), CONNECT_TIMEOUT_MS);
      this.timer.unref?.();
    }
  }
}

export class VirtioVsock implements VirtioDevice {
  readonly deviceId = DEVICE_ID_VSOCK;
  readonly name = "vsock";
  readonly queueSizes = [256, 256, 16];
  readonly features = 0n;
  readonly guestCid: bigint;
  private ctx: VirtioContext | undefined;
  private conns = new Map<string, VsockConnection>();
  private controls: Uint8Array[] = [];
  private nextPort = FIRST_HOST_PORT;
  private rr = 0;
  /** Packets refused with RST, for tests and diagnostics. */
  rsts = 0;

  constructor(opts: { guestCid: number | bigint }) {
    this.guestCid = BigInt(opts.guestCid);
    if (this.guestCid < 3n || this.guestCid > 0xffffffffn - 1n) throw new Error(`guest CID ${this.guestCid} must be 3..2^32-2`);
  }

  readConfig(offset: number, data: Uint8Array): void {
    const space = new Uint8Array(8);
    new DataView(space.buffer).setBigUint64(0, this.guestCid, true);
    configRead(space, offset, data);
  }
  writeConfig(): void {}

  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
  }

  get active(): boolean {
    return this.ctx !== undefined;
  }

  /** Opens a stream from the host to guest `port`; end.closed() reports a refusal. */
  connect(port: number, end: HostEnd): VsockConnection | undefined {
    if (!this.ctx) {
      end.closed("the guest's vsock driver is not running");
      return undefined;
    }
    const local = this.nextPort;
    this.nextPort = this.nextPort >= 0xfffffffe ? FIRST_HOST_PORT : this.nextPort + 1;
    const c = new VsockConnection(this, local, port >>> 0, end);
    this.conns.set(key(local, c.peerPort), c);
    c.timer = setTimeout(() => c.state === "connecting" && this.forget(c, "the guest did not answer (no listener?)"), CONNECT_TIMEOUT_MS);
    c.timer.unref?.(); // a stuck handshake must not keep the launcher alive
    this.control(c, OP.REQUEST);
    return c;
  }

  notify(qi: number): void {
    if (qi === TX) this.transmit();
    if (qi === RX || qi === TX) this.flush();
  }

  reset(): void {
    for (const c of [...this.conns.values()]) this.forget(c, "device reset");
    this.controls = [];
    this.ctx = undefined;
  }

  /** @internal A header-only packet for `c`. */
  control(c: VsockConnection, op: number, flags = 0): void {
    this.queueControl(encodeHeader(c.header(op, 0, flags)));
  }

  /** @internal Drops a stream and tells its host side why. */
  forget(c: VsockConnection, reason: string): void {
    if (this.conns.get(key(c.localPort, c.peerPort)) !== c) return;
    this.conns.delete(key(c.localPort, c.peerPort));
    clearTimeout(c.timer);
    c.state = "closing";
    hostCall(() => c.end.closed(reason), (e) => this.ctx?.log("warn", `vsock host side: ${e}`));
  }

  private queueControl(pkt: Uint8Array): void {
    if (this.controls.length >= MAX_CONTROL) {
      this.ctx?.log("warn", "vsock: guest is not taking packets; dropped a control packet");
      return;
    }
    this.controls.push(pkt);
    this.flush();
  }

  private rstFor(h: VsockHeader, why: string): void {
    this.rsts++;
    this.ctx?.log("warn", `vsock: RST to guest port ${h.srcPort}: ${why}`);
    if (h.op === OP.RST) return; // never answer an RST with one
    this.queueControl(encodeHeader({ srcCid: HOST_CID, dstCid: this.guestCid, srcPort: h.dstPort, dstPort: h.srcPort, len: 0, type: VSOCK_TYPE_STREAM, op: OP.RST, flags: 0, bufAlloc: 0, fwdCnt: 0 }));
  }

  private transmit(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.serviceQueue(TX, (chain) => {
      if (chain.readableLen < VSOCK_HDR_LEN) {
        ctx.log("warn", `vsock: dropped a ${chain.readableLen}-byte tx buffer (header is ${VSOCK_HDR_LEN})`);
        return 0;
      }
      const h = decodeHeader(readChain(ctx.mem, chain.readable, 0, VSOCK_HDR_LEN));
      const why = checkHeader(h, this.guestCid, chain.readableLen);
      if (why) return this.rstFor(h, why), 0;
      const payload = h.op === OP.RW ? readChain(ctx.mem, chain.readable, VSOCK_HDR_LEN, h.len) : undefined;
      this.packet(h, payload);
      return 0;
    });
  }

  private packet(h: VsockHeader, payload: Uint8Array | undefined): void {
    const c = this.conns.get(key(h.dstPort, h.srcPort));
    if (h.op === OP.REQUEST) return this.rstFor(h, `no host listener on port ${h.dstPort}`);
    if (!c) return this.rstFor(h, `no stream host:${h.dstPort} <-> guest:${h.srcPort} (op ${h.op})`);
    c.peerCredit(h);
    switch (h.op) {
      case OP.RESPONSE:
        if (c.state !== "connecting") return this.rstAndForget(c, h, "RESPONSE on an open stream");
        c.state = "established";
        clearTimeout(c.timer);
        hostCall(() => c.end.established(c.localPort), (e) => this.ctx?.log("warn", `vsock host side: ${e}`));
        return;
      case OP.RW: {
        const room = HOST_BUF_ALLOC - ((c.rxCnt - c.fwdCnt) >>> 0);
        if (c.state !== "established") return this.rstAndForget(c, h, "data before the stream was open");
        if (h.len > room) return this.rstAndForget(c, h, `sent ${h.len} bytes with ${room} bytes of credit`);
        c.rxCnt = (c.rxCnt + h.len) >>> 0;
        hostCall(() => c.end.data(payload!), (e) => this.ctx?.log("warn", `vsock host side: ${e}`));
        c.hostDrained(); // what the host took at once is credit the guest gets back
        return;
      }
      case OP.CREDIT_UPDATE:
        return;
      case OP.CREDIT_REQUEST:
        return this.control(c, OP.CREDIT_UPDATE);
      case OP.SHUTDOWN:
        if (h.flags & SHUTDOWN_F.SEND) hostCall(() => c.end.peerEnded(), (e) => this.ctx?.log("warn", `vsock host side: ${e}`));
        if ((h.flags & (SHUTDOWN_F.SEND | SHUTDOWN_F.RCV)) === (SHUTDOWN_F.SEND | SHUTDOWN_F.RCV)) {
          this.control(c, OP.RST);
          this.forget(c, "the guest closed the stream");
        }
        return;
      case OP.RST:
        return this.forget(c, c.state === "connecting" ? `the guest refused port ${c.peerPort}` : "reset by the guest");
      default:
        return this.rstAndForget(c, h, `unknown op ${h.op}`);
    }
  }

  private rstAndForget(c: VsockConnection, h: VsockHeader, why: string): void {
    this.rstFor(h, why);
    this.forget(c, `protocol error: ${why}`);
  }

  /** The next stream with bytes the guest has credit for (round robin). */
  private nextSendable(): VsockConnection | undefined {
    const list = [...this.conns.values()];
    for (let i = 0; i < list.length; i++) {
      const c = list[(this.rr + i) % list.length]!;
      if (c.sendable() > 0) {
        this.rr = (this.rr + i + 1) % list.length;
        return c;
      }
    }
    return undefined;
  }

  /** Fills the guest's rx buffers: control packets first, then data as credit allows. */
  flush(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.serviceQueue(
      RX,
      (chain) => {
        const w = new ChainWriter(ctx.mem, chain.writable);
        if (w.capacity < VSOCK_HDR_LEN) {
          ctx.log("warn", `vsock: rx buffer of ${w.capacity} bytes cannot hold a header`);
          return 0;
        }
        const ctl = this.controls.shift();
        if (ctl) return w.write(ctl);
        const c = this.nextSendable();
        if (!c) return 0;
        const data = c.take(Math.min(MAX_PAYLOAD, w.capacity - VSOCK_HDR_LEN));
        w.write(encodeHeader(c.header(OP.RW, data.length)));
        w.write(data);
        return w.written;
      },
      () => this.controls.length > 0 || [...this.conns.values()].some((c) => c.sendable() > 0) || this.requestCredit(),
    );
  }

  /** Queues a CREDIT_REQUEST for each stream stuck on zero credit; true when it queued one. */
  private requestCredit(): boolean {
    let any = false;
    for (const c of this.conns.values()) {
      if (this.controls.length >= MAX_CONTROL || !c.wantsCredit()) continue;
      this.controls.push(encodeHeader(c.header(OP.CREDIT_REQUEST)));
      any = true;
    }
    return any;
  }
}

const key = (local: number, peer: number) => `${local}:${peer}`;

/** Why a guest packet header is unacceptable, or undefined. */
export function checkHeader(h: VsockHeader, guestCid: bigint, readableLen: number): string | undefined {
  if (h.srcCid !== guestCid) return `source CID ${h.srcCid} is not the guest's (${guestCid})`;
  if (h.dstCid !== HOST_CID) return `destination CID ${h.dstCid} is not the host (2)`;
  if (h.type !== VSOCK_TYPE_STREAM) return `socket type ${h.type} is not STREAM`;
  if (h.op === OP.RW && h.len > MAX_PAYLOAD) return `payload length ${h.len} over ${MAX_PAYLOAD}`;
  if (h.op === OP.RW && h.len > readableLen - VSOCK_HDR_LEN) return `payload length ${h.len} but the buffer holds ${readableLen - VSOCK_HDR_LEN}`;
  if (h.op !== OP.RW && h.len !== 0) return `op ${h.op} with a ${h.len}-byte payload`;
  return undefined;
}
