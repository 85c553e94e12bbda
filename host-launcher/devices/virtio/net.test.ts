// virtio-net: frames through the queues to a QEMU-stream peer on a unix socket, and to a real
// passt process (DHCP offer for the guest, a loopback TCP forward reaching guest port 22).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RecordingLine } from "../bus.ts";
import { SimDriver, TestGuest, waitFor, type Posted } from "../testing/driver.ts";
import { connectStream, encodeStreamFrame, StreamDecoder } from "../net/stream.ts";
import { findPasst, passtArgs, startPasst } from "../net/passt.ts";
import { freeLoopbackPort } from "../../vm/ports.ts";
import { VirtioMmioTransport } from "./mmio.ts";
import { NET_HDR_LEN, VirtioNet, type NetBackend } from "./net.ts";

const dir = mkdtempSync(join(tmpdir(), "tsos-net-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MAC = "52:54:00:12:34:56";

function guestNic(backend: NetBackend) {
  const guest = new TestGuest(4 << 20);
  const net = new VirtioNet({ mac: MAC, backend });
  const t = new VirtioMmioTransport(net, { mem: guest.mem, irq: new RecordingLine(), log: () => {} });
  const d = new SimDriver(guest, t);
  d.init();
  const rxPosted: Posted[] = [];
  const postRx = (n: number) => {
    for (let i = 0; i < n; i++) rxPosted.push(d.queue(0).add([{ writable: 2048 }]));
    d.queue(0).kick();
  };
  const received: Uint8Array[] = [];
  /** Frames (header stripped) delivered since the last call; checks each header. */
  const collect = () => {
    for (const u of d.queue(0).usedElems()) {
      const p = rxPosted.find((x) => x.head === u.id)!;
      const bytes = guest.mem.read(p.buffers[0]!.addr, u.len);
      expect(bytes[10]).toBe(1); // num_buffers
      received.push(bytes.subarray(NET_HDR_LEN));
    }
    return received;
  };
  const transmit = (frame: Uint8Array) => {
    d.queue(1).add([{ data: new Uint8Array(NET_HDR_LEN) }, { data: frame }]);
    d.queue(1).kick();
  };
  return { d, net, postRx, collect, transmit };
}

describe("virtio-net", () => {
  test("config space: MAC, MTU and link up; a link change raises a config interrupt", () => {
    const n = guestNic({ send() {}, onFrame: undefined });
    expect([...n.d.config(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join(":")).toBe(MAC);
    expect(n.d.config(6, 2)[0]).toBe(1);
    expect(new DataView(n.d.config(10, 2).buffer).getUint16(0, true)).toBe(1500);
    n.net.setLinkUp(false);
    expect(n.d.config(6, 2)[0]).toBe(0);
    expect(n.d.reg(0x060) & 2).toBe(2);
  });

  test("frames cross a QEMU-stream socket both ways", async () => {
    const path = join(dir, "peer.sock");
    const fromGuest: Uint8Array[] = [];
    const decoder = new StreamDecoder();
    let peer: { write(b: Uint8Array): number } | undefined;
    const server = Bun.listen({
      unix: path,
      socket: {
        open(s) {
          peer = s;
        },
        data(_s, d) {
          fromGuest.push(...decoder.push(new Uint8Array(d)));
        },
      },
    });
    const backend = await connectStream(path);
    const n = guestNic(backend);
    const out = new Uint8Array(60).map((_, i) => i);
    n.transmit(out);
    await waitFor(() => fromGuest.length === 1, 3000, "the guest's frame at the peer");
    expect(fromGuest[0]).toEqual(out);

    // Frames that arrive before the guest posts buffers wait for them.
    const inbound = new Uint8Array(1514).fill(7);
    peer!.write(encodeStreamFrame(inbound));
    peer!.write(encodeStreamFrame(inbound.subarray(0, 64)));
    await waitFor(() => n.net["pending"].length === 2, 3000, "frames queued in the device");
    n.postRx(4);
    expect(n.collect().map((f) => f.length)).toEqual([1514, 64]);
    expect(n.net.stats).toMatchObject({ rxFrames: 2, txFrames: 1, rxDropped: 0 });
    backend.close();
    server.stop(true);
  });

  test("a failing backend loses the frame but does not reset the device", () => {
    let calls = 0;
    const n = guestNic({
      send() {
        calls++;
        throw new Error("socket gone");
      },
      onFrame: undefined,
    });
    n.transmit(new Uint8Array(60));
    n.transmit(new Uint8Array(60));
    expect(calls).toBe(2);
    expect(n.d.reg(0x070) & 64).toBe(0);
    expect(n.d.queue(1).usedElems().length).toBe(2);
  });

  test("passt command line: loopback forwards, nobody when root", () => {
    expect(passtArgs({ forwards: [{ host: 2222, guest: 22 }] }, "/s", true)).toEqual(["passt", "-f", "-q", "--one-off", "--socket", "/s", "--runas", "nobody", "--no-map-gw", "--mtu", "1500", "-t", "127.0.0.1/2222:22"]);
  });

  const passt = findPasst();
  if (!passt) console.warn("SKIP virtio-net + passt: passt is not installed (apt-get install passt; ci/deps.sh installs it)");
  test.skipIf(!passt)("a real passt offers the guest a DHCP lease and forwards a loopback port to guest 22", async () => {
    const hostPort = await freeLoopbackPort();
    const backend = await startPasst({ forwards: [{ host: hostPort, guest: 22 }] });
    try {
      const n = guestNic(backend);
      n.postRx(32);
      n.transmit(dhcpDiscover(MAC));
      let offer: { yiaddr: string } | undefined;
      await waitFor(() => (offer = n.collect().map(parseDhcpOffer).find((o) => o)) !== undefined, 5000, "a DHCP offer from passt");
      expect(offer!.yiaddr).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

      // A host client on 127.0.0.1:hostPort turns into a SYN to the guest's port 22.
      const client = Bun.connect({ hostname: "127.0.0.1", port: hostPort, socket: { data() {} } }).catch(() => undefined);
      await waitFor(() => n.collect().some((f) => tcpDstPort(f) === 22), 5000, "a TCP SYN for guest port 22");
      (await client)?.end();
    } finally {
      backend.close();
    }
    expect(await Promise.race([backend.exited.then(() => "exited"), Bun.sleep(3000).then(() => "still running")])).toBe("exited");
  });
});

function ipChecksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Ethernet + IPv4 + UDP 68->67 + a BOOTP DHCPDISCOVER, as a fresh client sends it. */
function dhcpDiscover(mac: string): Uint8Array {
  const hw = mac.split(":").map((h) => parseInt(h, 16));
  const bootp = new Uint8Array(300);
  bootp.set([1, 1, 6, 0, 0x12, 0x34, 0x56, 0x78, 0, 0, 0x80, 0]);
  bootp.set(hw, 28);
  bootp.set([0x63, 0x82, 0x53, 0x63, 53, 1, 1, 255], 236);
  const udp = new Uint8Array(8 + bootp.length);
  const uv = new DataView(udp.buffer);
  uv.setUint16(0, 68);
  uv.setUint16(2, 67);
  uv.setUint16(4, udp.length);
  udp.set(bootp, 8);
  const ip = new Uint8Array(20 + udp.length);
  const iv = new DataView(ip.buffer);
  ip.set([0x45, 0]);
  iv.setUint16(2, ip.length);
  ip[8] = 64;
  ip[9] = 17;
  ip.set([255, 255, 255, 255], 16);
  iv.setUint16(10, ipChecksum(ip.subarray(0, 20)));
  ip.set(udp, 20);
  const eth = new Uint8Array(14 + ip.length);
  eth.set([255, 255, 255, 255, 255, 255, ...hw, 0x08, 0x00]);
  eth.set(ip, 14);
  return eth;
}

function parseDhcpOffer(f: Uint8Array): { yiaddr: string } | undefined {
  if (f.length < 14 + 20 + 8 + 240 || f[12] !== 0x08 || f[13] !== 0 || f[14 + 9] !== 17) return undefined;
  const udp = 14 + (f[14]! & 0xf) * 4;
  if (((f[udp]! << 8) | f[udp + 1]!) !== 67) return undefined;
  const bootp = udp + 8;
  for (let o = bootp + 240; o < f.length && f[o] !== 255; o += 2 + (f[o + 1] ?? 0)) {
    if (f[o] === 53 && f[o + 2] === 2) return { yiaddr: [...f.subarray(bootp + 16, bootp + 20)].join(".") };
  }
  return undefined;
}

function tcpDstPort(f: Uint8Array): number | undefined {
  if (f.length < 14 + 20 + 20 || f[12] !== 0x08 || f[13] !== 0 || f[14 + 9] !== 6) return undefined;
  const tcp = 14 + (f[14]! & 0xf) * 4;
  return (f[tcp + 2]! << 8) | f[tcp + 3]!;
}
