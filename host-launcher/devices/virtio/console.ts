// virtio-console with VIRTIO_CONSOLE_F_MULTIPORT (spec 5.3): named ports, the way QEMU's
// virtio-serial-device + virtserialport present them. The guest finds a port by its sysfs name
// (/sys/class/virtio-ports/vportNpM/name, see init/control/transports.ts), so the control
// channel works unchanged: name the port "org.tsos.control" (CONTROL_PORT_NAME in
// backends/qemu/args.ts) and serve it with servePortOnUnixSocket(), which is what QEMU's
// `-chardev socket,server=on` gives the host control client.
//
// Public API (stable):
//   new VirtioConsole({ ports: [{ name }] })   ports get ids 1..n (0 is the unused console port)
//   console.port(name): ConsolePort            send(bytes), onData, setHostConnected(), guestOpen
//   servePortOnUnixSocket(port, path): { close() }   one client at a time, socket mode 0600
//   CONSOLE_EVENT, VIRTIO_CONSOLE_F_MULTIPORT
import { chmodSync, existsSync, rmSync } from "node:fs";
import { SocketWriter } from "../../../lib/control/socket-writer.ts";
import { ChainWriter, readChain } from "./queue.ts";
import { bit, configRead, DEVICE_ID, hostCall, type VirtioContext, type VirtioDevice } from "./device.ts";

export const VIRTIO_CONSOLE_F_MULTIPORT = 1;
export const CONSOLE_EVENT = {
  DEVICE_READY: 0,
  DEVICE_ADD: 1,
  DEVICE_REMOVE: 2,
  PORT_READY: 3,
  CONSOLE_PORT: 4,
  RESIZE: 5,
  PORT_OPEN: 6,
  PORT_NAME: 7,
} as const;
const CONTROL_RX = 2;
const CONTROL_TX = 3;
const CONTROL_HEADER = 8;
const QUEUE_SIZE = 128;
/** Bytes held for the guest while it posts no buffers; more is dropped (and logged). */
const MAX_PENDING = 8 << 20;
/** Linux writes at most 32 KiB per buffer; a larger chain is a broken or hostile driver. */
const MAX_TX_CHAIN = 1 << 20;

const rxQueue = (id: number) => (id === 0 ? 0 : 2 * (id + 1));
const txQueue = (id: number) => rxQueue(id) + 1;

export class ConsolePort {
  /** Bytes the guest wrote to the port. */
  onData: ((bytes: Uint8Array) => void) | undefined;
  /** The guest opened (true) or closed (false) its end. */
  onGuestOpen: ((open: boolean) => void) | undefined;
  guestOpen = false;
  hostConnected = false;
  /** Bytes dropped because the guest did not take them. */
  dropped = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    readonly id: number,
    readonly name: string,
    private readonly owner: VirtioConsole,
  ) {}

  /** Queue bytes for the guest; they flow as soon as the guest has the port open and buffers posted. */
  send(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.pendingBytes + bytes.length > MAX_PENDING) {
      this.dropped += bytes.length;
      this.owner.warn(`port ${this.name}: guest is not reading; dropped ${bytes.length} bytes`);
      return;
    }
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
    this.owner.flushPort(this);
  }

  /** Tell the guest whether a host-side peer is attached (its reads return EOF while not). */
  setHostConnected(connected: boolean): void {
    this.hostConnected = connected;
    if (!connected) this.discardPending();
    this.owner.control(this.id, CONSOLE_EVENT.PORT_OPEN, connected ? 1 : 0);
  }

  /** @internal */
  hasPending(): boolean {
    return this.pendingBytes > 0;
  }

  /** @internal Up to `max` pending bytes, removed from the queue. */
  take(max: number): Uint8Array {
    const head = this.pending[0]!;
    const chunk = head.length <= max ? head : head.subarray(0, max);
    if (chunk === head) this.pending.shift();
    else this.pending[0] = head.subarray(max);
    this.pendingBytes -= chunk.length;
    return chunk;
  }

  /** @internal */
  discardPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

export interface ConsoleOptions {
  ports: { name: string }[];
}

export class VirtioConsole implements VirtioDevice {
  readonly deviceId = DEVICE_ID.CONSOLE;
  readonly name = "console";
  readonly queueSizes: number[];
  readonly features = bit(VIRTIO_CONSOLE_F_MULTIPORT);
  readonly ports: ConsolePort[];
  private readonly config = new Uint8Array(12);
  private ctx: VirtioContext | undefined;
  private controlOut: Uint8Array[] = [];

  constructor(opts: ConsoleOptions) {
    this.ports = opts.ports.map((p, i) => new ConsolePort(i + 1, p.name, this));
    const maxPorts = this.ports.length + 1;
    new DataView(this.config.buffer).setUint32(4, maxPorts, true);
    this.queueSizes = new Array<number>(2 * (maxPorts + 1)).fill(QUEUE_SIZE);
  }

  port(name: string): ConsolePort {
    const p = this.ports.find((x) => x.name === name);
    if (!p) throw new Error(`virtio-console has no port named ${name}`);
    return p;
  }

