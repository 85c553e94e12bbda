// IPv4 + UDP headers around a DHCP message, for the AF_PACKET socket a client
// without an address must use. Incoming frames are checked field by field.
import { ipv4Bytes, ipv4Text } from "../../../lib/net/addr.ts";

function checksum(b: Uint8Array, off: number, len: number): number {
  let sum = 0;
  for (let i = 0; i < len; i += 2) sum += (b[off + i]! << 8) | (i + 1 < len ? b[off + i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function wrapUdp(payload: Uint8Array, src: string, dst: string, sport: number, dport: number, id = 0): Uint8Array {
  const out = new Uint8Array(28 + payload.length);
  const dv = new DataView(out.buffer);
  out[0] = 0x45;
  dv.setUint16(2, out.length);
  dv.setUint16(4, id & 0xffff);
  out[8] = 64; // TTL
  out[9] = 17; // UDP
  out.set(ipv4Bytes(src), 12);
  out.set(ipv4Bytes(dst), 16);
  dv.setUint16(10, checksum(out, 0, 20));
  dv.setUint16(20, sport);
  dv.setUint16(22, dport);
  dv.setUint16(24, 8 + payload.length);
  // UDP checksum 0: "not computed", allowed for IPv4.
  out.set(payload, 28);
  return out;
}

export interface Datagram {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload: Uint8Array;
}

export function unwrapUdp(b: Uint8Array): Datagram | undefined {
  if (b.length < 28 || b[0]! >> 4 !== 4) return undefined;
  const ihl = (b[0]! & 0x0f) * 4;
  if (ihl < 20 || b.length < ihl + 8 || b[9] !== 17) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const total = dv.getUint16(2);
  if (total > b.length || total < ihl + 8) return undefined;
  if (checksum(b, 0, ihl) !== 0) return undefined;
  if (dv.getUint16(6) & 0x3fff) return undefined; // fragments: DHCP replies fit one frame
  const ulen = dv.getUint16(ihl + 4);
  if (ulen < 8 || ihl + ulen > total) return undefined;
  return { src: ipv4Text(b, 12), dst: ipv4Text(b, 16), sport: dv.getUint16(ihl), dport: dv.getUint16(ihl + 2), payload: b.slice(ihl + 8, ihl + ulen) };
}
