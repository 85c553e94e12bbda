// make bench-dev: edit -> running latency of the hot-reload loop, median of 10.
// Host ms from the file write to `tsos dev` reporting the replaced service
// ready in the guest, under whatever accelerator QEMU gets here.
import { detectAccel } from "../host-launcher/backends/qemu/accel.ts";
import { DEV_CONFIG, DevSession, markKlogd } from "../ci/lib/dev-session.ts";

const N = 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dev = new DevSession("benchdev", DEV_CONFIG);
try {
  await dev.start();
  const host: number[] = [];
  const guest: number[] = [];
  for (let i = 0; i < N; i++) {
    const r = await dev.edit("services/klogd/main.ts", markKlogd(`bench edit ${i}`));
    host.push(r.ms);
    guest.push(Number(/ready in (\d+) ms in the guest/.exec(r.line)?.[1] ?? NaN));
    await Bun.sleep(300); // let the printed log lines pass
  }
  const { accel, reason } = detectAccel();
  console.log(`dev loop, ${N} edits of services/klogd/main.ts, QEMU ${accel} (${reason})`);
  console.log(`  edit -> new code ready in guest (host clock): median ${median(host).toFixed(0)} ms, min ${Math.min(...host).toFixed(0)}, max ${Math.max(...host).toFixed(0)}`);
  console.log(`  of which restart -> ready inside the guest:  median ${median(guest)} ms`);
  console.log("  hardware-accelerated KVM: not measured here (/dev/kvm on this host is not hardware-backed)".replace(/^.*$/, (l) => (accel === "kvm" ? "  (this run used hardware KVM)" : l)));
} finally {
  await dev.stop();
}
