// Boot-structure errors are values with a code and a one-line message: the CLI prints the message
// and maps the code to an exit status; no stack traces for a bad kernel file or a too-long command line.

export type BootErrorCode =
  | "kernel-format" // not a bzImage/ELF we can boot, or a header field out of range
  | "kernel-truncated" // the file ends before a header or segment it declares
  | "kernel-unsupported" // a valid kernel this loader cannot start (too old, 32-bit only)
  | "memory-layout" // a structure does not fit the guest's memory or overlaps another
  | "cmdline" // command line too long or containing forbidden bytes
  | "cpus" // a vCPU count the tables cannot describe
  | "initrd"; // the initrd does not fit where the kernel can read it

export class BootError extends Error {
  constructor(readonly code: BootErrorCode, message: string) {
    super(message);
    this.name = "BootError";
  }
}

export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}
