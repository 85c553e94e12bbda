// rtnetlink (NETLINK_ROUTE): message builders and parsers are pure; `Rtnl`
// sends them on a socket and collects the kernel's ack or dump. Shared by
// netd (configure links, watch carrier) and the shell's `ip` (read state).
import { AF_INET, AF_NETLINK, bind, closeFd, recvNonBlocking, sendto, socket, SOCK_NONBLOCK, SOCK_RAW } from "../ffi/libc.ts";
import { ipv4Bytes } from "./addr.ts";

const NETLINK_ROUTE = 0;
const NLM_F_REQUEST = 0x1;
const NLM_F_MULTI = 0x2;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;
const NLM_F_REPLACE = 0x100;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
export const NLMSG = { ERROR: 2, DONE: 3 } as const;
export const RTM = { NEWLINK: 16, DELLINK: 17, GETLINK: 18, NEWADDR: 20, DELADDR: 21, GETADDR: 22, NEWROUTE: 24, DELROUTE: 25, GETROUTE: 26 } as const;
/** Multicast groups for `Rtnl.subscribe`. */
export const RTMGRP = { LINK: 0x1, IPV4_IFADDR: 0x10, IPV6_IFADDR: 0x100 } as const;
export const IFF = { UP: 0x1, BROADCAST: 0x2, LOOPBACK: 0x8, POINTOPOINT: 0x10, RUNNING: 0x40, NOARP: 0x80, PROMISC: 0x100, MULTICAST: 0x1000, LOWER_UP: 0x10000 } as const;
export const IFLA = { ADDRESS: 1, BROADCAST: 2, IFNAME: 3, MTU: 4, QDISC: 6, OPERSTATE: 16, CARRIER: 33 } as const;
export const IFA = { ADDRESS: 1, LOCAL: 2, LABEL: 3, BROADCAST: 4, CACHEINFO: 6, FLAGS: 8 } as const;
export const RTA = { DST: 1, OIF: 4, GATEWAY: 5, PRIORITY: 6, PREFSRC: 7, TABLE: 15 } as const;
const RT_TABLE_MAIN = 254;
const RTPROT_DHCP = 16;
const RT_SCOPE_UNIVERSE = 0;
const RTN_UNICAST = 1;

const align = (n: number) => (n + 3) & ~3;
const u32le = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

function attr(type: number, data: ArrayLike<number>): number[] {
  const len = 4 + data.length;
  const out = [len & 0xff, len >> 8, type & 0xff, type >> 8, ...Array.from(data)];
  while (out.length % 4) out.push(0);
  return out;
}

function header(type: number, flags: number, seq: number, body: number[]): Uint8Array {
  const len = 16 + body.length;
  const out = new Uint8Array(align(len));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, len, true);
  dv.setUint16(4, type, true);
  dv.setUint16(6, flags | NLM_F_REQUEST, true);
  dv.setUint32(8, seq, true);
  out.set(body, 16);
  return out;
}

/** A request the kernel acknowledges (NLMSG_ERROR with errno 0 on success). */
export function nlmsg(type: number, flags: number, seq: number, body: number[]): Uint8Array {
  return header(type, flags | NLM_F_ACK, seq, body);
}

/** A dump request for links, addresses or routes of one family (0 = all). */
export function dumpMsg(type: typeof RTM.GETLINK | typeof RTM.GETADDR | typeof RTM.GETROUTE, seq: number, family = 0): Uint8Array {
  const body = type === RTM.GETLINK ? [family, 0, 0, 0, ...u32le(0), ...u32le(0), ...u32le(0)] : type === RTM.GETADDR ? [family, 0, 0, 0, ...u32le(0)] : [family, 0, 0, 0, 0, 0, 0, 0, ...u32le(0)];
  return header(type, NLM_F_DUMP, seq, body);
}

/** ifinfomsg setting IFF_UP (or clearing it). */
export function linkSetUp(index: number, up: boolean, seq: number): Uint8Array {
  const body = [0, 0, 0, 0, ...u32le(index), ...u32le(up ? IFF.UP : 0), ...u32le(IFF.UP)];
  return nlmsg(RTM.NEWLINK, 0, seq, body);
}

