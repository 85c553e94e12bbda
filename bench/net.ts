// make bench-net: kernel start -> first DHCP lease and QEMU start -> SSH banner
// (median of 5 boots), and scp throughput into the guest next to OpenSSH's sshd
// on the host's loopback (when openssh-server is installed) for the same file.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { detectAccel } from "../host-launcher/backends/qemu/accel.ts";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";
import { freeLoopbackPort } from "../host-launcher/vm/ports.ts";

const root = resolve(import.meta.dir, "..");
const image = join(root, "build/image");
const dir = mkdtempSync(join(tmpdir(), "tsos-bench-net-"));
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const { accel, reason } = detectAccel();

function keygen(name: string): string {
  Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(dir, name)]);
  return join(dir, name);
}

/** Poll the forwarded port until the server's identification line arrives. */
async function bannerAfter(port: number, t0: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const got = await new Promise<boolean>((res) => {
      const s = connect({ host: "127.0.0.1", port });
      s.setTimeout(1000, () => (s.destroy(), res(false)));
      s.once("data", (d) => (s.destroy(), res(d.toString().startsWith("SSH-2.0-"))));
      s.once("error", () => res(false));
      s.once("close", () => res(false));
    });
    if (got) return performance.now() - t0;
    await Bun.sleep(50);
  }
  return NaN;
}

function scpSeconds(port: number, key: string, file: string, dest: string, user = "root"): number {
  const t0 = performance.now();
  const r = Bun.spawnSync(["scp", "-q", "-i", key, "-P", String(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", file, `${user}@127.0.0.1:${dest}`]);
  if (r.exitCode !== 0) throw new Error(`scp failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

const user = keygen("user");
const lease: number[] = [];
const banner: number[] = [];
let tsosMBps = NaN;
const payload = join(dir, "payload.bin");
writeFileSync(payload, randomBytes(32 << 20));
for (let i = 0; i < RUNS; i++) {
  const port = await freeLoopbackPort();
  const t0 = performance.now();
  const vm = new QemuVm({ ...imageGuest(image), withControl: true, net: { forwards: [{ host: port, guest: 22 }] }, config: { authorizedKeys: [readFileSync(user + ".pub", "utf8").trim()] }, append: ["tsos.verbose"] });
  try {
    banner.push(await bannerAfter(port, t0, 120_000));
    const bound = await vm.waitFor(/netd: eth0: bound .*\(t=\d+ ms since boot\)/, 60_000);
    lease.push(Number(/t=(\d+) ms since boot/.exec(bound)![1]));
    if (i === 0) tsosMBps = 32 / scpSeconds(port, user, payload, "/tmp/payload.bin");
    const c = await vm.control();
    await c.call("shutdown");
    await vm.exited;
  } finally {
    await vm.dispose();
  }
}

let openssh = "OpenSSH sshd not installed (apt-get install openssh-server): comparison skipped";
if (Bun.which("sshd") || Bun.file("/usr/sbin/sshd").size) {
  const port = await freeLoopbackPort();
  const host = keygen("hostkey");
  writeFileSync(join(dir, "authorized_keys"), readFileSync(user + ".pub"));
  const cfg = join(dir, "sshd_config");
  writeFileSync(cfg, `Port ${port}\nListenAddress 127.0.0.1\nHostKey ${host}\nAuthorizedKeysFile ${join(dir, "authorized_keys")}\nPasswordAuthentication no\nStrictModes no\nPidFile ${join(dir, "sshd.pid")}\nSubsystem sftp internal-sftp\n`);
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 }); // sshd's privilege-separation directory
  const sshd = Bun.spawn(["/usr/sbin/sshd", "-D", "-e", "-f", cfg], { stdout: "ignore", stderr: "ignore" });
  try {
    await bannerAfter(port, performance.now(), 10_000);
    openssh = `OpenSSH sshd on the host's loopback: ${(32 / scpSeconds(port, user, payload, join(dir, "copy.bin"))).toFixed(1)} MB/s`;
  } finally {
    sshd.kill();
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`network and SSH, ${RUNS} boots, QEMU microvm ${accel} (${reason}), user-mode network`);
console.log(`  kernel start -> first DHCP lease (guest clock):   median ${median(lease)} ms`);
console.log(`  QEMU start -> SSH banner on the forwarded port:    median ${median(banner).toFixed(0)} ms`);
console.log(`  scp of 32 MiB into the guest (tsos sshd, ssh2):    ${tsosMBps.toFixed(1)} MB/s`);
console.log(`  ${openssh}`);
console.log("  (the guest runs under TCG here, so its sshd's crypto is emulated; the host sshd is native)");
