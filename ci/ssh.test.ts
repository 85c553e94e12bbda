// Integration: sshd in the real guest under QEMU, reached through a loopback
// port forward with the real OpenSSH client (ssh, scp, sftp).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "ssh2";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";

const image = join(resolve(import.meta.dir, ".."), "build/image");
const dir = mkdtempSync(join(tmpdir(), "tsos-ssh-"));
let vm: QemuVm;
let port = 0;

function keygen(name: string): string {
  const p = join(dir, name);
  const r = Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", p]);
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  return p;
}

function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => r(p));
    });
  });
}

const common = () => ["-p", String(port), "-o", `UserKnownHostsFile=${join(dir, "known_hosts")}`, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20"];
function ssh(key: string, args: string[], user = "root") {
  const r = Bun.spawnSync(["ssh", "-i", join(dir, key), ...common(), `${user}@127.0.0.1`, ...args]);
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}
async function sshAsync(args: string[]) {
  const p = Bun.spawn(["ssh", "-i", join(dir, "user"), ...common(), "root@127.0.0.1", ...args], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(p.stdout).text();
  return { code: await p.exited, out };
}
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  keygen("user");
  keygen("stranger");
  const host = keygen("host");
  port = await freePort();
  writeFileSync(join(dir, "known_hosts"), `[127.0.0.1]:${port} ${readFileSync(host + ".pub", "utf8")}`);
  vm = new QemuVm({
    ...imageGuest(image),
    withControl: true,
    net: { forwards: [{ host: port, guest: 22 }] },
    config: { authorizedKeys: [readFileSync(join(dir, "user.pub"), "utf8").trim()], hostKeys: { ed25519: readFileSync(host, "utf8") } },
  });
  await vm.waitFor(/init: boot complete/, 120_000);
}, 150_000);

