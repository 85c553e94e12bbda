// struct sockaddr_in / sockaddr_in6 for the libc socket calls (Linux layout).
import { AF_INET, AF_INET6, AF_UNIX, AF_VSOCK } from "../ffi/libc.ts";
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

/** struct sockaddr_vm (16 bytes): family, reserved, port, cid, flags, zero padding. */
export function sockaddrVm(cid: number, port: number): Uint8Array {
  const a = new Uint8Array(16);
  const v = new DataView(a.buffer);
  v.setUint16(0, AF_VSOCK, true);
  v.setUint32(4, port >>> 0, true);
  v.setUint32(8, cid >>> 0, true);
  return a;
}

/** struct sockaddr_un for a filesystem path (at most 107 bytes). */
export function sockaddrUn(path: string): Uint8Array {
  const p = Buffer.from(path);
  if (p.length > 107) throw new Error(`unix socket path too long (${p.length} > 107 bytes): ${path}`);
  const a = new Uint8Array(110);
  new DataView(a.buffer).setUint16(0, AF_UNIX, true);
  a.set(p, 2);
  return a;
}

/** The (cid, port) in a sockaddr_vm, or undefined for other families. */
export function sockaddrVmParts(a: Uint8Array): { cid: number; port: number } | undefined {
  if (a.length < 12 || (a[0]! | (a[1]! << 8)) !== AF_VSOCK) return undefined;
  const v = new DataView(a.buffer, a.byteOffset, a.length);
  return { port: v.getUint32(4, true), cid: v.getUint32(8, true) };
}
