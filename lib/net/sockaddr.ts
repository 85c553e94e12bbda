// struct sockaddr_in / sockaddr_in6 for the libc socket calls (Linux layout).
import { AF_INET, AF_INET6 } from "../ffi/libc.ts";
import { ipv4Bytes, ipv4Text, ipv6Bytes, ipv6Text } from "./addr.ts";

export function sockaddrIn(ip: string, port = 0): Uint8Array {
  const a = new Uint8Array(16);
  const dv = new DataView(a.buffer);
  dv.setUint16(0, AF_INET, true);
  dv.setUint16(2, port);
  a.set(ipv4Bytes(ip), 4);
  return a;
}

export function sockaddrIn6(ip: string, port = 0, scopeId = 0): Uint8Array {
  const a = new Uint8Array(28);
  const dv = new DataView(a.buffer);
  dv.setUint16(0, AF_INET6, true);
  dv.setUint16(2, port);
  a.set(ipv6Bytes(ip), 8);
  dv.setUint32(24, scopeId, true);
  return a;
}

/** The address in a sockaddr_in or sockaddr_in6, or undefined for other families. */
export function sockaddrIp(a: Uint8Array): string | undefined {
  if (a.length < 2) return undefined;
  const family = a[0]! | (a[1]! << 8);
  if (family === AF_INET && a.length >= 8) return ipv4Text(a, 4);
  if (family === AF_INET6 && a.length >= 24) return ipv6Text(a, 8);
  return undefined;
}
