// The one FFI binding to the C library, shared by guest programs and the host launcher.
// Symbols are bound lazily: a program pays only for the libc calls it makes.
import { dlopen, FFIType, ptr } from "bun:ffi";

const LIBC = process.platform === "darwin" ? "libSystem.B.dylib" : "libc.so.6";

const symbols = {
  reboot: { args: [FFIType.i32], returns: FFIType.i32 },
  sync: { args: [], returns: FFIType.void },
  clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  __errno_location: { args: [], returns: FFIType.ptr },
  getpid: { args: [], returns: FFIType.i32 },
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