afterAll(async () => {
  await vm?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test("the authorized key logs in with strict host-key checking and runs a command", () => {
  const r = ssh("user", ["/bin/logs", "--service", "klogd", "-n", "1000"]);
  expect(r.err).not.toContain("Permanently added"); // the pinned host key matched
  expect(r.code).toBe(0);
  expect(r.out).toContain("Linux version 6.1.");
  const exit = ssh("user", ["/sbin/service", "start", "no-such-service"]);
  expect(exit.code).toBe(1); // the remote exit status comes back
});

test("ssh runs commands through tsh: uname -a prints the guest kernel; pipelines work", () => {
  const r = ssh("user", ["uname", "-a"]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^Linux \S+ 6\.1\.\d+ /);
  const p = ssh("user", ["echo hello | tr a-z A-Z; exit 4"]);
  expect(p.out.trim()).toBe("HELLO");
  expect(p.code).toBe(4);
});

test("a wrong key, an unknown user and password attempts are refused and logged", async () => {
  expect(ssh("stranger", ["true"]).err).toContain("Permission denied (publickey)");
  expect(ssh("user", ["true"], "nobody-here").err).toContain("Permission denied (publickey)");
  const pw = Bun.spawnSync(["ssh", ...common(), "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no", "root@127.0.0.1", "true"]);
  expect(pw.exitCode).toBe(255);
  expect(pw.stderr.toString()).toContain("Permission denied (publickey)");
  // A client that sends a password anyway (OpenSSH will not: the server does not offer it).
  const refused = await new Promise<string>((res) => {
    const c = new Client();
    c.on("ready", () => res("accepted?!")).on("error", (e) => res(e.message));
    c.connect({ host: "127.0.0.1", port, username: "root", password: "hunter2", hostVerifier: () => true, tryKeyboard: true });
  });
  expect(refused).toContain("authentication methods failed");
  const logs = ssh("user", ["/bin/logs", "--service", "sshd", "-n", "200"]).out;
  expect(logs).toMatch(/auth publickey for root from \S+: refused \(key not authorized\)/);
  expect(logs).toMatch(/for nobody-here from \S+: refused \(unknown user\)/);
  expect(logs).toMatch(/auth password for root from \S+: refused \(password authentication is disabled\)/);
  expect(logs).toMatch(/accepted ssh-ed25519 SHA256:\S+ user/);
}, 60_000);

test("scp copies 10 MiB both ways with equal SHA-256", () => {
  const data = randomBytes(10 << 20);
  writeFileSync(join(dir, "big.bin"), data);
  const scp = (from: string, to: string) => Bun.spawnSync(["scp", "-i", join(dir, "user"), "-P", String(port), "-o", `UserKnownHostsFile=${join(dir, "known_hosts")}`, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", from, to]);
  const up = scp(join(dir, "big.bin"), "root@127.0.0.1:/tmp/big.bin");
  if (up.exitCode !== 0) console.error(up.stderr.toString());
  expect(up.exitCode).toBe(0);
  const down = scp("root@127.0.0.1:/tmp/big.bin", join(dir, "back.bin"));
  if (down.exitCode !== 0) console.error(down.stderr.toString());
  expect(down.exitCode).toBe(0);
  expect(sha(readFileSync(join(dir, "back.bin")))).toBe(sha(data));
}, 120_000);

test("sftp ls, put, get and rm", () => {
  writeFileSync(join(dir, "note.txt"), "hello from the host\n");
  const batch = `cd /tmp\nput ${join(dir, "note.txt")} note.txt\nls -l note.txt\nget note.txt ${join(dir, "note.back")}\nrm note.txt\nls\n`;
  const r = Bun.spawnSync(["sftp", "-i", join(dir, "user"), "-P", String(port), "-o", `UserKnownHostsFile=${join(dir, "known_hosts")}`, "-o", "BatchMode=yes", "-b", "-", "root@127.0.0.1"], { stdin: Buffer.from(batch) });
  expect(r.exitCode).toBe(0);
  expect(r.stdout.toString()).toMatch(/-rw-r--r-- .* 20 .* note\.txt/);
  expect(readFileSync(join(dir, "note.back"), "utf8")).toBe("hello from the host\n");
  expect(ssh("user", ["/bin/tsbox", "logs", "-n", "1"]).code).toBe(0);
}, 60_000);

test("20 concurrent sessions each run a command and all succeed", async () => {
  const rs = await Promise.all(Array.from({ length: 20 }, () => sshAsync(["/sbin/service", "--json"])));
  expect(rs.map((r) => r.code)).toEqual(Array(20).fill(0));
  for (const r of rs) expect(JSON.parse(r.out).map((s: { name: string }) => s.name)).toContain("sshd");
}, 120_000);

test("ssh -tt gives an interactive tsh: prompt, TERM, window size and its changes, Ctrl-C, exit status", async () => {
  let screen = "";
  const term = new Bun.Terminal({ cols: 100, rows: 30, data: (_t, d) => (screen += Buffer.from(d).toString("utf8")) });
  const p = Bun.spawn(["ssh", "-tt", "-i", join(dir, "user"), ...common(), "root@127.0.0.1"], { terminal: term, env: { ...process.env, TERM: "xterm-256color" } });
  const waitFor = async (re: RegExp, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!re.test(screen)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}; screen:\n${JSON.stringify(screen.slice(-800))}`);
      await Bun.sleep(50);
    }
  };
  try {
    await waitFor(/root@\S+:~# $/m);
    term.write("echo answer=$((6*7)) term=$TERM\r");
    await waitFor(/answer=42 term=xterm-256color/);
    const size = "BUN_BE_BUN=1 /bin/tsbox -e 'console.log(`size=${process.stdout.columns}x${process.stdout.rows}`)'\r";
    term.write(size);
    await waitFor(/size=100x30/);
    term.resize(120, 40);
    // Bun.Terminal does not make the PTY ssh's controlling terminal, so the kernel has
    // nobody to send SIGWINCH to: deliver it as the kernel would. ssh then sends
    // window-change and sshd resizes the guest's PTY.
    p.kill("SIGWINCH");
    await Bun.sleep(500);
    term.write(size);
    await waitFor(/size=120x40/);
    const mark = screen.length;
    term.write("sleep 30\r");
    await Bun.sleep(1000);
    term.write("\x03"); // Ctrl-C reaches the foreground sleep, not the shell
    term.write("echo after=$?\r");
    await waitFor(/after=130/, 15_000);
    expect(screen.slice(mark)).not.toContain("Connection to 127.0.0.1 closed");
    term.write("exit 3\r");
    expect(await p.exited).toBe(3);
  } finally {
    p.kill();
    term.close();
  }
}, 90_000);
