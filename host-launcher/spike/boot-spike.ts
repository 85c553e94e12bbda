// The boot spike: the smallest end-to-end use of a hypervisor backend (VM, memory,
// one vCPU, a payload that says hello on COM1), repeated to prove teardown leaks
// neither file descriptors nor memory.
import { readdirSync, readFileSync } from "node:fs";
import type { Hypervisor } from "../backends/hypervisor.ts";
import { COM1, helloPayload } from "./payload.ts";
import { PAYLOAD_MEMORY, runPayload } from "./run-payload.ts";

export interface ProcessUsage {
  fds: number;
  rssKiB: number;
}

export interface SpikeReport {
  rounds: number;
  serial: string;
  lastExit: string;
  before: ProcessUsage;
  after: ProcessUsage;
  msPerRound: number;
}

/** Open fds (from /proc/self/fd) and resident memory (from /proc/self/statm) of this process. */
export function processUsage(): ProcessUsage {
  const statm = readFileSync("/proc/self/statm", "utf8").split(" ");
  return { fds: readdirSync("/proc/self/fd").length, rssKiB: Number(statm[1]) * 4 };
}

export function spikePlan(backend: string): string[] {
  const p = helloPayload();
  return [
    `open the ${backend} hypervisor and check its API version`,
    "create a partition (VM) without an interrupt controller, so HLT returns to the launcher",
    `map ${PAYLOAD_MEMORY / 1024} KiB of anonymous host memory at guest address 0; copy the ${p.code.length}-byte payload to 0x${p.entry.toString(16)}`,
    `create vCPU 0 in real mode with CS:IP = 0000:${p.entry.toString(16).padStart(4, "0")}`,
    `run: the payload writes "hello\\n" to COM1 (port 0x${COM1.toString(16)}) byte by byte, then executes HLT`,
    "tear down: vCPU (and its shared run page), partition, guest memory",
  ];
}

/** Rounds run before the baseline is taken, so JIT and allocator warm-up is not counted as a leak. */
const WARM_UP_ROUNDS = 20;

/** Warm-up rounds, then `rounds` measured rounds; usage is sampled after a full GC on both sides. */
export function bootSpike(hv: Hypervisor, rounds: number): SpikeReport {
  const once = () => runPayload(hv, helloPayload());
  for (let i = 0; i < (rounds > 1 ? WARM_UP_ROUNDS : 0); i++) once();
  Bun.gc(true);
  const before = processUsage();
  let last = once();
  const t0 = performance.now();
  for (let i = 1; i < rounds; i++) last = once();
  const msPerRound = (performance.now() - t0) / Math.max(1, rounds - 1);
  Bun.gc(true);
  const after = processUsage();
  const serial = new TextDecoder().decode(new Uint8Array(last.out.get(COM1) ?? []));
  return { rounds, serial, lastExit: last.last.kind, before, after, msPerRound };
}

/** RSS may grow a little from JIT and allocator caches; more than this over 200 rounds is a leak. */
export const RSS_LEAK_LIMIT_KIB = 8 * 1024;

export function leakProblems(r: SpikeReport): string[] {
  const p: string[] = [];
  if (r.after.fds !== r.before.fds) p.push(`file descriptors ${r.before.fds} -> ${r.after.fds}`);
  if (r.after.rssKiB - r.before.rssKiB > RSS_LEAK_LIMIT_KIB) p.push(`RSS grew ${r.after.rssKiB - r.before.rssKiB} KiB`);
  return p;
}
