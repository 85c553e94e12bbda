// Integration: tsos init as PID 1 under QEMU (real kernel, real image), driven
// over the host control channel (virtio-serial). One VM serves the whole file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import type { ControlClient } from "../lib/control/client.ts";
import { encodeFrame } from "../lib/control/frame.ts";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";
import { guestExec } from "./lib/guest-exec.ts";

const root = resolve(import.meta.dir, "..");
const image = join(root, "build/image");
const BUN = { BUN_BE_BUN: "1" };
const tsboxJs = (code: string) => ["/bin/tsbox", "-e", code];

let vm: QemuVm;
let ctl: ControlClient;

const exec = (argv: string[], opts: Parameters<typeof guestExec>[2] = {}) => guestExec(ctl, argv, opts);

const ONCE = "const f='/run/once-failed'; const fs=require('fs'); if(!fs.existsSync(f)){fs.writeFileSync(f,''); console.log('failing once'); process.exit(2)} console.log('once is up'); setInterval(()=>{},1e9)";

beforeAll(async () => {
  vm = new QemuVm({
    ...imageGuest(image),
    withControl: true,
    logFile: join(root, "build/logs/init-test.log"),
    config: {
      hostname: "inittest",
      services: [
        { name: "flaky", command: tsboxJs("console.log('flaky run'); process.exit(3)"), env: BUN, restart: "on-failure" },
        { name: "once", command: tsboxJs(ONCE), env: BUN, restart: "on-failure" },
        { name: "echo", command: tsboxJs("require('fs').writeFileSync('/run/echo.ready','v1'); console.log('echo v1'); setInterval(()=>{},1e9)"), env: BUN, ready: { file: "/run/echo.ready" } },
      ],
    },
  });
  await vm.waitFor(/init: boot complete/, 120_000);
  ctl = await vm.control();
}, 150_000);

afterAll(async () => {
  await vm?.dispose();
});

