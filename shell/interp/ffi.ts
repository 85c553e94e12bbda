// The few libc calls the interactive shell needs and Bun lacks: poll(2) on the
// terminal (so waiting for a key never blocks the event loop, and nothing reads
// ahead of a child process), and termios raw mode. lib/ffi/libc.ts is shared and
// not ours to change, so these bindings live here.
import { dlopen, FFIType, ptr } from "bun:ffi";

const symbols = {
  poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
  tcgetattr: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  tcsetattr: { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  setsid: { args: [], returns: FFIType.i32 },
  getpgrp: { args: [], returns: FFIType.i32 },
  tcgetpgrp: { args: [FFIType.i32], returns: FFIType.i32 },
  ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.u64], returns: FFIType.i32 },
} as const;

type Lib = ReturnType<typeof dlopen<typeof symbols>>["symbols"];
let lib: Lib | null | undefined;
function libc(): Lib | null {
  if (lib === undefined) {
    try {
      lib = dlopen(process.platform === "darwin" ? "libSystem.B.dylib" : "libc.so.6", symbols).symbols;
    } catch {
      lib = null;
    }
  }
  return lib;
}

const POLLIN = 1;

/** Whether fd has input within `timeoutMs`. Without libc, claims yes (the read then blocks). */
export function readable(fd: number, timeoutMs: number): boolean {
  const l = libc();
  if (!l) return true;
  const pfd = new Int32Array(2);
  pfd[0] = fd;
  pfd[1] = POLLIN; // events (low 16 bits); revents in the high half
  return l.poll(ptr(pfd), 1n, timeoutMs) > 0;
}

// struct termios on Linux: 4 u32 flags, c_line, c_cc[32], speeds: 60 bytes; 64 is safe.
const TERMIOS_SIZE = 64;
const ICRNL = 0o400;
const IXON = 0o2000;
const ISIG = 0o1;
const ICANON = 0o2;
const ECHO = 0o10;
const IEXTEN = 0o100000;
const VTIME = 5;
const VMIN = 6;
const CC_OFFSET = 17;

/** Saved terminal settings, restored by `restore`. */
export class RawMode {
  private saved: Uint8Array | null = null;
  constructor(private readonly fd: number) {}

  enter(): boolean {
    const l = libc();
    if (!l) return false;
    const t = new Uint8Array(TERMIOS_SIZE);
    if (l.tcgetattr(this.fd, ptr(t)) !== 0) return false;
    this.saved ??= t.slice();
    const v = new DataView(t.buffer);
    v.setUint32(0, v.getUint32(0, true) & ~(ICRNL | IXON), true);
    v.setUint32(12, v.getUint32(12, true) & ~(ISIG | ICANON | ECHO | IEXTEN), true);
    t[CC_OFFSET + VMIN] = 1;
    t[CC_OFFSET + VTIME] = 0;
    return l.tcsetattr(this.fd, 0, ptr(t)) === 0;
  }

  /** Back to the settings found before the first `enter` (cooked mode for commands). */
  restore(): void {
    const l = libc();
    if (l && this.saved) l.tcsetattr(this.fd, 0, ptr(this.saved));
  }
}

const TIOCSCTTY = 0x540e;

/**
 * Makes the terminal on `fd` our controlling terminal when it is not, so Ctrl-C and
 * Ctrl-Z produce signals. A PTY from Bun.Terminal (sshd, tests) is handed over without
 * setsid()/TIOCSCTTY, which leaves the line discipline with nobody to signal.
 */
export function acquireTerminal(fd: number): boolean {
  const l = libc();
  if (!l) return false;
  if (l.tcgetpgrp(fd) === l.getpgrp()) return true;
  l.setsid(); // fails harmlessly when we already lead a process group
  return l.ioctl(fd, BigInt(TIOCSCTTY), 0n) === 0 && l.tcgetpgrp(fd) === l.getpgrp();
}
