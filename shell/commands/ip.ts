import { readIpState, type Address, type IpState, type Link, type Route } from "../../lib/net/ipstate.ts";
import { errText, printJson, usageError } from "./lib.ts";
import type { Command } from "./types.ts";

// iproute2's JSON shapes (ifindex/ifname/addr_info/...), so scripts written
// against `ip -j` keep working; fields it omits for defaults are omitted here too.
function linkJson(l: Link) {
  return { ifindex: l.index, ifname: l.name, flags: l.flags, mtu: l.mtu, operstate: l.operstate.toUpperCase(), link_type: l.flags.includes("LOOPBACK") ? "loopback" : "ether", address: l.mac };
}

function addrJson(a: Address) {
  return { family: a.family, local: a.address, prefixlen: a.prefix, ...(a.broadcast ? { broadcast: a.broadcast } : {}), scope: a.scope, valid_life_time: a.validS ?? 4294967295, preferred_life_time: a.preferredS ?? 4294967295 };
}

function routeJson(r: Route) {
  return { dst: r.dst, ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.dev ? { dev: r.dev } : {}), protocol: r.protocol, scope: r.scope, ...(r.prefsrc ? { prefsrc: r.prefsrc } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) };
}

function linkText(l: Link): string {
  const kind = l.flags.includes("LOOPBACK") ? "loopback" : "ether";
  return `${l.index}: ${l.name}: <${l.flags.join(",")}> mtu ${l.mtu ?? "?"} state ${l.operstate.toUpperCase()}\n    link/${kind} ${l.mac ?? "none"}\n`;
}

function addrText(a: Address): string {
  const life = (s: number | undefined) => (s === undefined ? "forever" : `${s}sec`);
  return `    ${a.family} ${a.address}/${a.prefix}${a.broadcast ? ` brd ${a.broadcast}` : ""} scope ${a.scope}${a.family === "inet" ? ` ${a.name}` : ""}\n       valid_lft ${life(a.validS)} preferred_lft ${life(a.preferredS)}\n`;
}

function routeText(r: Route): string {
  const parts = [r.dst, r.gateway && `via ${r.gateway}`, r.dev && `dev ${r.dev}`, r.protocol !== "boot" && `proto ${r.protocol}`, r.scope !== "global" && `scope ${r.scope}`, r.prefsrc && `src ${r.prefsrc}`, r.metric !== undefined && `metric ${r.metric}`];
  return parts.filter(Boolean).join(" ") + "\n";
}

const OBJECTS: Record<string, "addr" | "link" | "route"> = { a: "addr", addr: "addr", address: "addr", l: "link", link: "link", r: "route", ro: "route", route: "route" };

function render(obj: "addr" | "link" | "route", s: IpState, json: boolean): string | unknown {
  if (obj === "route") return json ? s.routes.map(routeJson) : s.routes.map(routeText).join("");
  if (obj === "link") return json ? s.links.map(linkJson) : s.links.map(linkText).join("");
  if (json) return s.links.map((l) => ({ ...linkJson(l), addr_info: s.addresses.filter((a) => a.index === l.index).map(addrJson) }));
  return s.links.map((l) => linkText(l) + s.addresses.filter((a) => a.index === l.index).map(addrText).join("")).join("");
}

const cmd: Command = {
  name: "ip",
  summary: "ip: show network interfaces, addresses and routes",
  usage: [
    "Usage: ip [-j|--json] [-4|-6] OBJECT [show] [dev IFNAME]",
    "OBJECT is addr (a), link (l) or route (r). Reads the kernel's state over rtnetlink.",
    "  -j, --json  iproute2-compatible JSON      -4, -6  one address family only",
    "  dev IFNAME  only that interface",
  ].join("\n"),
  async run(ctx) {
    let json = false;
    let family: "inet" | "inet6" | undefined;
    const words: string[] = [];
    for (const a of ctx.args) {
      if (a === "-j" || a === "--json" || a === "-json") json = true;
      else if (a === "-4") family = "inet";
      else if (a === "-6") family = "inet6";
      else if (a.startsWith("-")) return usageError(ctx, `invalid option '${a}'`).then(() => 2);
      else words.push(a);
    }
    const obj = OBJECTS[words.shift() ?? "addr"];
    if (!obj) return usageError(ctx, `unknown object '${ctx.args.find((a) => !a.startsWith("-"))}' (expected addr, link or route)`).then(() => 2);
    if (words[0] === "show" || words[0] === "list" || words[0] === "ls") words.shift();
    let dev: string | undefined;
    if (words[0] === "dev") dev = words[1];
    else if (words.length === 1 && obj !== "route") dev = words[0];
    else if (words.length) return usageError(ctx, `unexpected '${words.join(" ")}'`).then(() => 2);
    let s: IpState;
    try {
      s = await readIpState();
    } catch (e) {
      await ctx.err(`cannot read network state: ${errText(e)}`);
      return 1;
    }
    if (dev && !s.links.some((l) => l.name === dev)) {
      await ctx.err(`device "${dev}" does not exist`);
      return 1;
    }
    s = {
      links: s.links.filter((l) => !dev || l.name === dev),
      addresses: s.addresses.filter((a) => (!dev || a.name === dev) && (!family || a.family === family)),
      routes: s.routes.filter((r) => (!dev || r.dev === dev) && (!family || r.family === family) && (family || r.family === "inet")),
    };
    const out = render(obj, s, json);
    if (json) return printJson(ctx, out);
    await ctx.out(out as string);
    return 0;
  },
};
export default cmd;
