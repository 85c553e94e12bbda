// The speed probe: run a register-only guest loop and a port-I/O loop on the
// hypervisor and classify it. Hardware virtualization runs guest instructions at
// host speed (~1 ns); an emulating hypervisor (as on nested hosts without VT-x/AMD-V)
// takes hundreds of ns each, too slow to boot Linux in reasonable time.
import type { Hypervisor } from "../backends/hypervisor.ts";
import { exitsPayload, loopPayload } from "../spike/payload.ts";
import { runPayload } from "../spike/run-payload.ts";

export type SpeedClass = "hardware-accelerated" | "emulation-grade";

export interface SpeedReport {
  class: SpeedClass;
  nsPerInstruction: number;
  usPerExit: number;
  instructions: number;
}

/** Above this many ns per simple instruction the hypervisor is emulating, not executing. */
export const HARDWARE_NS_PER_INSTRUCTION = 50;
const MIN_SAMPLE_NS = 20e6;
const EXIT_SAMPLES = 1000;

export function speedProbe(hv: Hypervisor): SpeedReport {
  let iterations = 4096;
  let runNs = 0;
  for (;;) {
    const r = runPayload(hv, loopPayload(iterations));
    if (r.last.kind !== "halt") throw new Error(`speed probe: the loop payload stopped with ${r.last.kind}, not HLT`);
    runNs = r.runNs;
    if (runNs >= MIN_SAMPLE_NS || iterations >= 2 ** 30) break;
    iterations *= 8;
  }
  const instructions = 2 * iterations;
  const nsPerInstruction = runNs / instructions;
  const e = runPayload(hv, exitsPayload(EXIT_SAMPLES));
  if (e.last.kind !== "halt" || e.exits !== EXIT_SAMPLES + 1) throw new Error(`speed probe: the exit payload stopped with ${e.last.kind} after ${e.exits} exits`);
  return { class: nsPerInstruction < HARDWARE_NS_PER_INSTRUCTION ? "hardware-accelerated" : "emulation-grade", nsPerInstruction, usPerExit: e.runNs / e.exits / 1000, instructions };
}
