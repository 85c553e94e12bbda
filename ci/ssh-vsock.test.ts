// Integration: sshd's vsock listener in the real guest under QEMU. This host
// has no /dev/vhost-vsock, so QEMU cannot give the guest a vsock device; the
// guest kernel's loopback transport (CONFIG_VSOCKETS_LOOPBACK) lets a program
// inside the guest connect to CID 1 port 22 instead — the same listener a host
// reaches through a virtio-vsock device. The client (ci/guest/) is bundled
// here and run in the guest through the control channel. Boot ~30-60 s.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ControlClient } from "../lib/control/client.ts";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";
import { guestExec } from "./lib/guest-exec.ts";

const root = resolve(import.meta.dir, "..");
const image = join(root, "build/image");
const dir = mkdtempSync(join(tmpdir(), "tsos-vsock-"));
const BUN = { BUN_BE_BUN: "1" };
let vm: QemuVm;
let ctl: ControlClient;

function keygen(name: string): string {
  const p = join(dir, name);
  const r = Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", p]);
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  return p;
}

const client = (args: string[], key = "") => guestExec(ctl, ["/bin/tsbox", "/tmp/vsock-client.js", ...args], { env: { ...BUN, KEY: key } });

beforeAll(async () => {
  keygen("user");
  keygen("stranger");
  vm = new QemuVm({ ...imageGuest(image), withControl: true, config: { authorizedKeys: [readFileSync(join(dir, "user.pub"), "utf8").trim()] } });
  const built = await Bun.build({ entrypoints: [join(import.meta.dir, "guest/vsock-ssh-client.ts")], target: "bun", format: "esm" });
  if (!built.success) throw new Error(built.logs.map(String).join("\n"));
  const code = new Uint8Array(await built.outputs[0]!.arrayBuffer());
  await vm.waitFor(/init: boot complete/, 120_000);
  ctl = await vm.control();
  const put = await guestExec(ctl, ["/bin/tsbox", "-e", "require('fs').writeFileSync('/tmp/vsock-client.js', require('fs').readFileSync(0))"], { env: BUN, stdin: code });
  if (put.code !== 0) throw new Error(`copying the client into the guest failed: ${put.stderr}`);
}, 180_000);

afterAll(async () => {
  await vm?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const sshdLog = async () => (await guestExec(ctl, ["/bin/logs", "--service", "sshd", "-n", "200"])).stdout.toString();

test("sshd says it listens on vsock port 22; a guest program gets its SSH banner over vsock CID 1", async () => {
  expect(await sshdLog()).toContain("sshd: listening on vsock port 22");
  const r = await client(["banner"]);
  expect(r.stderr).toBe("");
  expect(r.stdout.toString()).toMatch(/^SSH-2\.0-tsos_sshd/);
}, 60_000);

test("ssh2 client over vsock: public-key login runs uname -r", async () => {
  const r = await client(["exec", "uname -r"], readFileSync(join(dir, "user"), "utf8"));
  expect(r.stdout.toString()).toMatch(/^6\.1\.\d+\S*\nexit=0\n$/);
  expect(await sshdLog()).toMatch(/auth publickey for root from vsock:1: accepted ssh-ed25519 SHA256:\S+ user/);
}, 90_000);

test("a wrong key over vsock is refused and logged like TCP", async () => {
  const r = await client(["exec", "true"], readFileSync(join(dir, "stranger"), "utf8"));
  expect(r.stdout.toString()).toContain("error: All configured authentication methods failed");
  expect(await sshdLog()).toMatch(/auth publickey for root from vsock:1: refused \(key not authorized\)/);
}, 90_000);
