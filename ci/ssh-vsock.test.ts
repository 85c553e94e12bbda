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

/** The guest-side client, bundled with ssh2 for the guest's Bun. */
async function clientCode(): Promise<Uint8Array> {
  const built = await Bun.build({ entrypoints: [join(import.meta.dir, "guest/vsock-ssh-client.ts")], target: "bun", format: "esm" });
  if (!built.success) throw new Error(built.logs.map(String).join("\n"));
  return new Uint8Array(await built.outputs[0]!.arrayBuffer());
}

beforeAll(async () => {
  keygen("user");
  keygen("stranger");
  vm = new QemuVm({ ...imageGuest(image), withControl: true, config: { authorizedKeys: [readFileSync(join(dir, "user.pub"), "utf8").trim()] } });
  const code = await clientCode();
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

test('vm.json "ssh": {"vsock": false} keeps sshd off vsock and says so; TCP sshd still runs', async () => {
  const off = new QemuVm({ ...imageGuest(image), withControl: true, config: { ssh: { vsock: false } } });
  try {
    await off.waitFor(/init: boot complete/, 120_000);
    const c = await off.control();
    const put = await guestExec(c, ["/bin/tsbox", "-e", "require('fs').writeFileSync('/tmp/vsock-client.js', require('fs').readFileSync(0))"], { env: BUN, stdin: await clientCode() });
    expect(put.code).toBe(0);
    const log = (await guestExec(c, ["/bin/logs", "--service", "sshd", "-n", "50"])).stdout.toString();
    expect(log).toContain("sshd: vsock listener off (vm.json ssh.vsock is false)");
    expect(log).toContain("listening on port 22");
    const r = await guestExec(c, ["/bin/tsbox", "/tmp/vsock-client.js", "banner"], { env: BUN });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("connect: Connection reset by peer");
  } finally {
    await off.dispose();
  }
}, 180_000);
