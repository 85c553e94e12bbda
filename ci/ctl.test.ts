// Integration: `tsos run --headless` boots the image under QEMU and registers it;
// the real `tsos ctl` CLI then drives it as a user would.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

const root = resolve(import.meta.dir, "..");
const tsos = join(root, "host-launcher/bin/tsos");
const state = mkdtempSync(join(tmpdir(), "tsos-state-"));
const env = { ...process.env, XDG_STATE_HOME: state };
let run: Subprocess;

function ctl(args: string[], stdin?: Uint8Array) {
  const p = Bun.spawnSync([tsos, "ctl", "--vm", "citest", ...args], { env, stdin: stdin ?? "ignore" });
  return { code: p.exitCode, out: p.stdout, err: p.stderr.toString() };
}

beforeAll(async () => {
  run = Bun.spawn([tsos, "run", "--headless", "--name", "citest"], { env, stdout: "pipe", stderr: "pipe" });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (ctl(["--timeout", "2", "hello"]).code === 0) return;
    await Bun.sleep(500);
  }
  throw new Error("the VM never answered hello");
}, 150_000);

afterAll(async () => {
  run?.kill();
  rmSync(state, { recursive: true, force: true });
});

test("tsos list shows the VM; ctl status reports its services", () => {
  const list = Bun.spawnSync([tsos, "list", "--json"], { env });
  expect(JSON.parse(list.stdout.toString()).map((v: { name: string }) => v.name)).toEqual(["citest"]);
  const st = JSON.parse(ctl(["--json", "status"]).out.toString());
  expect(st.kernel).toMatch(/^6\.1\./);
  expect(st.services.map((s: { name: string }) => s.name)).toContain("klogd");
});

test("ctl exec returns the guest kernel release and passes the exit code through", () => {
  const r = ctl(["exec", "-e", "BUN_BE_BUN=1", "--", "/bin/tsbox", "-e", "console.log(require('os').release()); process.exit(5)"]);
  expect(r.out.toString().trim()).toMatch(/^6\.1\.\d+$/);
  expect(r.code).toBe(5);
});

test("ctl exec streams stdin: 1 MiB through `cat` in the guest comes back identical", () => {
  const data = new Uint8Array(1 << 20).map((_, i) => (i * 7 + (i >> 11)) & 0xff);
  const r = ctl(["exec", "-e", "BUN_BE_BUN=1", "--", "/bin/tsbox", "-e", "process.stdin.pipe(process.stdout)"], data);
  expect(r.code).toBe(0);
  expect(createHash("sha256").update(r.out).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
}, 60_000);

test("ctl exec -- uname -r returns the guest kernel release (tsh's uname)", () => {
  const r = ctl(["exec", "--", "/bin/tsh", "-c", "uname -r"]);
  expect(r.code).toBe(0);
  expect(r.out.toString().trim()).toMatch(/^6\.1\.\d+$/);
});

test("a missing program is a clear error, not a hang", () => {
  const r = ctl(["exec", "--", "/bin/does-not-exist"]);
  expect(r.code).toBe(1);
  expect(r.err).toContain("does-not-exist");
});

test("tsos ssh logs in with the VM's own key and pinned host key; its secrets are 0600", () => {
  const r = Bun.spawnSync([tsos, "ssh", "--vm", "citest", "--", "-o", "BatchMode=yes", "/sbin/service", "--json"], { env });
  expect(r.stderr.toString()).not.toMatch(/authenticity|Permanently added|WARNING/);
  expect(r.exitCode).toBe(0);
  const services = JSON.parse(r.stdout.toString()) as { name: string; state: string }[];
  expect(services.map((s) => s.name)).toEqual(["console", "klogd", "netd", "sshd", "wm"]);
  // No display on this VM: the desktop's condition (/dev/fb0) keeps it from starting.
  expect(services.find((s) => s.name === "wm")!.state).toBe("stopped");
  const dir = join(state, "tsos/vms/citest");
  for (const f of ["id_ed25519", "ssh_host_ed25519_key", "config.img", "info.json", "known_hosts"]) expect((statSync(join(dir, f)).mode & 0o777).toString(8)).toBe("600");
  expect((statSync(dir).mode & 0o777).toString(8)).toBe("700");
}, 60_000);

test("ctl shutdown powers the guest off cleanly and `tsos run` exits 0", async () => {
  expect(ctl(["shutdown"]).code).toBe(0);
  expect(await run.exited).toBe(0);
  expect(Bun.spawnSync([tsos, "list"], { env }).stdout.toString()).toContain("no VMs running");
}, 60_000);
