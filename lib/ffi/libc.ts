// The one FFI binding to the C library, shared by guest programs and the host launcher.
// Symbols are bound lazily: a program pays only for the libc calls it makes.
import { dlopen, FFIType, ptr, toArrayBuffer } from "bun:ffi";

const LIBC = process.platform === "darwin" ? "libSystem.B.dylib" : "libc.so.6";

const symbols = {
  reboot: { args: [FFIType.i32], returns: FFIType.i32 },
  sync: { args: [], returns: FFIType.void },
  clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  __errno_location: { args: [], returns: FFIType.ptr },
  getpid: { args: [], returns: FFIType.i32 },
  mount: { args: [FFIType.cstring, FFIType.cstring, FFIType.cstring, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
  umount2: { args: [FFIType.cstring, FFIType.i32], returns: FFIType.i32 },
  sethostname: { args: [FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  waitpid: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.u64], returns: FFIType.i32 },
  strerror: { args: [FFIType.i32], returns: FFIType.cstring },
  socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  bind: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  sendto: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i64 },
  recv: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i64 },
  recvfrom: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i64 },
  poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
  if_nametoindex: { args: [FFIType.cstring], returns: FFIType.u32 },
  mmap: { args: [FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.i32, FFIType.i32, FFIType.i64], returns: FFIType.ptr },
  munmap: { args: [FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  eventfd: { args: [FFIType.u32, FFIType.i32], returns: FFIType.i32 },
} as const;

type Lib = ReturnType<typeof dlopen<typeof symbols>>["symbols"];
let lib: Lib | undefined;
function libc(): Lib {
  lib ??= dlopen(LIBC, symbols).symbols;
  return lib;
}

/** <sys/reboot.h> magic commands. */
export const RB = {
  AUTOBOOT: 0x01234567,
  POWER_OFF: 0x4321fedc,
  HALT_SYSTEM: 0xcdef0123,
  DISABLE_CAD: 0,
  ENABLE_CAD: 0x89abcdef | 0,
} as const;

/** The calling thread's errno after a failed call. */
export function errno(): number {
  const p = libc().__errno_location();
  return p ? new Int32Array(toArrayBuffer(p, 0, 4))[0]! : 0;
}

/** A failed libc call as an Error whose message names the call and errno's text. */
export function sysError(call: string, detail = ""): Error & { errno: number } {
  const e = errno();
  const err = new Error(`${call}${detail ? " " + detail : ""}: ${libc().strerror(e)}`) as Error & { errno: number };
  err.errno = e;
  return err;
}

const cstr = (s: string) => Buffer.from(s + "\0");

/** mount(2); `data` is the filesystem's option string. Throws with errno's text. */
export function mount(source: string, target: string, fstype: string, flags: number, data?: string): void {
  const d = data ? cstr(data) : null;
  if (libc().mount(cstr(source), cstr(target), cstr(fstype), BigInt(flags), d ? ptr(d) : null) !== 0) throw sysError("mount", target);
}

export const MNT_DETACH = 2;
export function umount(target: string, flags = 0): void {
  if (libc().umount2(cstr(target), flags) !== 0) throw sysError("umount", target);
}

export function sethostname(name: string): void {
  const b = Buffer.from(name);
  if (libc().sethostname(ptr(b), BigInt(b.length)) !== 0) throw sysError("sethostname");
}

export const WNOHANG = 1;
/** waitpid(pid, WNOHANG): the reaped pid, 0 if it has not exited, -1 on error (e.g. ECHILD). */
export function reapNoHang(pid: number): number {
  const status = new Int32Array(1);
  return libc().waitpid(pid, ptr(status), WNOHANG);
}

/** ioctl(fd, request, integer argument). */
export function ioctlInt(fd: number, request: number, arg: number): number {
  return libc().ioctl(fd, BigInt(request), BigInt(arg));
}

/** ioctl(fd, request, pointer to a caller-owned buffer); returns the raw result (-1 on error). */
export function ioctlBuf(fd: number, request: number, buf: ArrayBufferView | null): number {
  return libc().ioctl(fd, BigInt(request), buf ? BigInt(ptr(buf as DataView)) : 0n);
}

export const PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4 } as const;
export const MAP = { SHARED: 0x01, PRIVATE: 0x02, FIXED: 0x10, ANONYMOUS: 0x20, NORESERVE: 0x4000 } as const;

/** A mapping: its address (for ioctls that take host pointers) and a view over its bytes. */
export interface Mapping {
  address: number;
  length: number;
  bytes: Uint8Array;
}