export function addrMsg(type: number, index: number, ip: string, prefix: number, seq: number): Uint8Array {
  const a = ipv4Bytes(ip);
  const n = a.reduce((acc, b) => ((acc << 8) | b) >>> 0, 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const b = (n | ~mask) >>> 0;
  const bcast = [b >>> 24, (b >>> 16) & 0xff, (b >>> 8) & 0xff, b & 0xff];
  const body = [AF_INET, prefix, 0, RT_SCOPE_UNIVERSE, ...u32le(index), ...attr(IFA.LOCAL, a), ...attr(IFA.ADDRESS, a), ...(prefix < 31 ? attr(IFA.BROADCAST, bcast) : [])];
  return nlmsg(type, type === RTM.NEWADDR ? NLM_F_CREATE | NLM_F_REPLACE : 0, seq, body);
}

export function defaultRouteMsg(type: number, index: number, gateway: string, seq: number, metric = 100): Uint8Array {
  const body = [AF_INET, 0, 0, 0, RT_TABLE_MAIN, RTPROT_DHCP, RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, 0, 0, 0, ...attr(RTA.GATEWAY, ipv4Bytes(gateway)), ...attr(RTA.OIF, u32le(index)), ...attr(RTA.PRIORITY, u32le(metric))];
  return nlmsg(type, type === RTM.NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0, seq, body);
}

export interface NlMessage {
  type: number;
  flags: number;
  seq: number;
  /** The payload after the 16-byte nlmsghdr. */
  body: Uint8Array;
}

/** Split a datagram into messages; stops at the first malformed length. */
export function parseMessages(buf: Uint8Array): NlMessage[] {
  const out: NlMessage[] = [];
  for (let off = 0; off + 16 <= buf.length; ) {
    const dv = new DataView(buf.buffer, buf.byteOffset + off);
    const len = dv.getUint32(0, true);
    if (len < 16 || off + len > buf.length) break;
    out.push({ type: dv.getUint16(4, true), flags: dv.getUint16(6, true), seq: dv.getUint32(8, true), body: buf.subarray(off + 16, off + len) });
    off += align(len);
  }
  return out;
}

/** rtattrs from `off` to the end of `body`, by type (the last one wins). */
export function parseAttrs(body: Uint8Array, off: number): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>();
  while (off + 4 <= body.length) {
    const dv = new DataView(body.buffer, body.byteOffset + off);
    const len = dv.getUint16(0, true);
    if (len < 4 || off + len > body.length) break;
    m.set(dv.getUint16(2, true) & 0x3fff, body.subarray(off + 4, off + len));
    off += align(len);
  }
  return m;
}

/** The errno in an NLMSG_ERROR reply (0 is an ack); undefined for other messages. */
export function ackError(reply: Uint8Array, seq: number): number | undefined {
  for (const m of parseMessages(reply)) {
    if (m.type === NLMSG.ERROR && m.seq === seq && m.body.length >= 4) return -new DataView(m.body.buffer, m.body.byteOffset).getInt32(0, true);
  }
  return undefined;
}

function sockaddrNl(groups: number): Uint8Array {
  return new Uint8Array([AF_NETLINK, 0, 0, 0, 0, 0, 0, 0, ...u32le(groups)]);
}

export class Rtnl {
  private fd: number;
  private seq = 1;

  /** `groups`: RTMGRP bits to receive change notifications for (see `next`). */
  constructor(groups = 0) {
    this.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, NETLINK_ROUTE);
    bind(this.fd, sockaddrNl(groups));
  }

  nextSeq(): number {
    return this.seq++;
  }

  /** Send and wait for the ack; resolves with the errno (0 = ok). */
  async request(msg: Uint8Array): Promise<number> {
    const seq = new DataView(msg.buffer).getUint32(8, true);
    sendto(this.fd, msg, sockaddrNl(0));
    for (let i = 0; i < 200; i++) {
      const r = recvNonBlocking(this.fd);
      if (r) {
        const err = ackError(r, seq);
        if (err !== undefined) return err;
        continue;
      }
      await Bun.sleep(5);
    }
    throw new Error("netlink: no ack from the kernel within 1 s");
  }

  /** Send a dump request and collect its messages until NLMSG_DONE. */
  async dump(msg: Uint8Array): Promise<NlMessage[]> {
    const seq = new DataView(msg.buffer).getUint32(8, true);
    sendto(this.fd, msg, sockaddrNl(0));
    const out: NlMessage[] = [];
    for (let idle = 0; idle < 200; ) {
      const r = recvNonBlocking(this.fd);
      if (!r) {
        idle++;
        await Bun.sleep(5);
        continue;
      }
      for (const m of parseMessages(r)) {
        if (m.seq !== seq) continue;
        if (m.type === NLMSG.DONE) return out;
        if (m.type === NLMSG.ERROR) throw new Error(`netlink: dump failed (errno ${-new DataView(m.body.buffer, m.body.byteOffset).getInt32(0, true)})`);
        out.push(m);
        if (!(m.flags & NLM_F_MULTI)) return out;
      }
    }
    throw new Error("netlink: the kernel's dump did not finish within 1 s");
  }

  /** Notifications received since the last call (for a socket made with groups). */
  pending(): NlMessage[] {
    const out: NlMessage[] = [];
    for (let r = recvNonBlocking(this.fd); r; r = recvNonBlocking(this.fd)) out.push(...parseMessages(r).filter((m) => m.seq === 0));
    return out;
  }

  close(): void {
    closeFd(this.fd);
  }
}
