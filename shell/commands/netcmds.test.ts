// ip, ping, fetch/wget and top on the host: ip against iproute2's own JSON,
// ping against the host's loopback, fetch against a real local HTTP server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CaptureStream, BufferStream } from "../interp/io.ts";
import { Shell } from "../interp/shell.ts";
import { runProgram } from "../interp/source.ts";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(join(tmpdir(), "tsh-net-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function tsh(script: string): Promise<{ out: string; err: string; status: number }> {
  const sh = Shell.fromEnvironment({ PATH: "/usr/bin:/bin:/usr/sbin:/sbin", HOME: dir, LC_ALL: "C" });
  sh.cwd = dir;
  const out = new CaptureStream();
  const err = new CaptureStream();
  sh.fds.set(0, new BufferStream(""));
  sh.fds.set(1, out);
  sh.fds.set(2, err);
  const status = await runProgram(sh, script, "-c");
  return { out: out.text(), err: err.text(), status };
}

const hostIp = Bun.which("ip", { PATH: "/usr/sbin:/sbin:/usr/bin:/bin" });

describe("ip", () => {
  test.skipIf(!hostIp)("ip -j addr lists the same interfaces and addresses as iproute2", async () => {
    const ours = JSON.parse((await tsh("ip -j addr")).out) as { ifname: string; addr_info: { local: string; prefixlen: number; family: string }[] }[];
    const theirs = JSON.parse(Bun.spawnSync([hostIp!, "-j", "addr"]).stdout.toString()) as typeof ours;
    const flat = (l: typeof ours) => l.flatMap((i) => i.addr_info.map((a) => `${i.ifname} ${a.family} ${a.local}/${a.prefixlen}`)).sort();
    expect(flat(ours)).toEqual(flat(theirs));
    expect(ours.map((i) => i.ifname)).toEqual(theirs.map((i) => i.ifname));
  });

  test.skipIf(!hostIp)("ip -j route and ip -j link agree with iproute2", async () => {
    type R = { dst: string; gateway?: string; dev?: string; prefsrc?: string };
    const pick = (l: R[]) => l.map((r) => `${r.dst} ${r.gateway ?? "-"} ${r.dev ?? "-"} ${r.prefsrc ?? "-"}`).sort();
    expect(pick(JSON.parse((await tsh("ip -j route")).out))).toEqual(pick(JSON.parse(Bun.spawnSync([hostIp!, "-j", "route"]).stdout.toString())));
    type L = { ifname: string; mtu: number; address: string; operstate: string };
    const links = (l: L[]) => l.map((x) => `${x.ifname} ${x.mtu} ${x.address} ${x.operstate}`);
    expect(links(JSON.parse((await tsh("ip -j link")).out))).toEqual(links(JSON.parse(Bun.spawnSync([hostIp!, "-j", "link"]).stdout.toString())));
  });

  test("text output names lo with its loopback address; bad input is a clear error", async () => {
    const r = await tsh("ip addr show dev lo");
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^1: lo: <LOOPBACK,.*UP.*> mtu \d+ /);
    expect(r.out).toContain("inet 127.0.0.1/8 scope host lo");
    expect(await tsh("ip addr show dev nosuch0")).toMatchObject({ status: 1, err: 'ip: device "nosuch0" does not exist\n' });
    expect((await tsh("ip frobnicate")).status).toBe(2);
  });
});

describe("ping", () => {
  test("IPv4 and IPv6 loopback answer", async () => {
    const v4 = await tsh("ping -c 2 -i 0.2 127.0.0.1");
    expect(v4.status).toBe(0);
    expect(v4.out).toMatch(/64 bytes from 127\.0\.0\.1: icmp_seq=1 (ttl=\d+ )?time=[\d.]+ ms/);
    expect(v4.out).toContain("2 packets transmitted, 2 received, 0% packet loss");
    const v6 = await tsh("ping -6 -c 1 ::1");
    expect(v6.status).toBe(0);
    expect(v6.out).toContain("1 packets transmitted, 1 received");
  });

  test("--json summary; no reply is status 1; an unknown host status 2", async () => {
    const j = JSON.parse((await tsh("ping -c 3 -i 0.1 --json localhost")).out);
    expect(j).toMatchObject({ transmitted: 3, received: 3, lossPercent: 0 });
    expect(j.rttMs.min).toBeLessThanOrEqual(j.rttMs.max);
    const none = await tsh("ping -c 1 -W 0.5 198.51.100.7"); // TEST-NET-2: nothing answers there
    expect(none.status).toBe(1);
    expect(none.out).toContain("1 packets transmitted, 0 received, 100% packet loss");
    expect(await tsh("ping -c 1 no-such-host.invalid")).toMatchObject({ status: 2, err: "ping: no-such-host.invalid: unknown host\n" });
    expect((await tsh("ping -c 0 127.0.0.1")).status).toBe(2);
  });
});

