import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { closeFd, ifNameToIndex, IPPROTO_ICMP, IPPROTO_ICMPV6, pollIn, recvFromNonBlocking, sendto, socket, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_RAW, AF_INET, AF_INET6 } from "../../lib/ffi/libc.ts";
import { echoRequest, parseEchoReply } from "../../lib/net/icmp.ts";
import { sockaddrIn, sockaddrIn6, sockaddrIp } from "../../lib/net/sockaddr.ts";
import { errText, printJson, usageError } from "./lib.ts";
import type { Command, Ctx } from "./types.ts";

interface Opts {
  count?: number;
  intervalMs: number;
  timeoutMs: number;
  deadlineMs?: number;
  size: number;
  family?: 4 | 6;
  quiet: boolean;
  json: boolean;
  host?: string;
}

function parse(args: string[]): Opts | string {
  const o: Opts = { intervalMs: 1000, timeoutMs: 5000, size: 56, quiet: false, json: false };
  const num = (v: string | undefined, what: string, min: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`invalid ${what} '${v ?? ""}'`);
    return n;
  };
  // "-c3" is "-c 3", as in iputils.
  args = args.flatMap((a) => (/^-[ciWws]./.test(a) ? [a.slice(0, 2), a.slice(2)] : [a]));
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-c") o.count = Math.floor(num(args[++i], "count", 1));
      else if (a === "-i") o.intervalMs = num(args[++i], "interval", 0.01) * 1000;
      else if (a === "-W") o.timeoutMs = num(args[++i], "timeout", 0.001) * 1000;
      else if (a === "-w") o.deadlineMs = num(args[++i], "deadline", 0.001) * 1000;
      else if (a === "-s") o.size = Math.min(65000, Math.floor(num(args[++i], "packet size", 0)));
      else if (a === "-4" || a === "-6") o.family = a === "-4" ? 4 : 6;
      else if (a === "-q") o.quiet = true;
      else if (a === "--json") o.json = true;
      else if (a.startsWith("-") && a.length > 1) return `invalid option '${a}'`;
      else if (o.host) return `extra operand '${a}'`;
      else o.host = a;
    }
  } catch (e) {
    return errText(e);
  }
  return o.host ? o : "missing host operand";
}

/** A socket for echo requests: an unprivileged ping socket where allowed, else a raw one (root). */
function openSocket(v6: boolean): { fd: number; raw: boolean } {
  const domain = v6 ? AF_INET6 : AF_INET;
  const proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
  try {
    return { fd: socket(domain, SOCK_DGRAM | SOCK_NONBLOCK, proto), raw: false };
  } catch {
    return { fd: socket(domain, SOCK_RAW | SOCK_NONBLOCK, proto), raw: true };
  }
}

async function resolveTarget(host: string, family?: 4 | 6): Promise<{ ip: string; v6: boolean; scope: number }> {
  const [name, zone] = host.split("%");
  let ip = name!;
  if (!isIP(ip)) {
    try {
      ip = (await lookup(ip, { family: family ?? 0 })).address;
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new Error(code === "ENOTFOUND" ? "unknown host" : `cannot resolve: ${errText(e)}`);
    }
  }
  const v6 = isIP(ip) === 6;
  if (family && (family === 6) !== v6) throw new Error(`${host}: not an IPv${family} address`);
  return { ip, v6, scope: zone ? ifNameToIndex(zone) : 0 };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(1));

