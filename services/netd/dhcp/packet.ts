// DHCPv4 messages (RFC 2131/2132): build what a client sends, parse what a
// server answers. Pure functions over bytes; a malformed packet parses to
// undefined, never an exception.
import { ipv4Bytes, ipv4Text } from "../../../lib/net/addr.ts";

export const MSG = { DISCOVER: 1, OFFER: 2, REQUEST: 3, DECLINE: 4, ACK: 5, NAK: 6, RELEASE: 7 } as const;
const COOKIE = [99, 130, 83, 99];
const FIXED = 236;
export const CLIENT_PORT = 68;
export const SERVER_PORT = 67;

export interface ClientRequest {
  type: number;
  xid: number;
  mac: Uint8Array;
  hostname?: string;
  /** REQUEST in SELECTING, and DECLINE: the offered address. */
  requestedIp?: string;
  serverId?: string;
  /** RENEWING/REBINDING/RELEASE: the address we hold. */
  ciaddr?: string;
  secs?: number;
}

export interface Lease {
  type: number;
  xid: number;
  yiaddr: string;
  serverId?: string;
  subnetMask?: string;
  routers: string[];
  dns: string[];
  domain?: string;
  mtu?: number;
  leaseS?: number;
  t1S?: number;
  t2S?: number;
  chaddr: Uint8Array;
}


export function buildDhcp(r: ClientRequest): Uint8Array {
  const opts: number[] = [53, 1, r.type, 61, 7, 1, ...r.mac];
  if (r.requestedIp) opts.push(50, 4, ...ipv4Bytes(r.requestedIp));
  if (r.serverId) opts.push(54, 4, ...ipv4Bytes(r.serverId));
  if (r.hostname && r.type !== MSG.RELEASE) {
    const h = new TextEncoder().encode(r.hostname.slice(0, 63));
    opts.push(12, h.length, ...h);
  }
  if (r.type === MSG.DISCOVER || r.type === MSG.REQUEST) opts.push(55, 9, 1, 3, 6, 12, 15, 26, 51, 58, 59);
  opts.push(255);
  const out = new Uint8Array(Math.max(300, FIXED + 4 + opts.length));
  const dv = new DataView(out.buffer);
  out[0] = 1; // BOOTREQUEST
  out[1] = 1; // ethernet
  out[2] = 6;
  dv.setUint32(4, r.xid >>> 0);
  dv.setUint16(8, Math.min(r.secs ?? 0, 0xffff));
  // Ask for broadcast replies only while we have no address to receive unicast on.
  if (!r.ciaddr) dv.setUint16(10, 0x8000);
  if (r.ciaddr) out.set(ipv4Bytes(r.ciaddr), 12);
  out.set(r.mac.subarray(0, 6), 28);
  out.set(COOKIE, FIXED);
  out.set(opts, FIXED + 4);
  return out;
}

export function parseDhcp(b: Uint8Array): Lease | undefined {
  if (b.length < FIXED + 4 || b[0] !== 2 || b[1] !== 1 || b[2] !== 6) return undefined;
  if (COOKIE.some((c, i) => b[FIXED + i] !== c)) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const l: Lease = { type: 0, xid: dv.getUint32(4), yiaddr: ipv4Text(b, 16), routers: [], dns: [], chaddr: b.slice(28, 34) };
  const ips = (off: number, len: number) => {
    const out: string[] = [];
    for (let i = 0; i + 4 <= len; i += 4) out.push(ipv4Text(b, off + i));
    return out;
  };
  for (let i = FIXED + 4; i < b.length; ) {
    const code = b[i]!;
    if (code === 255) break;
    if (code === 0) {
      i++;
      continue;
    }
    if (i + 1 >= b.length) return undefined;
    const len = b[i + 1]!;
    const off = i + 2;
    if (off + len > b.length) return undefined; // option runs past the packet
    const u32 = () => (len >= 4 ? dv.getUint32(off) : undefined);
    switch (code) {
      case 53:
        l.type = len >= 1 ? b[off]! : 0;
        break;
      case 54:
        if (len >= 4) l.serverId = ipv4Text(b, off);
        break;
      case 1:
        if (len >= 4) l.subnetMask = ipv4Text(b, off);
        break;
      case 3:
        l.routers = ips(off, len);
        break;
      case 6:
        l.dns = ips(off, len);
        break;
      case 15:
        l.domain = new TextDecoder().decode(b.subarray(off, off + len)).replace(/\0+$/, "");
        break;
      case 26:
        if (len >= 2) l.mtu = dv.getUint16(off);
        break;
      case 51:
        l.leaseS = u32();
        break;
      case 58:
        l.t1S = u32();
        break;
      case 59:
        l.t2S = u32();
        break;
    }
    i = off + len;
  }
  return l.type ? l : undefined;
}
