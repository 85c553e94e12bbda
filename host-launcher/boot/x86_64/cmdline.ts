// Build the kernel command line. The kernel copies at most cmdline_size bytes (from the setup header)
// and stops at NUL; a newline would end a parameter in surprising ways. We reject both instead of
// letting the guest see a silently truncated line.
import { BootError } from "./errors.ts";
import { COM1_PORT } from "./layout.ts";

export class Cmdline {
  private readonly parts: string[] = [];

  constructor(private readonly capacity: number) {}

  /** Append one parameter (or several separated by spaces). */
  add(param: string): this {
    if (param.length === 0) return this;
    for (let i = 0; i < param.length; i++) {
      const c = param.charCodeAt(i);
      if (c === 0 || c === 0x0a || c === 0x0d) throw new BootError("cmdline", `kernel parameter ${JSON.stringify(param)} contains a NUL or newline`);
      if (c > 0x7e) throw new BootError("cmdline", `kernel parameter ${JSON.stringify(param)} contains a non-ASCII character`);
    }
    const next = [...this.parts, param].join(" ");
    // +1: the terminating NUL must fit too.
    if (next.length + 1 > this.capacity) {
      throw new BootError("cmdline", `kernel command line would be ${next.length + 1} bytes; this kernel accepts ${this.capacity}`);
    }
    this.parts.push(param);
    return this;
  }

  /** `virtio_mmio.device=<size>@<base>:<irq>` for one device window (VIRTIO_MMIO_CMDLINE_DEVICES). */
  virtioMmio(dev: { base: number; size: number; irq: number }): this {
    return this.add(`virtio_mmio.device=${dev.size / 1024}K@0x${dev.base.toString(16)}:${dev.irq}`);
  }

  toString(): string {
    return this.parts.join(" ");
  }

  /** The NUL-terminated bytes to place at CMDLINE_ADDR. */
  bytes(): Uint8Array {
    const s = this.toString();
    const b = new Uint8Array(s.length + 1);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  }
}

/** The parameters every tsos guest gets: serial console on our 8250, read-only erofs root on vda. */
export function defaultCmdline(capacity: number, devices: readonly { base: number; size: number; irq: number }[] = []): Cmdline {
  const c = new Cmdline(capacity);
  c.add(`console=ttyS0 earlycon=uart8250,io,0x${COM1_PORT.toString(16)}`);
  for (const d of devices) c.virtioMmio(d);
  return c.add("root=/dev/vda ro rootfstype=erofs init=/init");
}
