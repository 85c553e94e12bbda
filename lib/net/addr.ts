// Address text <-> bytes for IPv4, IPv6 and MAC; shared by netd, the shell's
// network commands and the tests.

/** "a.b.c.d" to four bytes; throws on anything else. */
export function ipv4Bytes(ip: string): number[] {
  const p = ip.split(".").map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new Error(`bad IPv4 address ${ip}`);
  return p;
}

export const ipv4Text = (b: Uint8Array, off = 0) => `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;

/** RFC 5952 text for 16 bytes: lower case, leading zeros dropped, the longest zero run (≥ 2 groups) as "::". */
export function ipv6Text(b: Uint8Array, off = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(":");
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** IPv6 text (with "::" and an optional dotted IPv4 tail) to 16 bytes; throws when malformed. */
export function ipv6Bytes(ip: string): Uint8Array {
  const bad = () => new Error(`bad IPv6 address ${ip}`);
  let text = ip;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = ipv4Bytes(v4[1]!);
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    text = text.slice(0, -v4[1]!.length) + (text.endsWith("::" + v4[1]) ? "" : "0");
    if (!text.endsWith(":")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) throw bad();
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((h) => (/^[0-9a-fA-F]{1,4}$/.test(h) ? parseInt(h, 16) : NaN)));
  const head = parse(halves[0]!.replace(/:$/, ""));
  const rest = halves.length === 2 ? parse(halves[1]!.replace(/:$/, "")) : [];
  const have = head.length + rest.length + tail.length;
  if (head.some(Number.isNaN) || rest.some(Number.isNaN) || (halves.length === 1 ? have !== 8 : have > 7)) throw bad();
  const groups = [...head, ...new Array<number>(8 - have).fill(0), ...rest, ...tail];
  const out = new Uint8Array(16);
  groups.forEach((v, i) => {
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

export const macText = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(":");

/** Number of leading one bits in a dotted netmask. */
export function prefixLength(mask: string): number {
  let n = 0;
  for (const b of ipv4Bytes(mask)) for (let i = 7; i >= 0; i--) if (b & (1 << i)) n++;
  return n;
}
