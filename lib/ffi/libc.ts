// The one FFI binding to the C library, shared by guest programs and the host launcher.
// Symbols are bound lazily, one at a time: a program pays only for the libc calls it makes.
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
  posix_spawn: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  posix_spawnattr_init: { args: [FFIType.ptr], returns: FFIType.i32 },
  posix_spawnattr_destroy: { args: [FFIType.ptr], returns: FFIType.i32 },
  posix_spawnattr_setflags: { args: [FFIType.ptr, FFIType.i16], returns: FFIType.i32 },
  posix_spawnattr_setpgroup: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  posix_spawnattr_setsigdefault: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  posix_spawnattr_setsigmask: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  posix_spawn_file_actions_init: { args: [FFIType.ptr], returns: FFIType.i32 },
  posix_spawn_file_actions_destroy: { args: [FFIType.ptr], returns: FFIType.i32 },
  posix_spawn_file_actions_adddup2: { args: [FFIType.ptr, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  posix_spawn_file_actions_addclose: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  posix_spawn_file_actions_addchdir_np: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  posix_spawn_file_actions_addtcsetpgrp_np: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  execve: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  kill: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  getpgrp: { args: [], returns: FFIType.i32 },
  setpgid: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  tcgetpgrp: { args: [FFIType.i32], returns: FFIType.i32 },
  tcsetpgrp: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  signal: { args: [FFIType.i32, FFIType.u64], returns: FFIType.u64 },
  pipe2: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  dup2: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  sigprocmask: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  listen: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  accept4: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  connect: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
} as const;

type Lib = ReturnType<typeof dlopen<typeof symbols>>["symbols"];
type Name = keyof typeof symbols;
// One dlopen per symbol on first use, after which the property is the plain function: a libc
// without some of them (macOS has no eventfd, pipe2, accept4 or the _np spawn actions) fails
// only the calls that need them, not all.
const lib = {} as Lib;
for (const name of Object.keys(symbols) as Name[]) {
  Object.defineProperty(lib, name, {
    configurable: true,
    get() {
      const fn = dlopen(LIBC, { [name]: symbols[name] }).symbols[name];
      Object.defineProperty(lib, name, { value: fn });
      return fn;
    },
  });
}
function libc(): Lib {
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

/** What waitpid reported for a child. */
export type ChildStatus = { kind: "exited"; code: number } | { kind: "signaled"; signal: number } | { kind: "stopped"; signal: number } | { kind: "continued" };

/** waitpid(pid, WNOHANG | WUNTRACED | WCONTINUED): undefined while nothing changed; throws on ECHILD. */
export function waitChild(pid: number): ChildStatus | undefined {
  const st = new Int32Array(1);
  const r = libc().waitpid(pid, ptr(st), 1 | 2 | 8);
  if (r < 0) throw sysError("waitpid", String(pid));
  if (r === 0) return undefined;
  const s = st[0]!;
  if ((s & 0x7f) === 0) return { kind: "exited", code: (s >> 8) & 0xff };
  if ((s & 0xff) === 0x7f) return { kind: "stopped", signal: (s >> 8) & 0xff };
  if (s === 0xffff) return { kind: "continued" };
  return { kind: "signaled", signal: s & 0x7f };
}

/** The pointers of NUL-terminated copies of `strs`, as a NULL-terminated char*[] (keep `keep` alive while in use). */
function cstrArray(strs: string[]): { array: BigUint64Array; keep: Buffer[] } {
  const keep = strs.map((s) => cstr(s));
  const array = new BigUint64Array(keep.length + 1);
  keep.forEach((b, i) => (array[i] = BigInt(ptr(b))));
  return { array, keep };
}

export interface SpawnRequest {
  path: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Child fd n gets fds[n] (undefined: closed). */
  fds: (number | undefined)[];
  /** 0: a new process group led by the child; a pgid: join it; undefined: stay in ours. */
  pgid?: number;
  /** Make the child's process group the foreground of the terminal on this fd (job control). */
  tty?: number;
}

const POSIX_SPAWN_SETPGROUP = 0x02;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;

/**
 * posix_spawn(3) with a process group and an exact fd table, which Bun.spawn
 * cannot give: job control needs each job in its own group. Signals the
 * caller handles or ignores are reset to their defaults in the child. Returns
 * the pid; throws with errno's text (ENOENT, EACCES...) when the spawn fails.
 */
export function posixSpawn(r: SpawnRequest): number {
  const l = libc();
  const attr = new Uint8Array(512); // posix_spawnattr_t is 336 bytes on glibc x86-64
  const fa = new Uint8Array(256); // posix_spawn_file_actions_t is 80
  l.posix_spawnattr_init(ptr(attr));
  l.posix_spawn_file_actions_init(ptr(fa));
  try {
    const all = new Uint8Array(128).fill(0xff); // sigset_t: every signal to SIG_DFL
    const none = new Uint8Array(128);
    l.posix_spawnattr_setsigdefault(ptr(attr), ptr(all));
    l.posix_spawnattr_setsigmask(ptr(attr), ptr(none));
    l.posix_spawnattr_setflags(ptr(attr), POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (r.pgid !== undefined ? POSIX_SPAWN_SETPGROUP : 0));
    if (r.pgid !== undefined) l.posix_spawnattr_setpgroup(ptr(attr), r.pgid);
    // In the child, before exec and with signals still blocked (so no SIGTTOU): no race
    // between the child reading the terminal and the parent handing it over.
    if (r.tty !== undefined) l.posix_spawn_file_actions_addtcsetpgrp_np(ptr(fa), r.tty);
    // Two steps so that any permutation of fds (2>&1 1>&3 ...) lands right: park each
    // source above every source and target, then move it into place.
    const PARK = Math.max(r.fds.length, ...r.fds.map((f) => f ?? 0)) + 1;
    r.fds.forEach((src, i) => src !== undefined && l.posix_spawn_file_actions_adddup2(ptr(fa), src, PARK + i));
    r.fds.forEach((src, i) => {
      if (src === undefined) l.posix_spawn_file_actions_addclose(ptr(fa), i);
      else {
        l.posix_spawn_file_actions_adddup2(ptr(fa), PARK + i, i);
        l.posix_spawn_file_actions_addclose(ptr(fa), PARK + i);
      }
    });
    const dir = cstr(r.cwd);
    l.posix_spawn_file_actions_addchdir_np(ptr(fa), ptr(dir));
    const path = cstr(r.path);
    const argv = cstrArray(r.argv);
    const envp = cstrArray(Object.entries(r.env).map(([k, v]) => `${k}=${v}`));
    const pid = new Int32Array(1);
    const err = l.posix_spawn(ptr(pid), ptr(path), ptr(fa), ptr(attr), ptr(argv.array), ptr(envp.array));
    if (err !== 0) {
      const e = new Error(`${r.argv[0]}: ${l.strerror(err)}`) as Error & { errno: number };
      e.errno = err;
      throw e;
    }
    return pid[0]!;
  } finally {
    l.posix_spawn_file_actions_destroy(ptr(fa));
    l.posix_spawnattr_destroy(ptr(attr));
  }
}

/** execve(2): replaces this process; returns only by throwing when the exec failed. */
export function execve(path: string, argv: string[], env: Record<string, string>): never {
  const p = cstr(path);
  const a = cstrArray(argv);
  const e = cstrArray(Object.entries(env).map(([k, v]) => `${k}=${v}`));
  libc().execve(ptr(p), ptr(a.array), ptr(e.array));
  throw sysError("exec", path);
}

/** kill(2); a negative pid signals that process group. False when it failed (ESRCH...). */
export function killPid(pid: number, signal: number): boolean {
  return libc().kill(pid, signal) === 0;
}

export function getpgrp(): number {
  return libc().getpgrp();
}

export function setpgid(pid: number, pgid: number): boolean {
  return libc().setpgid(pid, pgid) === 0;
}

/** The terminal's foreground process group, or -1 when fd is not our controlling terminal. */
export function tcgetpgrp(fd: number): number {
  return libc().tcgetpgrp(fd);
}

export function tcsetpgrp(fd: number, pgid: number): boolean {
  return libc().tcsetpgrp(fd, pgid) === 0;
}

/** signal(sig, SIG_IGN): for the few signals a job-control shell must ignore (SIGTTOU). */
export function ignoreSignal(sig: number): void {
  libc().signal(sig, 1n);
}

/** pipe2(O_CLOEXEC): [read end, write end]. */
export function pipe(): [number, number] {
  const fds = new Int32Array(2);
  if (libc().pipe2(ptr(fds), 0o2000000) !== 0) throw sysError("pipe");
  return [fds[0]!, fds[1]!];
}

/** ioctl(fd, request, integer argument). */
export function ioctlInt(fd: number, request: number, arg: number): number {
  return libc().ioctl(fd, BigInt(request), BigInt(arg));
}

/** ioctl(fd, request, pointer to a caller-owned buffer); returns the raw result (-1 on error). */
export function ioctlBuf(fd: number, request: number, buf: ArrayBufferView | null): number {
  return libc().ioctl(fd, BigInt(request), buf ? BigInt(ptr(buf as Uint8Array)) : 0n);
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

/** poll(2) one fd for input: true when readable within timeoutMs (blocks this thread meanwhile). */
export function pollIn(fd: number, timeoutMs: number): boolean {
  return pollFd(fd, POLL.IN, timeoutMs) !== 0;
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

const TIOCGWINSZ = 0x5413;
/** The terminal's size from TIOCGWINSZ (current after a resize), or null when fd is not a terminal. */
export function terminalSize(fd: number): { rows: number; cols: number } | null {
  const ws = new Uint16Array(4);
  if (ioctlBuf(fd, TIOCGWINSZ, ws) !== 0 || ws[1] === 0) return null;
  return { rows: ws[0]!, cols: ws[1]! };
}

export const POLL = { IN: 0x1, OUT: 0x4, ERR: 0x8, HUP: 0x10, NVAL: 0x20 } as const;
/** poll() on one fd without blocking the thread for longer than timeoutMs; returns revents (0: not ready). */
export function pollFd(fd: number, events: number, timeoutMs = 0): number {
  const pfd = new Int32Array([fd, events]); // struct pollfd { int fd; short events; short revents; }
  const n = libc().poll(ptr(pfd), 1n, Math.max(0, Math.floor(timeoutMs)));
  if (n < 0 && errno() !== 4 /* EINTR */) throw sysError("poll");
  return n > 0 ? pfd[1]! >>> 16 : 0;
}

/** dup2(2); throws with errno's text. */
export function dup2(from: number, to: number): void {
  if (libc().dup2(from, to) < 0) throw sysError("dup2", `${from} ${to}`);
}

const F_DUPFD_CLOEXEC = 1030;
const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;

/** A close-on-exec copy of fd numbered at least `min` (fcntl F_DUPFD_CLOEXEC). */
export function dupAbove(fd: number, min: number): number {
  const r = libc().fcntl(fd, F_DUPFD_CLOEXEC, min);
  if (r < 0) throw sysError("fcntl", String(fd));
  return r;
}

/** Sets or clears FD_CLOEXEC; false when fd is not open. */
export function setCloseOnExec(fd: number, on: boolean): boolean {
  const flags = libc().fcntl(fd, F_GETFD, 0);
  if (flags < 0) return false;
  return libc().fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC) === 0;
}

/** Unblocks every signal in the calling thread (a program started by execve inherits the mask). */
export function unblockAllSignals(): void {
  const none = new Uint8Array(128);
  libc().sigprocmask(2 /* SIG_SETMASK */, ptr(none), null);
}

/** signal(sig, SIG_DFL): ignored signals stay ignored across execve unless reset. */
export function defaultSignal(sig: number): void {
  libc().signal(sig, 0n);
}
export function listen(fd: number, backlog: number): void {
  if (libc().listen(fd, backlog) !== 0) throw sysError("listen");
}

/** accept4(fd, SOCK_NONBLOCK | SOCK_CLOEXEC) on a non-blocking listener: the new fd and the peer's sockaddr, or null when none is waiting. */
export function acceptNonBlocking(fd: number): { fd: number; peer: Uint8Array } | null {
  const addr = new Uint8Array(128);
  const alen = new Uint32Array([addr.length]);
  const c = libc().accept4(fd, ptr(addr), ptr(alen), SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (c >= 0) return { fd: c, peer: addr.subarray(0, Math.min(alen[0]!, addr.length)) };
  const e = errno();
  if (e === EAGAIN || e === 103 /* ECONNABORTED: the peer gave up while queued */) return null;
  throw sysError("accept");
}

/** connect(2) (blocking unless the socket is non-blocking); throws with errno's text. */
export function connect(fd: number, addr: Uint8Array): void {
  if (libc().connect(fd, ptr(addr), addr.length) !== 0) throw sysError("connect");
}

export const AF_UNIX = 1;
export const AF_VSOCK = 40;
export const SOCK_STREAM = 1;
/** The vsock CID that means "this machine" over the loopback transport. */
export const VMADDR_CID_LOCAL = 1;
export const VMADDR_CID_ANY = 0xffffffff;

