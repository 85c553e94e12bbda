// The messages between the main thread (device model) and a vCPU Worker, and the
// shared block a vCPU waits on while the main thread answers an I/O or MMIO read.
//
// Why this design: KVM_RUN blocks its thread, so every vCPU runs in its own Worker.
// The device model (UART, virtio, the network and console plumbing) stays on the
// main thread, single-threaded, so no device needs a lock and host events (stdin,
// sockets, timers) reach it on the ordinary event loop. Writes are posted and the
// vCPU continues at once (postMessage keeps their order); reads post the request
// and the vCPU sleeps in Atomics.wait until the main thread stores the answer.
import type { BootRegisters } from "../boot/x86_64/registers.ts";
import type { VcpuExit } from "../backends/hypervisor.ts";

export interface VcpuStart {
  sysFd: number;
  vmFd: number;
  mmapSize: number;
  index: number;
  cpuCount: number;
  /** Only the boot vCPU starts with registers; the others wait for INIT/SIPI in the in-kernel LAPIC. */
  boot?: BootRegisters;
  /** Hide XSAVE in CPUID (this project's emulation-grade KVM cannot emulate XRSTOR). */
  hideXsave: boolean;
  shared: SharedArrayBuffer;
}

export type FromVcpu =
  | { t: "ready"; index: number }
  | { t: "exit"; index: number; exit: VcpuExit & { kind: "io" | "mmio" }; needsReply: boolean }
  | { t: "stop"; index: number; exit: VcpuExit | { kind: "error"; message: string } };

/** The shared block: Int32 state, Int32 reply length, then the reply bytes. */
export const SHARED_BYTES = 16 + 4096;
export const STATE = { IDLE: 0, WAITING: 1, ANSWERED: 2 } as const;
const DATA = 16;

export function sharedBlock(): SharedArrayBuffer {
  return new SharedArrayBuffer(SHARED_BYTES);
}

/** Main thread: hand the answer to a waiting vCPU. */
export function answer(shared: SharedArrayBuffer, data: Uint8Array): void {
  const i32 = new Int32Array(shared, 0, 2);
  const n = Math.min(data.length, SHARED_BYTES - DATA);
  new Uint8Array(shared, DATA, n).set(data.subarray(0, n));
  Atomics.store(i32, 1, n);
  Atomics.store(i32, 0, STATE.ANSWERED);
  Atomics.notify(i32, 0);
}

/** vCPU thread: mark a request outstanding (before posting it). */
export function beginWait(shared: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(shared, 0, 2), 0, STATE.WAITING);
}

/** vCPU thread: sleep until the main thread answered; returns the answer's bytes. */
export function awaitAnswer(shared: SharedArrayBuffer): Uint8Array {
  const i32 = new Int32Array(shared, 0, 2);
  while (Atomics.load(i32, 0) === STATE.WAITING) Atomics.wait(i32, 0, STATE.WAITING);
  const n = Atomics.load(i32, 1);
  Atomics.store(i32, 0, STATE.IDLE);
  return new Uint8Array(shared, DATA, n).slice();
}
