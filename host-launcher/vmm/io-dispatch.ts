// Route a vCPU's port-I/O or MMIO exit to the device buses. Unclaimed reads see
// all-ones and unclaimed writes are dropped, as on a PC with nothing at that address.
// String I/O (REP INS/OUTS) arrives as `count` elements of `size` bytes each.
import type { Bus } from "../devices/bus.ts";
import type { VcpuExit } from "../backends/hypervisor.ts";

export interface Buses {
  pio: Bus;
  mmio: Bus;
}

/** Handle one exit; returns the bytes the guest reads (empty for writes). */
export function dispatchExit(buses: Buses, exit: VcpuExit & { kind: "io" | "mmio" }): Uint8Array {
  if (exit.kind === "mmio") {
    const addr = Number(exit.addr);
    if (exit.write) {
      buses.mmio.write(addr, exit.data);
      return new Uint8Array(0);
    }
    const out = new Uint8Array(exit.size);
    if (!buses.mmio.read(addr, out)) out.fill(0xff);
    return out;
  }
  const data = exit.write ? exit.data : new Uint8Array(exit.size * exit.count);
  for (let i = 0; i < exit.count; i++) {
    const el = data.subarray(i * exit.size, (i + 1) * exit.size);
    if (exit.write) buses.pio.write(exit.port, el);
    else if (!buses.pio.read(exit.port, el)) el.fill(0xff);
  }
  return exit.write ? new Uint8Array(0) : data;
}
