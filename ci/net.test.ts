// Integration: netd in the real guest under QEMU user-mode networking (slirp):
// DHCPv4 lease, default route, resolv.conf, IPv6 SLAAC, release on shutdown.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import type { ControlClient } from "../lib/control/client.ts";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";

const image = join(resolve(import.meta.dir, ".."), "build/image");
let vm: QemuVm;
let ctl: ControlClient;

async function guestJs(code: string): Promise<string> {
  let out = "";
  let done!: () => void;
  const exited = new Promise<void>((r) => (done = r));
  const { reply } = ctl.request("exec", { argv: ["/bin/tsbox", "-e", code], env: { BUN_BE_BUN: "1" } }, (e) => {
    if (e.data) out += Buffer.from(e.data, "base64").toString();
    if (e.event === "exit") done();
  });
  await reply;
  await exited;
  return out;
}

type NetState = { interfaces: Record<string, { mac: string; ipv4?: { address: string; prefix: number; gateway: string; dns: string[]; leaseS: number; server: string }; ipv6: string[] }> };
const readState = async () => JSON.parse(await guestJs("process.stdout.write(require('fs').readFileSync('/run/tsos/netd.json','utf8'))")) as NetState;

beforeAll(async () => {
  vm = new QemuVm({ ...imageGuest(image), withControl: true, config: { hostname: "nettest" }, net: { forwards: [] } });
  await vm.waitFor(/init: boot complete/, 120_000);
  ctl = await vm.control();
}, 150_000);

afterAll(async () => {
  await vm?.dispose();
});

test("eth0 gets its address, route and DNS server by DHCP from QEMU's user network", async () => {
  let s = await readState();
  for (let i = 0; i < 40 && !s.interfaces.eth0?.ipv4; i++) {
    await Bun.sleep(250);
    s = await readState();
  }
  expect(s.interfaces.eth0!.ipv4).toMatchObject({ address: "10.0.2.15", prefix: 24, gateway: "10.0.2.2", dns: ["10.0.2.3"], server: "10.0.2.2" });
  expect(await guestJs("process.stdout.write(require('fs').readFileSync('/etc/resolv.conf','utf8'))")).toContain("nameserver 10.0.2.3");
  // The kernel agrees: the address is on eth0 and the default route points at the gateway.
  const route = await guestJs("process.stdout.write(require('fs').readFileSync('/proc/net/route','utf8'))");
  expect(route).toMatch(/^eth0\s+00000000\s+0202000A\s/m); // default via 10.0.2.2 (little-endian hex)
}, 60_000);

test("IPv6: the kernel's SLAAC address from the router advertisement is reported", async () => {
  let s = await readState();
  for (let i = 0; i < 60 && !s.interfaces.eth0?.ipv6.length; i++) {
    await Bun.sleep(500);
    s = await readState();
  }
  expect(s.interfaces.eth0!.ipv6).toEqual([expect.stringMatching(/^fd00:7e05::[0-9a-f:]+\/64$/)]);
}, 60_000);

test("netd is supervised and releases its lease on shutdown", async () => {
  const st = await ctl.call<{ services: { name: string; state: string }[] }>("status");
  expect(st.services.find((s) => s.name === "netd")?.state).toBe("running");
  await ctl.call("shutdown");
  expect(await vm.exited).toBe(0);
  // netd exits 0 only from its SIGTERM handler, after sending DHCPRELEASE.
  expect(vm.lines.some((l) => /netd: stopped \(exited with 0\)/.test(l))).toBe(true);
}, 60_000);
