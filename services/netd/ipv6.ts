// IPv6 addresses from /proc/net/if_inet6: "addr32hex ifindex prefixlen scope flags name".

const SCOPE_GLOBAL = 0x00;

export function globalIpv6(text: string, iface: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || f[5] !== iface || parseInt(f[3]!, 16) !== SCOPE_GLOBAL) continue;
    const hex = f[0]!;
    if (!/^[0-9a-f]{32}$/.test(hex)) continue;
    const groups = hex.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ""));
    out.push(`${groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::")}/${parseInt(f[2]!, 16)}`);
  }
  return out;
}