describe("fetch and wget", () => {
  let server: ReturnType<typeof Bun.serve>;
  let base: string;
  let cutter: Bun.TCPSocketListener<undefined>;
  const big = new Uint8Array(3 << 20).map((_, i) => (i * 7) & 0xff);
  beforeAll(() => {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(req) {
        const p = new URL(req.url).pathname;
        if (p === "/hello.txt") return new Response("hello world\n");
        if (p === "/big.bin") return new Response(big);
        if (p === "/moved") return Response.redirect("/hello.txt", 302);
        if (p === "/header") return new Response(req.headers.get("x-tsos") ?? "none");
        return new Response("nope", { status: 404 });
      },
    });
    base = `http://127.0.0.1:${server.port}`;
    // Promises 1 MiB, sends 10 bytes and hangs up: the client must notice the short body.
    cutter = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        data(s) {
          s.write("HTTP/1.1 200 OK\r\ncontent-length: 1048576\r\n\r\n0123456789");
          s.end();
        },
      },
    });
  });
  afterAll(() => {
    server.stop(true);
    cutter.stop(true);
  });

  test("wget saves under the URL's name, byte for byte", async () => {
    expect((await tsh(`wget -q ${base}/big.bin`)).status).toBe(0);
    expect(Buffer.compare(fs.readFileSync(join(dir, "big.bin")), Buffer.from(big))).toBe(0);
    const r = await tsh(`fetch -o got.txt ${base}/moved && cat got.txt`);
    expect(r).toMatchObject({ status: 0, out: "hello world\n" });
    expect(r.err).toMatch(/^'got.txt' saved: 12B/);
    expect((await tsh(`fetch -o - -H 'X-Tsos: yes' ${base}/header`)).out).toBe("yes");
  });

  test("errors: 404 is 8, refused is 4, a cut transfer keeps the old file", async () => {
    const nf = await tsh(`wget ${base}/missing`);
    expect(nf.status).toBe(8);
    expect(nf.err).toContain("server answered 404");
    expect(fs.existsSync(join(dir, "missing"))).toBe(false);
    const refused = await tsh("wget http://127.0.0.1:1/x");
    expect(refused.status).toBe(4);
    fs.writeFileSync(join(dir, "keep.bin"), "precious");
    const cut = await tsh(`wget -O keep.bin http://127.0.0.1:${cutter.port}/broken`);
    expect(cut.status).not.toBe(0);
    expect(fs.readFileSync(join(dir, "keep.bin"), "utf8")).toBe("precious");
    expect(fs.readdirSync(dir).filter((f) => f.includes(".part-"))).toEqual([]);
    expect((await tsh("fetch gopher://x/")).status).toBe(2);
  });
});

describe("top", () => {
  test("batch mode prints the header and this process", async () => {
    const r = await tsh("top -b -n 1");
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^top - \d\d:\d\d:\d\d up /);
    expect(r.out).toMatch(/^Tasks: \d+ total/m);
    expect(r.out).toMatch(new RegExp(`^\\s*${process.pid} `, "m"));
  });

  test("--json is a report with CPU shares that add up", async () => {
    const j = JSON.parse((await tsh("top --json -d 0.2")).out);
    expect(j.processes.some((p: { pid: number }) => p.pid === process.pid)).toBe(true);
    const sum = j.cpu.user + j.cpu.system + j.cpu.idle + j.cpu.iowait;
    expect(sum).toBeGreaterThan(90);
    expect(sum).toBeLessThanOrEqual(100.5);
    expect((await tsh("top -n 0")).status).toBe(2);
  });
});
