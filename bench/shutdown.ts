// make bench-shutdown: `tsos ctl shutdown` -> QEMU exit, median of 5, next to
// the time init itself logs for stopping services, syncing and unmounting.
import { join, resolve } from "node:path";
import { detectAccel } from "../host-launcher/backends/qemu/accel.ts";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";

const root = resolve(import.meta.dir, "..");
const image = join(root, "build/image");
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const { accel, reason } = detectAccel();

const host: number[] = [];
const guest: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const vm = new QemuVm({ ...imageGuest(image), withControl: true, config: {} });
  try {
    await vm.waitFor(/init: boot complete/, 120_000);
    const c = await vm.control();
    const t0 = performance.now();
    await c.call("shutdown");
    const code = await vm.exited;
    host.push(performance.now() - t0);
    if (code !== 0) throw new Error(`QEMU exited ${code}`);
    guest.push(Number(/shutdown took (\d+) ms/.exec(vm.lines.find((l) => /shutdown took/.test(l)) ?? "")?.[1]));
  } finally {
    await vm.dispose();
  }
}
console.log(`shutdown, ${RUNS} runs, QEMU microvm ${accel} (${reason}), services: klogd`);
console.log(`  ctl shutdown -> QEMU exited (host clock): median ${median(host).toFixed(0)} ms`);
console.log(`  init's own stop services + kill + sync + unmount:  median ${median(guest)} ms`);