describe("init under QEMU", () => {
  test("hello answers with the protocol version and capabilities", async () => {
    const h = await ctl.call<{ version: number; capabilities: string[] }>("hello");
    expect(h.version).toBe(1);
    expect(h.capabilities).toEqual(expect.arrayContaining(["exec", "service", "shutdown", "quiesce"]));
  });

  test("a failing service is restarted with backoff; a crash loop is marked failed; status shows both", async () => {
    const deadline = Date.now() + 30_000;
    type S = { services: { name: string; state: string; restarts: number; error?: string }[]; hostname: string; uptimeS: number; memory: { totalKiB: number } };
    let st: S;
    for (;;) {
      st = await ctl.call<S>("status");
      if (st.services.find((s) => s.name === "flaky")?.state === "failed" || Date.now() > deadline) break;
      await Bun.sleep(500);
    }
    const by = Object.fromEntries(st.services.map((s) => [s.name, s]));
    expect(by.flaky).toMatchObject({ state: "failed", restarts: 4 });
    expect(by.flaky!.error).toContain("crash loop");
    expect(by.once).toMatchObject({ state: "running", restarts: 1 });
    expect(by.klogd!.state).toBe("running");
    expect(st.hostname).toBe("inittest");
    expect(st.memory.totalKiB).toBeGreaterThan(100_000);
    const logs = await ctl.call<{ entries: { msg: string }[] }>("logs", { service: "flaky" });
    expect(logs.entries.map((e) => e.msg)).toEqual(expect.arrayContaining(["flaky run", expect.stringMatching(/restarting in 500 ms/)]));
  }, 40_000);

  test("exec returns the guest kernel release and exit codes", async () => {
    const r = await exec(tsboxJs("console.log(require('os').release())"), { env: BUN });
    expect(r.stdout.toString().trim()).toMatch(/^6\.1\.\d+$/);
    expect(r.code).toBe(0);
    const bad = await exec(tsboxJs("console.error('nope'); process.exit(7)"), { env: BUN });
    expect(bad.code).toBe(7);
    expect(bad.stderr).toContain("nope");
  }, 30_000);

  test("exec streams stdin: 1 MiB through a guest process comes back with the same SHA-256", async () => {
    const data = new Uint8Array(1 << 20);
    crypto.getRandomValues(data.subarray(0, 65536));
    for (let i = 65536; i < data.length; i++) data[i] = (i * 31) & 0xff;
    const r = await exec(tsboxJs("process.stdin.pipe(process.stdout)"), { env: BUN, stdin: data });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(data.length);
    expect(createHash("sha256").update(r.stdout).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
  }, 60_000);

  test("100 orphaned processes leave no zombie behind", async () => {
    // A parent starts 100 children and exits at once; they are re-parented to PID 1.
    const spawnOrphans = "for (let i=0;i<100;i++) Bun.spawn(['/lib64/ld-linux-x86-64.so.2','--version'],{stdout:'ignore',stderr:'ignore'}); process.exit(0)";
    const r = await exec(tsboxJs(spawnOrphans), { env: BUN });
    expect(r.code).toBe(0);
    await Bun.sleep(3000);
    const countZombies = "const fs=require('fs'); let z=0, n=0; for (const p of fs.readdirSync('/proc')) { if (!/^\\d+$/.test(p)) continue; try { const s=fs.readFileSync('/proc/'+p+'/stat','utf8'); n++; if (s.slice(s.lastIndexOf(')')+2).startsWith('Z')) z++; } catch {} } console.log(JSON.stringify({z,n}))";
    const c = JSON.parse((await exec(tsboxJs(countZombies), { env: BUN })).stdout.toString()) as { z: number; n: number };
    expect(c.n).toBeGreaterThan(3);
    expect(c.z).toBe(0);
  }, 60_000);

  test("1,000 garbage frames are rejected and logged; the agent still answers hello", async () => {
    const raw = (ctl as unknown as { stream: { write(b: Uint8Array): void } }).stream;
    for (let i = 0; i < 1000; i++) {
      const n = 1 + ((i * 7919) % 200);
      const junk = new Uint8Array(n);
      crypto.getRandomValues(junk);
      if (i % 4 === 0) raw.write(junk); // bytes with no frame at all
      else if (i % 4 === 1) raw.write(encodeFrame({ nonsense: i })); // JSON but not a request
      else if (i % 4 === 2) raw.write(encodeFrame({ v: 1, id: 900000 + i, op: "no-such-op" }));
      else {
        const f = encodeFrame("x".repeat(n)); // a frame whose body is then corrupted
        f.set(junk.subarray(0, Math.min(junk.length, f.length - 8)), 8);
        raw.write(f);
      }
    }
    const h = await ctl.call<{ version: number; rejectedFrames: number }>("hello");
    expect(h.version).toBe(1);
    expect(h.rejectedFrames).toBeGreaterThanOrEqual(500);
    const logs = await ctl.call<{ entries: { msg: string }[] }>("logs", { service: "control", limit: 5000 });
    expect(logs.entries.filter((e) => e.msg.includes("rejected frame")).length).toBeGreaterThanOrEqual(500);
    expect(logs.entries.some((e) => e.msg.includes("unknown op 'no-such-op'"))).toBe(true);
  }, 60_000);

  test("every request's trace id appears in the guest log", async () => {
    await exec(tsboxJs("0"), { env: BUN, trace: "trace-abc123" });
    const logs = await ctl.call<{ entries: { msg: string; trace?: string }[] }>("logs", { match: "trace-abc123" });
    expect(logs.entries.length).toBeGreaterThanOrEqual(2);
    expect(logs.entries.every((e) => e.trace === "trace-abc123")).toBe(true);
  }, 30_000);

  test("service replace swaps one service's code, leaves others alone, and rolls back bad code", async () => {
    type S = { services: { name: string; pid: number | null; code: string; state: string }[] };
    const pids = async () => Object.fromEntries((await ctl.call<S>("status")).services.map((s) => [s.name, s]));
    const before = await pids();
    const v2 = "require('fs').writeFileSync('/run/echo.ready','v2'); console.log('echo v2 running'); setInterval(()=>{},1e9)";
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    await expect(ctl.call("service", { action: "replace", name: "echo", bundle: b64(v2), sha256: sha("other") })).rejects.toThrow(/does not match/);
    const r = await ctl.call<{ ready: boolean; rolledBack: boolean; pid: number }>("service", { action: "replace", name: "echo", bundle: b64(v2), sha256: sha(v2) });
    expect(r).toMatchObject({ ready: true, rolledBack: false });
    const after = await pids();
    expect(after.echo!.pid).not.toBe(before.echo!.pid);
    expect(after.echo!.code).toBe(`bundle ${sha(v2).slice(0, 12)}`);
    expect(after.klogd!.pid).toBe(before.klogd!.pid);
    expect(after.once!.pid).toBe(before.once!.pid);
    const logs = await ctl.call<{ entries: { msg: string }[] }>("logs", { service: "echo" });
    expect(logs.entries.map((e) => e.msg)).toContain("echo v2 running");
    const broken = "console.log('broken build'); process.exit(1)";
    const rb = await ctl.call<{ ready: boolean; rolledBack: boolean }>("service", { action: "replace", name: "echo", bundle: b64(broken), sha256: sha(broken) });
    expect(rb).toMatchObject({ ready: true, rolledBack: true });
    expect((await pids()).echo!.code).toBe(`bundle ${sha(v2).slice(0, 12)}`);
  }, 90_000);

  test("guest commands service and logs reach init over its local socket", async () => {
    const svc = await exec(["/sbin/service", "--json"]);
    expect(svc.code).toBe(0);
    const list = JSON.parse(svc.stdout.toString()) as { name: string; state: string }[];
    expect(list.find((s) => s.name === "klogd")?.state).toBe("running");
    const text = await exec(["/sbin/service"]);
    expect(text.stdout.toString()).toMatch(/^NAME\s+STATE\s+PID/);
    const logs = await exec(["/bin/logs", "--service", "klogd", "-n", "500"]);
    expect(logs.code).toBe(0);
    expect(logs.stdout.toString()).toContain("Linux version 6.1");
    const bad = await exec(["/sbin/service", "start", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("no service named 'nope'");
  }, 60_000);

  test("quiesce and resume answer (no writable disk: sync only)", async () => {
    expect(await ctl.call("quiesce")).toMatchObject({ synced: true, frozen: [] });
    expect(await ctl.call("resume")).toMatchObject({ thawed: [] });
  });

  test("shutdown stops services in order, logs its time, and QEMU exits 0", async () => {
    await ctl.call("shutdown");
    expect(await vm.exited).toBe(0);
    expect(vm.lines.some((l) => /poweroff: shutdown took \d+ ms/.test(l))).toBe(true);
    expect(vm.lines.some((l) => /echo: stopped/.test(l))).toBe(true);
    expect(vm.panic).toBeUndefined();
  }, 60_000);
});
