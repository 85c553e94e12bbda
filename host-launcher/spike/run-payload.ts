// Run a micro payload on any Hypervisor: one partition, one memory slot, one
// vCPU in real mode, no interrupt controller (so HLT comes back to us), torn down after.
import type { Hypervisor, Segment, VcpuExit } from "../backends/hypervisor.ts";
import { MAP, mmap, munmap, PROT } from "../../lib/ffi/libc.ts";
import type { Payload } from "./payload.ts";

export const PAYLOAD_MEMORY = 0x10000; // 64 KiB of guest RAM at guest address 0

export interface PayloadResult {
  /** Bytes written to each port, in order. */
  out: Map<number, number[]>;
  exits: number;
  last: VcpuExit;
  /** Nanoseconds spent inside run() calls. */
  runNs: number;
}

function realModeSegment(s: Segment): Segment {
  return { ...s, base: 0n, selector: 0, limit: 0xffff, present: true, unusable: false };
}

/** Runs until HLT or any exit other than port I/O; at most maxExits exits. */
export function runPayload(hv: Hypervisor, payload: Payload, maxExits = 1_000_000): PayloadResult {
  const mem = mmap(PAYLOAD_MEMORY, PROT.READ | PROT.WRITE, MAP.PRIVATE | MAP.ANONYMOUS | MAP.NORESERVE);
  const part = (() => {
    try {
      return hv.createPartition({ irqchip: false });
    } catch (e) {
      munmap(mem);
      throw e;
    }
  })();
  try {
    mem.bytes.set(payload.code, payload.entry);
    part.mapMemory({ slot: 0, guestAddr: 0n, host: mem });
    const vcpu = part.createVcpu(0);
    const s = vcpu.getSpecialRegs();
    for (const k of ["cs", "ds", "es", "fs", "gs", "ss"] as const) s[k] = realModeSegment(s[k]);
    vcpu.setSpecialRegs(s);
    const r = vcpu.getRegs();
    vcpu.setRegs({ ...r, rip: BigInt(payload.entry), rflags: 2n, rsp: BigInt(PAYLOAD_MEMORY - 16) });
    const out = new Map<number, number[]>();
    let runNs = 0;
    for (let exits = 1; ; exits++) {
      const t0 = Bun.nanoseconds();
      const exit = vcpu.run();
      runNs += Bun.nanoseconds() - t0;
      if (exit.kind === "io" && exits < maxExits) {
        if (exit.write) {
          const list = out.get(exit.port) ?? [];
          list.push(...exit.data);
          out.set(exit.port, list);
        } else vcpu.complete(new Uint8Array(exit.data.length).fill(0xff));
        continue;
      }
      return { out, exits, last: exit, runNs };
    }
  } finally {
    part.destroy();
    munmap(mem);
  }
}
