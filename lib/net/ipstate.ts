// The kernel's view of links, addresses and routes, read over rtnetlink and
// decoded into plain objects (what `ip --json` prints and the monitor shows).
import { AF_INET, AF_INET6 } from "../ffi/libc.ts";
import { ipv4Text, ipv6Text, macText } from "./addr.ts";
import { dumpMsg, IFA, IFF, IFLA, parseAttrs, RTA, Rtnl, RTM, type NlMessage } from "./rtnetlink.ts";

export interface Link {
  index: number;
  name: string;
  flags: string[];
  mtu?: number;
  mac?: string;
  /** RFC 2863 operational state, as `ip` spells it. */
  operstate: string;
  carrier?: boolean;
}

export interface Address {
  index: number;
  name: string;
  family: "inet" | "inet6";
  address: string;
  prefix: number;
  scope: string;
  broadcast?: string;
  /** Seconds; undefined for "forever". */
  validS?: number;
  preferredS?: number;
}

export interface Route {
  family: "inet" | "inet6";
  dst: string;
  gateway?: string;
  dev?: string;
  protocol: string;
  scope: string;
  metric?: number;
  prefsrc?: string;
  table: number;
}

const OPER = ["unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"];
const SCOPES: Record<number, string> = { 0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere" };
const PROTOS: Record<number, string> = { 0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 16: "dhcp", 9: "ra" };
const FLAG_NAMES: [number, string][] = [
  [IFF.LOOPBACK, "LOOPBACK"],
  [IFF.BROADCAST, "BROADCAST"],
  [IFF.POINTOPOINT, "POINTOPOINT"],
  [IFF.MULTICAST, "MULTICAST"],
  [IFF.NOARP, "NOARP"],
  [IFF.PROMISC, "PROMISC"],
  [IFF.UP, "UP"],
  [IFF.LOWER_UP, "LOWER_UP"],
];

const u32 = (b: Uint8Array | undefined) => (b && b.length >= 4 ? new DataView(b.buffer, b.byteOffset).getUint32(0, true) : undefined);
const cstr = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b).replace(/\0.*$/s, "") : "");
const ipText = (family: number, b: Uint8Array | undefined) => (!b ? undefined : family === AF_INET6 && b.length >= 16 ? ipv6Text(b) : b.length >= 4 ? ipv4Text(b) : undefined);

/** An RTM_NEWLINK message (a dump entry or a notification) as a Link; undefined when too short. */
export function decodeLink(m: NlMessage): Link | undefined {
  if (m.body.length < 16) return undefined;
  const dv = new DataView(m.body.buffer, m.body.byteOffset);
  const flags = dv.getUint32(8, true);
  const a = parseAttrs(m.body, 16);
  const mac = a.get(IFLA.ADDRESS);
  const carrier = a.get(IFLA.CARRIER);
  return {
    index: dv.getInt32(4, true),
    name: cstr(a.get(IFLA.IFNAME)),
    flags: FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n),
    mtu: u32(a.get(IFLA.MTU)),
    mac: mac && mac.length === 6 ? macText(mac) : undefined,
    operstate: OPER[a.get(IFLA.OPERSTATE)?.[0] ?? 0] ?? "unknown",
    carrier: carrier ? carrier[0] === 1 : undefined,
  };
}

export function decodeAddress(m: NlMessage, names: Map<number, string>): Address | undefined {
  if (m.body.length < 8) return undefined;
  const family = m.body[0]!;
  if (family !== AF_INET && family !== AF_INET6) return undefined;
  const index = new DataView(m.body.buffer, m.body.byteOffset).getUint32(4, true);
  const a = parseAttrs(m.body, 8);
  const address = ipText(family, a.get(IFA.LOCAL) ?? a.get(IFA.ADDRESS));
  if (!address) return undefined;
  const ci = a.get(IFA.CACHEINFO);
  const life = (off: number) => {
    const v = ci && ci.length >= 8 ? new DataView(ci.buffer, ci.byteOffset).getUint32(off, true) : 0xffffffff;
    return v === 0xffffffff ? undefined : v;
  };
  return {
    index,
    name: names.get(index) ?? String(index),
    family: family === AF_INET ? "inet" : "inet6",
    address,
    prefix: m.body[1]!,
    scope: SCOPES[m.body[3]!] ?? String(m.body[3]),
    broadcast: ipText(family, a.get(IFA.BROADCAST)),
    preferredS: life(0),
    validS: life(4),
  };
}

export function decodeRoute(m: NlMessage, names: Map<number, string>): Route | undefined {
  if (m.body.length < 12) return undefined;
  const [family, dstLen, , , table, protocol, scope] = m.body;
  if (family !== AF_INET && family !== AF_INET6) return undefined;
  const a = parseAttrs(m.body, 12);
  const dst = ipText(family, a.get(RTA.DST));
  const oif = u32(a.get(RTA.OIF));
  return {
    family: family === AF_INET ? "inet" : "inet6",
    dst: dst ? `${dst}/${dstLen}` : dstLen === 0 ? "default" : `?/${dstLen}`,
    gateway: ipText(family, a.get(RTA.GATEWAY)),
    dev: oif === undefined ? undefined : (names.get(oif) ?? String(oif)),
    protocol: PROTOS[protocol!] ?? String(protocol),
    scope: SCOPES[scope!] ?? String(scope),
    metric: u32(a.get(RTA.PRIORITY)),
    prefsrc: ipText(family, a.get(RTA.PREFSRC)),
    table: u32(a.get(RTA.TABLE)) ?? table!,
  };
}

export interface IpState {
  links: Link[];
  addresses: Address[];
  routes: Route[];
}

/** One consistent read of links, addresses and main-table routes. */
export async function readIpState(): Promise<IpState> {
  const nl = new Rtnl();
  try {
    const links = (await nl.dump(dumpMsg(RTM.GETLINK, nl.nextSeq()))).flatMap((m) => decodeLink(m) ?? []);
    const names = new Map(links.map((l) => [l.index, l.name]));
    const addresses = (await nl.dump(dumpMsg(RTM.GETADDR, nl.nextSeq()))).flatMap((m) => decodeAddress(m, names) ?? []);
    const routes = (await nl.dump(dumpMsg(RTM.GETROUTE, nl.nextSeq()))).flatMap((m) => decodeRoute(m, names) ?? []).filter((r) => r.table === 254);
    return { links, addresses, routes };
  } finally {
    nl.close();
  }
}