async function ping(ctx: Ctx, o: Opts): Promise<number> {
  let target: { ip: string; v6: boolean; scope: number };
  try {
    target = await resolveTarget(o.host!, o.family);
  } catch (e) {
    await ctx.err(`${o.host}: ${errText(e)}`);
    return 2;
  }
  let sock: { fd: number; raw: boolean };
  try {
    sock = openSocket(target.v6);
  } catch (e) {
    await ctx.err(`cannot open an ICMP socket: ${errText(e)}`);
    return 2;
  }
  const dest = target.v6 ? sockaddrIn6(target.ip, 0, target.scope) : sockaddrIn(target.ip);
  const id = (process.pid ^ (Math.random() * 0xffff)) & 0xffff;
  const sentAt = new Map<number, number>();
  const rtts: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  if (!o.json && !o.quiet) await ctx.out(`PING ${o.host} (${target.ip}) ${o.size}(${o.size + (target.v6 ? 48 : 28)}) bytes of data.\n`);
  try {
    const deadline = o.deadlineMs !== undefined ? started + o.deadlineMs : Infinity;
    let nextSend = performance.now();
    let lastSend = 0;
    while (!ctx.signal.aborted && performance.now() < deadline) {
      const now = performance.now();
      const allSent = o.count !== undefined && sent >= o.count;
      if (allSent && (sentAt.size === 0 || now - lastSend > o.timeoutMs)) break;
      if (!allSent && now >= nextSend) {
        const seq = ++sent;
        try {
          sendto(sock.fd, echoRequest(target.v6, id, seq, o.size), dest);
        } catch (e) {
          errors++;
          if (!o.quiet && !o.json) await ctx.out(`From ${target.ip} icmp_seq=${seq} ${errText(e).replace(/^sendto: /, "")}\n`);
        }
        sentAt.set(seq, performance.now());
        lastSend = performance.now();
        nextSend += o.intervalMs;
      }
      // Short polls keep Ctrl-C (the abort signal) responsive.
      const wait = Math.max(0, Math.min(50, (allSent ? lastSend + o.timeoutMs : nextSend) - performance.now(), deadline - performance.now()));
      if (!pollIn(sock.fd, wait)) {
        await Bun.sleep(0);
        continue;
      }
      for (let r = recvFromNonBlocking(sock.fd); r; r = recvFromNonBlocking(sock.fd)) {
        const reply = parseEchoReply(target.v6, r.data, sock.raw && !target.v6);
        // Ping sockets rewrite the id to the socket's port: match by sequence only there.
        if (!reply || (sock.raw && reply.id !== id) || !sentAt.has(reply.seq)) continue;
        const rtt = performance.now() - sentAt.get(reply.seq)!;
        sentAt.delete(reply.seq);
        rtts.push(rtt);
        if (!o.quiet && !o.json) await ctx.out(`${reply.bytes} bytes from ${sockaddrIp(r.from) ?? target.ip}: icmp_seq=${reply.seq}${reply.ttl !== undefined ? ` ttl=${reply.ttl}` : ""} time=${fmt(rtt)} ms\n`);
      }
    }
  } finally {
    closeFd(sock.fd);
  }
  const received = rtts.length;
  const loss = sent ? Math.round((100 * (sent - received)) / sent) : 0;
  const elapsed = Math.round(performance.now() - started);
  const min = received ? Math.min(...rtts) : 0;
  const max = received ? Math.max(...rtts) : 0;
  const avg = received ? rtts.reduce((a, b) => a + b, 0) / received : 0;
  const mdev = received ? Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / received) : 0;
  if (o.json) {
    await printJson(ctx, { host: o.host, address: target.ip, transmitted: sent, received, errors, lossPercent: loss, timeMs: elapsed, rttMs: received ? { min, avg, max, mdev } : null });
  } else {
    let s = `\n--- ${o.host} ping statistics ---\n${sent} packets transmitted, ${received} received, ${errors ? `+${errors} errors, ` : ""}${loss}% packet loss, time ${elapsed}ms\n`;
    if (received) s += `rtt min/avg/max/mdev = ${[min, avg, max, mdev].map((v) => v.toFixed(3)).join("/")} ms\n`;
    await ctx.out(s);
  }
  return received ? 0 : 1;
}

const cmd: Command = {
  name: "ping",
  summary: "ping: send ICMP echo requests to a host (IPv4 or IPv6)",
  usage: [
    "Usage: ping [-4|-6] [-c COUNT] [-i SECONDS] [-W SECONDS] [-w SECONDS] [-s BYTES] [-q] [--json] HOST",
    "Sends ICMP echo requests and reports replies and round-trip times. Ctrl-C stops.",
    "  -c COUNT    stop after COUNT requests (default: until interrupted)",
    "  -i SECONDS  interval between requests (default 1)",
    "  -W SECONDS  how long to wait for the last reply (default 5)",
    "  -w SECONDS  stop after this long in total",
    "  -s BYTES    payload size (default 56)",
    "  -4, -6      resolve HOST to this family only",
    "  -q          summary only      --json  the summary as JSON",
    "Exit status: 0 when a reply arrived, 1 when none did, 2 on errors.",
  ].join("\n"),
  async run(ctx) {
    const o = parse(ctx.args);
    if (typeof o === "string") {
      await usageError(ctx, o);
      return 2;
    }
    return ping(ctx, o);
  },
};
export default cmd;