/** mmap(NULL, length, prot, flags, fd, offset). The view is valid until unmap(). */
export function mmap(length: number, prot: number, flags: number, fd = -1, offset = 0): Mapping {
  const p = libc().mmap(null, BigInt(length), prot, flags, fd, BigInt(offset));
  const address = Number(p ?? 0);
  if (address === 0 || address === -1 || address === 0xffffffffffffffff) throw sysError("mmap", `${length} bytes`);
  return { address, length, bytes: new Uint8Array(toArrayBuffer(address as never, 0, length)) };
}

/** munmap; the mapping's view must not be touched afterwards. */
export function munmap(m: Mapping): void {
  if (libc().munmap(m.address as never, BigInt(m.length)) !== 0) throw sysError("munmap");
}

/** eventfd(initval, flags) — EFD_CLOEXEC|EFD_NONBLOCK are 0o2000000|0o4000. */
export function eventfd(initval = 0, flags = 0o2000000): number {
  const fd = libc().eventfd(initval, flags);
  if (fd < 0) throw sysError("eventfd");
  return fd;
}

export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const AF_PACKET = 17;
export const SOCK_RAW = 3;
export const IPPROTO_ICMP = 1;
export const IPPROTO_ICMPV6 = 58;
export const SOCK_DGRAM = 2;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
const EAGAIN = 11;

/** socket(2); throws with errno's text. */
export function socket(domain: number, type: number, protocol: number): number {
  const fd = libc().socket(domain, type | SOCK_CLOEXEC, protocol);
  if (fd < 0) throw sysError("socket");
  return fd;
}

export function bind(fd: number, addr: Uint8Array): void {
  if (libc().bind(fd, ptr(addr), addr.length) !== 0) throw sysError("bind");
}

export function sendto(fd: number, data: Uint8Array, addr: Uint8Array | null): number {
  const n = Number(libc().sendto(fd, ptr(data), BigInt(data.length), 0, addr ? ptr(addr) : null, addr ? addr.length : 0));
  if (n < 0) throw sysError("sendto");
  return n;
}

/** recv(2) on a non-blocking socket: the bytes, or null when nothing is waiting. */
export function recvNonBlocking(fd: number, max = 65536): Uint8Array | null {
  const buf = new Uint8Array(max);
  const n = Number(libc().recv(fd, ptr(buf), BigInt(max), 0));
  if (n < 0) {
    if (errno() === EAGAIN) return null;
    throw sysError("recv");
  }
  return buf.subarray(0, n);
}

/** recvfrom(2) on a non-blocking socket: the bytes and the sender's sockaddr, or null when nothing is waiting. */
export function recvFromNonBlocking(fd: number, max = 65536): { data: Uint8Array; from: Uint8Array } | null {
  const buf = new Uint8Array(max);
  const addr = new Uint8Array(128);
  const alen = new Uint32Array([addr.length]);
  const n = Number(libc().recvfrom(fd, ptr(buf), BigInt(max), 0, ptr(addr), ptr(alen)));
  if (n < 0) {
    if (errno() === EAGAIN) return null;
    throw sysError("recvfrom");
  }
  return { data: buf.subarray(0, n), from: addr.subarray(0, Math.min(alen[0]!, addr.length)) };
}

const POLLIN = 1;

/** poll(2) one fd for input: true when readable within timeoutMs (blocks this thread meanwhile). */
export function pollIn(fd: number, timeoutMs: number): boolean {
  const pfd = new Int32Array([fd, POLLIN]); // struct pollfd { int fd; short events; short revents; }
  const n = libc().poll(ptr(pfd), 1n, Math.max(0, Math.floor(timeoutMs)));
  if (n < 0 && errno() !== 4 /* EINTR */) throw sysError("poll");
  return n > 0;
}

export function closeFd(fd: number): void {
  libc().close(fd);
}

export function ifNameToIndex(name: string): number {
  const i = libc().if_nametoindex(cstr(name));
  if (!i) throw sysError("if_nametoindex", name);
  return i;
}

export function reboot(cmd: number): number {
  return libc().reboot(cmd | 0);
}

export function sync(): void {
  libc().sync();
}

export function getpid(): number {
  return libc().getpid();
}

const CLOCK_BOOTTIME = 7;

/** Milliseconds since the kernel started, including time suspended (CLOCK_BOOTTIME). */
export function msSinceBoot(): number {
  const ts = new BigInt64Array(2);
  if (libc().clock_gettime(CLOCK_BOOTTIME, ptr(ts)) !== 0) throw new Error("clock_gettime(CLOCK_BOOTTIME) failed");
  return Number(ts[0]!) * 1000 + Number(ts[1]!) / 1e6;
}