  readConfig(offset: number, data: Uint8Array): void {
    configRead(this.config, offset, data);
  }
  writeConfig(): void {}

  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
  }

  reset(): void {
    this.ctx = undefined;
    this.controlOut = [];
    for (const p of this.ports) p.guestOpen = false;
  }

  /** @internal */
  warn(msg: string): void {
    this.ctx?.log("warn", msg);
  }

  notify(qi: number): void {
    if (qi === CONTROL_TX) return this.readControl();
    if (qi === CONTROL_RX) return this.flushControl();
    const port = this.ports.find((p) => rxQueue(p.id) === qi || txQueue(p.id) === qi);
    if (!port) {
      // Port 0 (never announced): return its buffers so the driver does not wait on them.
      this.ctx?.serviceQueue(qi, () => 0);
      return;
    }
    if (qi === rxQueue(port.id)) return this.flushPort(port);
    this.ctx?.serviceQueue(qi, (chain) => {
      if (chain.readableLen > MAX_TX_CHAIN) this.warn(`port ${port.name}: truncated a ${chain.readableLen}-byte transmit buffer`);
      const bytes = readChain(this.ctx!.mem, chain.readable, 0, MAX_TX_CHAIN);
      // No peer attached: like QEMU's unconnected chardev, the bytes go nowhere.
      if (port.hostConnected && bytes.length) hostCall(() => port.onData?.(bytes), (e) => this.warn(`port ${port.name}: host side failed: ${e}`));
      return 0;
    });
  }

  /** @internal A control message to the guest (queued until it posts control buffers). */
  control(id: number, event: number, value: number, extra?: Uint8Array): void {
    const m = new Uint8Array(CONTROL_HEADER + (extra?.length ?? 0));
    const v = new DataView(m.buffer);
    v.setUint32(0, id, true);
    v.setUint16(4, event, true);
    v.setUint16(6, value, true);
    if (extra) m.set(extra, CONTROL_HEADER);
    this.controlOut.push(m);
    this.flushControl();
  }

  private flushControl(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.serviceQueue(CONTROL_RX, (chain) => new ChainWriter(ctx.mem, chain.writable).write(this.controlOut.shift()!), () => this.controlOut.length > 0);
  }

  /** @internal */
  flushPort(port: ConsolePort): void {
    const ctx = this.ctx;
    // Linux discards data that arrives while no process has the port open: hold it until then.
    if (!ctx || !port.guestOpen) return;
    ctx.serviceQueue(
      rxQueue(port.id),
      (chain) => {
        const w = new ChainWriter(ctx.mem, chain.writable);
        while (port.hasPending() && w.written < w.capacity) w.write(port.take(w.capacity - w.written));
        return w.written;
      },
      () => port.hasPending(),
    );
  }

  private readControl(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const msgs: Uint8Array[] = [];
    ctx.serviceQueue(CONTROL_TX, (chain) => {
      msgs.push(readChain(ctx.mem, chain.readable, 0, CONTROL_HEADER));
      return 0;
    });
    // Handled after the queue is serviced: answers go out on the other control queue.
    for (const m of msgs) this.handleControl(m);
  }

  private handleControl(m: Uint8Array): void {
    if (m.length < CONTROL_HEADER) return this.warn(`short control message (${m.length} bytes)`);
    const v = new DataView(m.buffer, m.byteOffset);
    const id = v.getUint32(0, true);
    const event = v.getUint16(4, true);
    const value = v.getUint16(6, true);
    if (event === CONSOLE_EVENT.DEVICE_READY) {
      if (value !== 1) return this.warn("guest driver failed to initialise");
      for (const p of this.ports) this.control(p.id, CONSOLE_EVENT.DEVICE_ADD, 0);
      return;
    }
    const port = this.ports.find((p) => p.id === id);
    if (!port) return this.warn(`control event ${event} for unknown port ${id}`);
    if (event === CONSOLE_EVENT.PORT_READY) {
      if (value !== 1) return this.warn(`guest could not add port ${port.name}`);
      this.control(port.id, CONSOLE_EVENT.PORT_NAME, 1, new TextEncoder().encode(port.name));
      if (port.hostConnected) this.control(port.id, CONSOLE_EVENT.PORT_OPEN, 1);
    } else if (event === CONSOLE_EVENT.PORT_OPEN) {
      port.guestOpen = value === 1;
      port.onGuestOpen?.(port.guestOpen);
      this.flushPort(port);
    }
  }
}

/**
 * Bridge a port to a unix socket the way QEMU's `-chardev socket,server=on,wait=off` does:
 * one client at a time, the guest sees PORT_OPEN while it is connected. Loopback by nature.
 */
export function servePortOnUnixSocket(port: ConsolePort, path: string): { close(): void } {
  if (existsSync(path)) rmSync(path);
  type Data = { writer: SocketWriter; active: boolean };
  let current: { end(): void; data: Data } | undefined;
  const server = Bun.listen<Data>({
    unix: path,
    socket: {
      open(s) {
        if (current) {
          // QEMU's chardev takes one client; a second one is turned away, not multiplexed.
          s.data = { writer: new SocketWriter(s), active: false };
          s.end();
          return;
        }
        s.data = { writer: new SocketWriter(s), active: true };
        current = s;
        port.onData = (b) => s.data.writer.write(b);
        port.setHostConnected(true);
      },
      data(s, d) {
        if (s.data.active) port.send(new Uint8Array(d));
      },
      drain(s) {
        s.data.writer.drain();
      },
      close(s) {
        if (!s.data?.active) return;
        s.data.active = false;
        current = undefined;
        port.onData = undefined;
        port.setHostConnected(false);
      },
    },
  });
  chmodSync(path, 0o600);
  return {
    close() {
      current?.end();
      server.stop(true);
      if (existsSync(path)) rmSync(path);
    },
  };
}
