// Throws random and hostile rings, registers and config accesses at every device model and
// records whether anything escaped (an exception out of the transport) and how long the slowest
// single operation took. Deterministic for a seed. Run by fuzz.test.ts in a child process so a
// hang is caught by a timeout instead of freezing the test runner; also runnable by hand:
//   bun host-launcher/devices/testing/fuzz.ts [seed] [iterations]   (prints one JSON line)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RecordingLine, type BusDevice } from "../bus.ts";
import { STATUS, type VirtioDevice } from "../virtio/device.ts";
import { REG, VirtioMmioTransport } from "../virtio/mmio.ts";
import { VirtioRng } from "../virtio/rng.ts";
import { VirtioBlk } from "../virtio/blk.ts";
import { VirtioConsole } from "../virtio/console.ts";
import { VirtioNet } from "../virtio/net.ts";
import { keyboardProfile, tabletProfile, VirtioInput } from "../virtio/input.ts";
import { VirtioVsock, type HostEnd, type VsockConnection } from "../virtio/vsock.ts";
import { SimDriver, TestGuest } from "./driver.ts";

export interface FuzzReport {
  seed: number;
  iterations: number;
  /** Exceptions that escaped a transport or host-side entry point: must be empty. */
  escaped: string[];
  /** Devices that did not come back to DRIVER_OK after a reset at the end: must be empty. */
  unrecoverable: string[];
  maxOpMs: number;
  /** Log lines the devices produced (errors they caught, rate-limited to 20/s), per device. */
  logged: Record<string, number>;
}

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Target {
  name: string;
  device: VirtioDevice;
  /** Host-side activity: frames, keystrokes, port bytes arriving at random moments. */
  hostEvent: (r: () => number) => void;
}

function targets(dir: string): Target[] {
  const disk = join(dir, "fuzz.img");
  writeFileSync(disk, new Uint8Array(64 * 512));
  const console_ = new VirtioConsole({ ports: [{ name: "org.tsos.control" }, { name: "second" }] });
  const port = console_.ports[0]!;
  port.onData = () => {};
  const net = { send() {}, onFrame: undefined as ((f: Uint8Array) => void) | undefined };
  const netDev = new VirtioNet({ mac: "52:54:00:00:00:01", backend: net });
  const kbd = new VirtioInput(keyboardProfile());
  const tablet = new VirtioInput(tabletProfile());
  const vsock = new VirtioVsock({ guestCid: 3 });
  const streams: VsockConnection[] = [];
  const end: HostEnd = { established() {}, data() {}, pending: () => 0, peerEnded() {}, closed() {} };
  return [
    { name: "rng", device: new VirtioRng(), hostEvent: () => {} },
    { name: "blk", device: new VirtioBlk({ path: disk, readOnly: false, serial: "fuzz" }), hostEvent: () => {} },
    {
      name: "console",
      device: console_,
      hostEvent: (r) => {
        if (r() < 0.2) port.setHostConnected(r() < 0.5);
        else port.send(new Uint8Array(Math.floor(r() * 5000)).fill(0x41));
      },
    },
    { name: "net", device: netDev, hostEvent: (r) => net.onFrame?.(new Uint8Array(Math.floor(r() * 2000) + 1)) },
    { name: "keyboard", device: kbd, hostEvent: (r) => kbd.key(Math.floor(r() * 300), r() < 0.5) },
    {
      name: "vsock",
      device: vsock,
      hostEvent: (r) => {
        const c = streams[Math.floor(r() * streams.length)];
        const x = r();
        if (x < 0.3 || !c) {
          const s = vsock.connect(Math.floor(r() * 4) + 20, end);
          if (s) streams.push(s);
        } else if (x < 0.8) c.send(new Uint8Array(Math.floor(r() * 9000)).fill(0x42));
        else if (x < 0.9) c.shutdown();
        else c.close();
      },
    },
    { name: "tablet", device: tablet, hostEvent: (r) => tablet.pointer(r() * 40000 - 4000, r() * 40000 - 4000, { left: r() < 0.5 }) },
  ];
}

