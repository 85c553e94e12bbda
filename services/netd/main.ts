// netd: brings up lo and every Ethernet interface over rtnetlink, runs a DHCPv4
// client on each (address, default route, /etc/resolv.conf), turns on IPv6
// SLAAC and reports the global address. State: /run/tsos/netd.json.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { ifNameToIndex, msSinceBoot } from "../../lib/ffi/libc.ts";
import { DhcpClient } from "./dhcp/client.ts";
import { PacketLink } from "./dhcp/link.ts";
import type { Lease } from "./dhcp/packet.ts";
import { prefixLength } from "../../lib/net/addr.ts";
import { addrMsg, defaultRouteMsg, linkSetUp, Rtnl, RTM } from "../../lib/net/rtnetlink.ts";
import { globalIpv6 } from "./ipv6.ts";
import { hasCarrier, watchLinks } from "../../lib/net/linkwatch.ts";

export const STATE_FILE = "/run/tsos/netd.json";
export const READY_FILE = "/run/tsos/netd.ready";

interface IfState {
  mac: string;
  index: number;
  ipv4?: { address: string; prefix: number; gateway?: string; dns: string[]; domain?: string; leaseS?: number; boundAt: string; server?: string };
  ipv6: string[];
  carrier: boolean;
}

const state: Record<string, IfState> = {};
const log = (msg: string) => console.log(msg);

function saveState(): void {
  writeFileSync(STATE_FILE, JSON.stringify({ interfaces: state }, null, 2) + "\n");
}

export function resolvConf(dns: string[], domain?: string): string {
  return ["# written by netd from DHCP", ...(domain ? [`search ${domain}`] : []), ...dns.slice(0, 3).map((d) => `nameserver ${d}`), ""].join("\n");
}

function ethernetInterfaces(): string[] {
  return readdirSync("/sys/class/net").filter((n) => {
    try {
      return readFileSync(`/sys/class/net/${n}/type`, "utf8").trim() === "1" && n !== "lo";
    } catch {
      return false;
    }
  });
}

async function apply(rtnl: Rtnl, name: string, l: Lease, why: string): Promise<void> {
  const s = state[name]!;
  const prefix = l.subnetMask ? prefixLength(l.subnetMask) : 24;
  const old = s.ipv4;
  if (old && old.address !== l.yiaddr) await rtnl.request(addrMsg(RTM.DELADDR, s.index, old.address, old.prefix, rtnl.nextSeq()));
  let err = await rtnl.request(addrMsg(RTM.NEWADDR, s.index, l.yiaddr, prefix, rtnl.nextSeq()));
  if (err) throw new Error(`${name}: adding ${l.yiaddr}/${prefix} failed (errno ${err})`);
  const gw = l.routers[0];
  if (gw && gw !== old?.gateway) {
    if (old?.gateway) await rtnl.request(defaultRouteMsg(RTM.DELROUTE, s.index, old.gateway, rtnl.nextSeq()));
    err = await rtnl.request(defaultRouteMsg(RTM.NEWROUTE, s.index, gw, rtnl.nextSeq()));
    if (err && err !== 17 /* EEXIST */) throw new Error(`${name}: default route via ${gw} failed (errno ${err})`);
  }
  if (l.dns.length) writeFileSync("/etc/resolv.conf", resolvConf(l.dns, l.domain));
  s.ipv4 = { address: l.yiaddr, prefix, gateway: gw, dns: l.dns, domain: l.domain, leaseS: l.leaseS, boundAt: new Date().toISOString(), server: l.serverId };
  saveState();
  log(`${name}: ${why} ${l.yiaddr}/${prefix} via ${gw ?? "-"} dns ${l.dns.join(",") || "-"} lease ${l.leaseS ?? "?"} s from ${l.serverId} (t=${Math.round(msSinceBoot())} ms since boot)`);
}

async function watchIpv6(name: string): Promise<void> {
  // SLAAC is the kernel's; we only wait for the router's prefix and report it.
  for (let i = 0; i < 60; i++) {
    const g = globalIpv6(readFileSync("/proc/net/if_inet6", "utf8"), name);
    if (g.length) {
      state[name]!.ipv6 = g;
      saveState();
      log(`${name}: IPv6 global ${g.join(", ")} (SLAAC)`);
      return;
    }
    await Bun.sleep(500);
  }
  log(`${name}: no IPv6 router advertisement within 30 s`);
}

export async function main(): Promise<number> {
  mkdirSync("/run/tsos", { recursive: true });
  const rtnl = new Rtnl();
  const lo = ifNameToIndex("lo");
  if (await rtnl.request(linkSetUp(lo, true, rtnl.nextSeq()))) console.error("lo: cannot bring up");
  const clients = new Map<string, DhcpClient>();
  const startDhcp = (name: string) => {
    const { index, mac } = state[name]!;
    const link = new PacketLink(index);
    const c = new DhcpClient(link, {
      bound: (l, why) => apply(rtnl, name, l, why),
      expired: async (l) => {
        await rtnl.request(addrMsg(RTM.DELADDR, index, l.yiaddr, state[name]!.ipv4?.prefix ?? 24, rtnl.nextSeq()));
        state[name]!.ipv4 = undefined;
        saveState();
      },
      log: (level, msg) => (level === "warn" ? console.error : console.log)(`${name}: ${msg}`),
    }, { mac: new Uint8Array(mac.split(":").map((h) => parseInt(h, 16))), hostname: hostname() });
    clients.get(name)?.stop();
    clients.set(name, c);
    void c
      .run()
      .catch((e) => console.error(`${name}: DHCP client stopped: ${(e as Error).message}`))
      .finally(() => link.close());
  };
  for (const name of ethernetInterfaces()) {
    const index = ifNameToIndex(name);
    const mac = readFileSync(`/sys/class/net/${name}/address`, "utf8").trim();
    state[name] = { mac, index, ipv6: [], carrier: true };
    for (const [k, v] of [["accept_ra", "1"], ["autoconf", "1"]] as const) {
      try {
        writeFileSync(`/proc/sys/net/ipv6/conf/${name}/${k}`, v);
      } catch (e) {
        console.error(`${name}: ipv6 ${k}: ${(e as Error).message}`);
      }
    }
    const err = await rtnl.request(linkSetUp(index, true, rtnl.nextSeq()));
    if (err) {
      console.error(`${name}: cannot bring the link up (errno ${err})`);
      continue;
    }
    startDhcp(name);
    void watchIpv6(name);
  }
  // Carrier changes: stop the client when the cable goes, start over when it comes back
  // (the network on the other side may be a different one now).
  watchLinks(
    (l) => {
      const s = state[l.name];
      if (!s || !clients.has(l.name) || hasCarrier(l) === s.carrier) return;
      s.carrier = hasCarrier(l);
      saveState();
      if (!s.carrier) {
        clients.get(l.name)?.stop();
        log(`${l.name}: link down (carrier lost); DHCP paused`);
      } else {
        log(`${l.name}: link up (carrier back); restarting DHCP`);
        startDhcp(l.name);
      }
    },
    (e) => console.error(`link watch stopped: ${e.message}`),
  );
  saveState();
  writeFileSync(READY_FILE, String(process.pid));
  log(`up: lo${Object.keys(state).map((n) => ", " + n).join("")}`);
  process.on("SIGTERM", () => {
    for (const c of clients.values()) c.release();
    log("released leases; exiting");
    process.exit(0);
  });
  await new Promise(() => {});
  return 0;
}
