// Integration, hermetic: the guest resolves a name through the DNS server DHCP
// gave it, downloads over HTTP, pings IPv4 and IPv6, reports its addresses with
// `ip`, and re-leases after a cable pull — all inside a private network
// namespace where this test is the DNS and web server, so no outside network
// is involved. Boots one VM under QEMU (TCG here: ~1 minute).
import { expect, test } from "bun:test";
import { join } from "node:path";
import { netnsUnavailable, runInPrivateNet } from "./lib/netns.ts";

const why = netnsUnavailable();
if (why) console.log(`net-offline: skipped: ${why}`);

type Sh = { out: string; err: string; code: number };
let report: Record<string, unknown> & { wget: Sh; unknownName: Sh; ping4: Sh; ping6: Sh; ipAddr: Sh; ipRoute: Sh; wgetAfterFlap: Sh; dnsQuestions: string[] };

test.skipIf(!!why)("the guest's network works end to end without the outside world", async () => {
  const r = await runInPrivateNet(join(import.meta.dir, "lib/offline-net-session.ts"), [], 240_000);
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.code !== 0 || !last.startsWith("{")) throw new Error(`session failed (exit ${r.code}):\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  report = JSON.parse(last);
  if (report.error) throw new Error(`session: ${report.error}`);
  expect(report.resolv).toContain("nameserver 10.0.2.3");
}, 260_000);

test.skipIf(!!why)("a name resolves through the DHCP-given DNS server and wget fetches from it", () => {
  expect(report.wget).toMatchObject({ code: 0, out: "hello from the host side\n" });
  expect(report.dnsQuestions).toContain("files.tsos.test");
  expect(report.unknownName.code).toBe(4);
  expect(report.unknownName.err).toContain("nosuch.tsos.test");
});

test.skipIf(!!why)("ping reaches the gateway over IPv4 and IPv6", () => {
  expect(report.ping4.code).toBe(0);
  expect(report.ping4.out).toMatch(/64 bytes from 10\.0\.2\.2: icmp_seq=1 ttl=\d+ time=/);
  expect(report.ping4.out).toContain("2 packets transmitted, 2 received, 0% packet loss");
  expect(report.ping6.code).toBe(0);
  expect(report.ping6.out).toContain("2 packets transmitted, 2 received");
});

test.skipIf(!!why)("ip shows the leased address, the SLAAC address and the default route", () => {
  const [eth0] = JSON.parse(report.ipAddr.out) as { ifname: string; operstate: string; addr_info: { family: string; local: string; prefixlen: number }[] }[];
  expect(eth0!.ifname).toBe("eth0");
  expect(eth0!.operstate).toBe("UP");
  expect(eth0!.addr_info).toContainEqual(expect.objectContaining({ family: "inet", local: "10.0.2.15", prefixlen: 24 }));
  expect(eth0!.addr_info.some((a) => a.family === "inet6" && a.local.startsWith("fd00:7e05::"))).toBe(true);
  expect(report.ipRoute.out).toMatch(/^default via 10\.0\.2\.2 dev eth0 proto dhcp metric 100$/m);
});

test.skipIf(!!why)("a cable pull is noticed, and plugging it back leases again", () => {
  expect(report.down).toContain("eth0: link down");
  expect(report.stateDown).toBe(false);
  expect(report.up).toContain("eth0: link up");
  expect(report.reboundCount).toBeGreaterThanOrEqual(1);
  expect(report.wgetAfterFlap).toMatchObject({ code: 0, out: "hello from the host side\n" });
  expect(report.exit).toBe(0);
});