export function runFuzz(seed: number, iterations: number): FuzzReport {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const dir = mkdtempSync(join(tmpdir(), "tsos-fuzz-"));
  const report: FuzzReport = { seed, iterations, escaped: [], unrecoverable: [], maxOpMs: 0, logged: {} };
  try {
    for (const t of targets(dir)) fuzzOne(t, { int, r }, iterations, report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

type Rand = { int: (n: number) => number; r: () => number };

/** The operations a hostile or merely buggy guest (and a busy host) can perform on one device. */
function hostileOps(t: Target, d: SimDriver, transport: BusDevice, { int, r }: Rand): { weight: number; run: () => void }[] {
  const guest = d.guest;
  const queueCount = t.device.queueSizes.length;
  const pool = Array.from({ length: 16 }, () => guest.alloc(4096));
  const ramEnd = guest.base + guest.ram.length;
  const anyAddr = (): bigint =>
    BigInt(
      [() => pool[int(pool.length)]! + int(4096), () => guest.base + int(guest.ram.length), () => ramEnd - int(16), () => guest.base - 1 - int(64), () => 0][int(5)]!(),
    ) + [0n, 0n, 0n, 0xffffffffffff0000n, BigInt(int(2 ** 31)) << 31n][int(5)]!;
  const anyLen = () => [0, 1, 8, 16, 4096, 2 ** 32 - 1, int(8192), int(2 ** 32)][int(8)]!;
  return [
    // Hostile descriptors: any address, length, flags and next, published and kicked.
    {
      weight: 30,
      run: () => {
        const q = d.queue(int(queueCount));
        for (let n = int(8) + 1; n > 0; n--) q.setDesc(int(q.size), { addr: BigInt.asUintN(64, anyAddr()), len: anyLen(), flags: int(8), next: int(q.size * 2) });
        for (let k = int(4) + 1; k > 0; k--) q.pushAvail(int(q.size + 2));
        if (r() < 0.1) q.setAvailIdx(int(0x10000));
        q.kick();
      },
    },
    // Random bytes over a random ring.
    {
      weight: 15,
      run: () => {
        const q = d.queue(int(queueCount));
        const [at, len] = [[q.desc, 16 * q.size], [q.avail, 6 + 2 * q.size], [q.used, 6 + 8 * q.size]][int(3)]!;
        const view = guest.mem.slice(at!, len!);
        for (let k = int(64); k >= 0; k--) view[int(view.length)] = int(256);
        q.kick();
      },
    },
    // Register writes with random values, including status and queue layout.
    {
      weight: 15,
      run: () => {
        const regs = [REG.STATUS, REG.QUEUE_SEL, REG.QUEUE_NUM, REG.QUEUE_READY, REG.QUEUE_NOTIFY, REG.INTERRUPT_ACK, REG.QUEUE_DESC_LOW, REG.QUEUE_DRIVER_HIGH, REG.DRIVER_FEATURES];
        d.setReg(r() < 0.5 ? regs[int(regs.length)]! : 4 * int(0x40), r() < 0.5 ? int(16) : int(2 ** 32));
      },
    },
    // Accesses of any width anywhere in the device's window, config space included.
    {
      weight: 15,
      run: () => {
        const buf = new Uint8Array([1, 2, 4, 8, 3, 128][int(6)]!).fill(int(256));
        if (r() < 0.5) transport.read(int(0x1000), buf);
        else transport.write(int(0x1000), buf);
      },
    },
    { weight: 15, run: () => t.hostEvent(r) },
    // Start over properly, so the fuzzing also reaches deeper states of a working device.
    { weight: 10, run: () => void d.init() },
  ];
}

function fuzzOne(t: Target, rand: Rand, iterations: number, report: FuzzReport): void {
  const guest = new TestGuest(1 << 20);
  report.logged[t.name] = 0;
  const transport = new VirtioMmioTransport(t.device, { mem: guest.mem, irq: new RecordingLine(), log: () => report.logged[t.name]!++ });
  const d = new SimDriver(guest, transport);
  d.init();
  const ops = hostileOps(t, d, transport, rand);
  const total = ops.reduce((a, o) => a + o.weight, 0);
  for (let i = 0; i < iterations; i++) {
    let pick = rand.int(total);
    let op = 0;
    while (pick >= ops[op]!.weight) pick -= ops[op++]!.weight;
    const start = performance.now();
    try {
      ops[op]!.run();
    } catch (e) {
      report.escaped.push(`${t.name} op ${op} iteration ${i}: ${(e as Error).stack ?? e}`);
    }
    report.maxOpMs = Math.max(report.maxOpMs, performance.now() - start);
  }
  const status = d.init();
  if (status !== (STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK | STATUS.DRIVER_OK)) report.unrecoverable.push(`${t.name}: status ${status} after reset`);
}

if (import.meta.main) {
  const seed = Number(process.argv[2] ?? Date.now() % 2 ** 31);
  const iterations = Number(process.argv[3] ?? 3000);
  console.log(JSON.stringify(runFuzz(seed, iterations)));
}
