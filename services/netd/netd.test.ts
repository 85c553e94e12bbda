import { describe, expect, test } from "bun:test";
import { DhcpClient, type DhcpWire } from "./dhcp/client.ts";
import { unwrapUdp, wrapUdp } from "./dhcp/ipudp.ts";
import { buildDhcp, MSG, parseDhcp } from "./dhcp/packet.ts";
import { prefixLength } from "../../lib/net/addr.ts";
import { globalIpv6 } from "./ipv6.ts";
import { ackError, addrMsg, defaultRouteMsg, RTM } from "../../lib/net/rtnetlink.ts";
import { resolvConf } from "./main.ts";

const mac = new Uint8Array([0x52, 0x54, 0, 0x12, 0x34, 0x56]);

/** A server's reply, as RFC 2131 lays it out (written here independently of the client's builder). */
function serverReply(type: number, xid: number, yiaddr: string, opts: number[] = []): Uint8Array {
  const b = new Uint8Array(300);
  b[0] = 2;
  b[1] = 1;
  b[2] = 6;
  new DataView(b.buffer).setUint32(4, xid);
  b.set(yiaddr.split(".").map(Number), 16);
  b.set(mac, 28);
  b.set([99, 130, 83, 99], 236);
  b.set([53, 1, type, 54, 4, 10, 0, 2, 2, 1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2, 6, 8, 10, 0, 2, 3, 1, 1, 1, 1, 51, 4, 0, 1, 81, 128, ...opts, 255], 240);
  return b;
}

describe("DHCP packets", () => {
  test("a DISCOVER carries the magic cookie, our MAC, client id, hostname and parameter list", () => {
    const d = buildDhcp({ type: MSG.DISCOVER, xid: 0xdeadbeef, mac, hostname: "box" });
    expect([...d.subarray(0, 3)]).toEqual([1, 1, 6]);
    expect(new DataView(d.buffer).getUint32(4)).toBe(0xdeadbeef);
    expect(new DataView(d.buffer).getUint16(10)).toBe(0x8000);
    expect([...d.subarray(28, 34)]).toEqual([...mac]);
    expect([...d.subarray(236, 243)]).toEqual([99, 130, 83, 99, 53, 1, 1]);
    expect(new TextDecoder().decode(d)).toContain("box");
  });

  test("an ACK parses into address, mask, router, DNS servers and lease", () => {
    const l = parseDhcp(serverReply(MSG.ACK, 7, "10.0.2.15"))!;
    expect(l).toMatchObject({ type: MSG.ACK, xid: 7, yiaddr: "10.0.2.15", serverId: "10.0.2.2", subnetMask: "255.255.255.0", routers: ["10.0.2.2"], dns: ["10.0.2.3", "1.1.1.1"], leaseS: 86400 });
    expect(prefixLength("255.255.255.0")).toBe(24);
  });

  test("malformed replies parse to undefined instead of throwing", () => {
    const ok = serverReply(MSG.ACK, 7, "10.0.2.15");
    const overrun = ok.slice(0, 250); // option 54 claims bytes that are not there
    expect(parseDhcp(overrun)).toBeUndefined();
    expect(parseDhcp(new Uint8Array(10))).toBeUndefined();
    const noCookie = ok.slice();
    noCookie[236] = 0;
    expect(parseDhcp(noCookie)).toBeUndefined();
    for (let i = 0; i < 2000; i++) {
      const junk = ok.slice();
      for (let j = 0; j < 8; j++) junk[240 + ((i * 31 + j * 7) % 60)] = (i * 13 + j) & 0xff;
      expect(() => parseDhcp(junk)).not.toThrow();
    }
  });

  test("IPv4/UDP wrapping has a valid header checksum and unwraps to the payload", () => {
    const p = new Uint8Array([1, 2, 3, 4, 5]);
    const f = wrapUdp(p, "0.0.0.0", "255.255.255.255", 68, 67, 9);
    expect(unwrapUdp(f)).toMatchObject({ src: "0.0.0.0", dst: "255.255.255.255", sport: 68, dport: 67, payload: p });
    const bad = f.slice();
    bad[8] = 1; // TTL changed: checksum no longer matches
    expect(unwrapUdp(bad)).toBeUndefined();
    expect(unwrapUdp(f.subarray(0, 20))).toBeUndefined();
  });
});

test("the client takes an offer, requests it, and reports the lease", async () => {
  const sent: number[] = [];
  let lastXid = 0;
  const wire: DhcpWire = {
    send(b) {
      const req = parseDhcp(Object.assign(b.slice(), { 0: 2 })); // read our own request with the reply parser
      sent.push(req!.type);
      lastXid = req!.xid;
    },
    async receive(_t, accept) {
      const type = sent.at(-1) === MSG.DISCOVER ? MSG.OFFER : MSG.ACK;
      return accept(serverReply(type, lastXid, "10.0.2.15"));
    },
  };
  const bound: string[] = [];
  const c = new DhcpClient(wire, { bound: async (l, why) => void bound.push(`${why} ${l.yiaddr}`), expired: async () => {}, log: () => {} }, { mac, sleep: async () => {} });
  const l = await c.acquire();
  expect(sent).toEqual([MSG.DISCOVER, MSG.REQUEST]);
  expect(l?.yiaddr).toBe("10.0.2.15");
});

test("netlink: address and route messages are well formed; acks carry errno", () => {
  const a = addrMsg(RTM.NEWADDR, 2, "10.0.2.15", 24, 5);
  const dv = new DataView(a.buffer);
  expect(dv.getUint32(0, true)).toBe(a.length); // 16 header + 8 ifaddrmsg + 3 attrs of 8
  expect(a.length).toBe(48);
  expect(dv.getUint16(4, true)).toBe(RTM.NEWADDR);
  expect([...a.subarray(40, 48)]).toEqual([8, 0, 4, 0, 10, 0, 2, 255]); // IFA_BROADCAST 10.0.2.255
  expect(defaultRouteMsg(RTM.NEWROUTE, 2, "10.0.2.2", 6).length).toBe(16 + 12 + 8 + 8 + 8);
  const ack = new Uint8Array(36);
  const av = new DataView(ack.buffer);
  av.setUint32(0, 36, true);
  av.setUint16(4, 2, true);
  av.setUint32(8, 5, true);
  av.setInt32(16, -17, true);
  expect(ackError(ack, 5)).toBe(17);
  expect(ackError(ack, 6)).toBeUndefined();
});

test("IPv6 global addresses from /proc/net/if_inet6; link-local ones are skipped", () => {
  const t = "fd007e05000000005054fffe12345640 02 40 00 00     eth0\nfe80000000000000505400fffe123456 02 40 20 80     eth0\n";
  expect(globalIpv6(t, "eth0")).toEqual(["fd00:7e05::5054:fffe:1234:5640/64"]);
});

test("resolv.conf from the lease", () => {
  expect(resolvConf(["10.0.2.3"], "example")).toBe("# written by netd from DHCP\nsearch example\nnameserver 10.0.2.3\n");
});
