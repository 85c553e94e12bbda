// rtnetlink: bring links up, add/remove IPv4 addresses and the default route.
// Message builders are pure; `Rtnl` sends them on a NETLINK_ROUTE socket and
// waits for the kernel's ack.
import { AF_INET, AF_NETLINK, bind, closeFd, recvNonBlocking, sendto, socket, SOCK_NONBLOCK, SOCK_RAW } from "../../lib/ffi/libc.ts";
import { ipToBytes } from "./dhcp/packet.ts";

const NETLINK_ROUTE = 0;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const NLM_F_REPLACE = 0x100;
const NLMSG_ERROR = 2;
export const RTM = { NEWLINK: 16, NEWADDR: 20, DELADDR: 21, NEWROUTE: 24, DELROUTE: 25 } as const;
const IFF_UP = 1;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_BROADCAST = 4;
const RTA_GATEWAY = 5;
const RTA_OIF = 4;
const RTA_PRIORITY = 6;
const RT_TABLE_MAIN = 254;
const RTPROT_DHCP = 16;
const RT_SCOPE_UNIVERSE = 0;
const RTN_UNICAST = 1;

const align = (n: number) => (n + 3) & ~3;

function attr(type: number, data: number[]): number[] {
  const len = 4 + data.length;
  const out = [len & 0xff, len >> 8, type & 0xff, type >> 8, ...data];
  while (out.length % 4) out.push(0);
  return out;
}

const u32le = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

export function nlmsg(type: number, flags: number, seq: number, body: number[]): Uint8Array {
  const len = 16 + body.length;
  const out = new Uint8Array(align(len));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, len, true);
  dv.setUint16(4, type, true);
  dv.setUint16(6, flags | NLM_F_REQUEST | NLM_F_ACK, true);
  dv.setUint32(8, seq, true);
  out.set(body, 16);
  return out;
}

/** ifinfomsg setting IFF_UP (or clearing it). */
export function linkSetUp(index: number, up: boolean, seq: number): Uint8Array {
  const body = [0, 0, 0, 0, ...u32le(index), ...u32le(up ? IFF_UP : 0), ...u32le(IFF_UP)];
  return nlmsg(RTM.NEWLINK, 0, seq, body);
}

export function addrMsg(type: number, index: number, ip: string, prefix: number, seq: number): Uint8Array {
  const a = ipToBytes(ip);
  const n = a.reduce((acc, b) => ((acc << 8) | b) >>> 0, 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const b = (n | ~mask) >>> 0;
  const bcast = [b >>> 24, (b >>> 16) & 0xff, (b >>> 8) & 0xff, b & 0xff];
  const body = [AF_INET, prefix, 0, RT_SCOPE_UNIVERSE, ...u32le(index), ...attr(IFA_LOCAL, a), ...attr(IFA_ADDRESS, a), ...(prefix < 31 ? attr(IFA_BROADCAST, bcast) : [])];
  return nlmsg(type, type === RTM.NEWADDR ? NLM_F_CREATE | NLM_F_REPLACE : 0, seq, body);
}

export function defaultRouteMsg(type: number, index: number, gateway: string, seq: number, metric = 100): Uint8Array {
  const body = [AF_INET, 0, 0, 0, RT_TABLE_MAIN, RTPROT_DHCP, RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, 0, 0, 0, ...attr(RTA_GATEWAY, ipToBytes(gateway)), ...attr(RTA_OIF, u32le(index)), ...attr(RTA_PRIORITY, u32le(metric))];
  return nlmsg(type, type === RTM.NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0, seq, body);
}

/** The errno in an NLMSG_ERROR reply (0 is an ack); undefined for other messages. */
export function ackError(reply: Uint8Array, seq: number): number | undefined {
  for (let off = 0; off + 20 <= reply.length; ) {
    const dv = new DataView(reply.buffer, reply.byteOffset + off);
    const len = dv.getUint32(0, true);
    if (len < 16 || off + len > reply.length) return undefined;
    if (dv.getUint16(4, true) === NLMSG_ERROR && dv.getUint32(8, true) === seq) return -dv.getInt32(16, true);
    off += align(len);
  }
  return undefined;
}

export class Rtnl {
  private fd: number;
  private seq = 1;

  constructor() {
    this.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, NETLINK_ROUTE);
    bind(this.fd, new Uint8Array([AF_NETLINK, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  }

  nextSeq(): number {
    return this.seq++;
  }

  /** Send and wait for the ack; resolves with the errno (0 = ok). */
  async request(msg: Uint8Array): Promise<number> {
    const seq = new DataView(msg.buffer).getUint32(8, true);
    sendto(this.fd, msg, new Uint8Array([AF_NETLINK, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
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

  close(): void {
    closeFd(this.fd);
  }
}
