// ICMP echo (ping) messages for IPv4 and IPv6: pure builders and parsers.

export const ECHO = { v4: { request: 8, reply: 0 }, v6: { request: 128, reply: 129 } } as const;

/** The Internet checksum (RFC 1071) over `b`. */
export function inetChecksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (b.length & 1) sum += b[b.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An echo request with `size` payload bytes. IPv6's checksum is the kernel's (it covers a pseudo-header). */
export function echoRequest(v6: boolean, id: number, seq: number, size: number): Uint8Array {
  const m = new Uint8Array(8 + size);
  const dv = new DataView(m.buffer);
  m[0] = v6 ? ECHO.v6.request : ECHO.v4.request;
  dv.setUint16(4, id & 0xffff);
  dv.setUint16(6, seq & 0xffff);
  for (let i = 0; i < size; i++) m[8 + i] = (0x10 + i) & 0xff;
  if (!v6) dv.setUint16(2, inetChecksum(m));
  return m;
}

export interface EchoReply {
  id: number;
  seq: number;
  /** ICMP message length (header + payload). */
  bytes: number;
  /** From the IPv4 header when the socket delivers it (raw IPv4 sockets). */
  ttl?: number;
}

/**
 * An echo reply from what a socket delivered: raw IPv4 sockets include the IP
 * header (`withIpHeader`), ping sockets and ICMPv6 sockets do not. Anything
 * else (other ICMP types, truncated or corrupt packets) is undefined.
 */
export function parseEchoReply(v6: boolean, pkt: Uint8Array, withIpHeader: boolean): EchoReply | undefined {
  let ttl: number | undefined;
  let icmp = pkt;
  if (withIpHeader) {
    if (pkt.length < 20 || pkt[0]! >> 4 !== 4) return undefined;
    const ihl = (pkt[0]! & 0xf) * 4;
    if (ihl < 20 || pkt.length < ihl + 8) return undefined;
    ttl = pkt[8];
    icmp = pkt.subarray(ihl);
  }
  if (icmp.length < 8 || icmp[0] !== (v6 ? ECHO.v6.reply : ECHO.v4.reply) || icmp[1] !== 0) return undefined;
  if (!v6 && inetChecksum(icmp) !== 0) return undefined;
  const dv = new DataView(icmp.buffer, icmp.byteOffset);
  return { id: dv.getUint16(4), seq: dv.getUint16(6), bytes: icmp.length, ttl };
}
