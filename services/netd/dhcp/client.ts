// The DHCPv4 client state machine: DISCOVER -> OFFER -> REQUEST -> ACK, renew
// at T1 (unicast-style REQUEST with ciaddr), rebind at T2 (broadcast), start
// over when the lease runs out or a NAK arrives; retries back off 1 s .. 32 s.
import { buildDhcp, MSG, parseDhcp, type Lease } from "./packet.ts";

export interface DhcpWire {
  send(dhcp: Uint8Array, src?: string): void;
  receive<T>(timeoutMs: number, accept: (payload: Uint8Array) => T | undefined): Promise<T | undefined>;
}

export interface DhcpHooks {
  bound(lease: Lease, why: "bound" | "renewed" | "rebound"): Promise<void>;
  expired(lease: Lease): Promise<void>;
  log(level: "info" | "warn", msg: string): void;
}

export interface DhcpOptions {
  mac: Uint8Array;
  hostname?: string;
  /** Reply wait per attempt. */
  replyTimeoutMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const MIN_LEASE_S = 10;

export class DhcpClient {
  lease: Lease | undefined;
  private stopped = false;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly wire: DhcpWire, private readonly hooks: DhcpHooks, private readonly o: DhcpOptions) {
    this.sleep = o.sleep ?? ((ms) => Bun.sleep(ms));
    this.now = o.now ?? Date.now;
  }

  private xid(): number {
    return (Math.random() * 0xffffffff) >>> 0;
  }

  private sameMac(l: Lease): boolean {
    return l.chaddr.every((b, i) => b === this.o.mac[i]);
  }

  /** Send, then wait for a reply of the wanted types with our xid. */
  private async exchange(msg: Uint8Array, xid: number, types: number[], src?: string): Promise<Lease | undefined> {
    this.wire.send(msg, src);
    return this.wire.receive(this.o.replyTimeoutMs ?? 3000, (p) => {
      const l = parseDhcp(p);
      return l && l.xid === xid && types.includes(l.type) && this.sameMac(l) ? l : undefined;
    });
  }

  /** Get a lease from scratch, retrying with backoff until one arrives or stop(). */
  async acquire(): Promise<Lease | undefined> {
    let backoff = 1000;
    const started = this.now();
    while (!this.stopped) {
      const secs = Math.floor((this.now() - started) / 1000);
      const xid = this.xid();
      const offer = await this.exchange(buildDhcp({ type: MSG.DISCOVER, xid, mac: this.o.mac, hostname: this.o.hostname, secs }), xid, [MSG.OFFER]);
      if (offer?.serverId) {
        const ack = await this.exchange(buildDhcp({ type: MSG.REQUEST, xid, mac: this.o.mac, hostname: this.o.hostname, requestedIp: offer.yiaddr, serverId: offer.serverId, secs }), xid, [MSG.ACK, MSG.NAK]);
        if (ack?.type === MSG.ACK) return ack;
        this.hooks.log("warn", ack ? `NAK from ${offer.serverId} for ${offer.yiaddr}` : `no ACK from ${offer.serverId}`);
      } else {
        this.hooks.log("info", `no DHCP offer yet; retrying in ${backoff} ms`);
      }
      await this.sleep(backoff + Math.floor(Math.random() * 250));
      backoff = Math.min(backoff * 2, this.o.maxBackoffMs ?? 32_000);
    }
    return undefined;
  }

  /** REQUEST for the address we hold: renewing (to our server) or rebinding (anyone). */
  private async extend(l: Lease, mode: "renew" | "rebind"): Promise<Lease | undefined> {
    const xid = this.xid();
    const msg = buildDhcp({ type: MSG.REQUEST, xid, mac: this.o.mac, hostname: this.o.hostname, ciaddr: l.yiaddr });
    const r = await this.exchange(msg, xid, [MSG.ACK, MSG.NAK], l.yiaddr);
    if (r?.type === MSG.NAK) this.hooks.log("warn", `${mode}: NAK; starting over`);
    return r?.type === MSG.ACK ? r : undefined;
  }

  /** Acquire, then keep the lease alive until stop(). */
  async run(): Promise<void> {
    while (!this.stopped) {
      const l = await this.acquire();
      // stop() may land while an exchange is in flight: a stopped client applies nothing.
      if (!l || this.stopped) return;
      this.lease = l;
      await this.hooks.bound(l, "bound");
      await this.keep(l);
    }
  }

  private async keep(first: Lease): Promise<void> {
    let l = first;
    for (;;) {
      const boundAt = this.now();
      const lease = Math.max(MIN_LEASE_S, l.leaseS ?? 3600) * 1000;
      const t1 = (l.t1S ?? lease / 2000) * 1000;
      const t2 = (l.t2S ?? (lease * 0.875) / 1000) * 1000;
      let next: Lease | undefined;
      let why: "renewed" | "rebound" = "renewed";
      while (!next && !this.stopped) {
        const age = this.now() - boundAt;
        if (age >= lease) break;
        const mode = age >= t2 ? "rebind" : age >= t1 ? "renew" : undefined;
        if (!mode) {
          await this.sleep(Math.min(t1 - age, 60_000));
          continue;
        }
        next = await this.extend(l, mode);
        why = mode === "renew" ? "renewed" : "rebound";
        // RFC 2131 4.4.5: retry at half the remaining time, at least 60 s apart.
        if (!next) await this.sleep(Math.max(Math.min(60_000, lease - age), ((mode === "renew" ? t2 : lease) - age) / 2));
      }
      if (this.stopped) return;
      if (!next) {
        this.hooks.log("warn", `lease on ${l.yiaddr} expired`);
        this.lease = undefined;
        await this.hooks.expired(l);
        return;
      }
      l = next;
      this.lease = l;
      await this.hooks.bound(l, why);
    }
  }

  /** Give the address back (DHCPRELEASE) and stop. */
  release(): void {
    this.stopped = true;
    const l = this.lease;
    if (l?.serverId) this.wire.send(buildDhcp({ type: MSG.RELEASE, xid: this.xid(), mac: this.o.mac, ciaddr: l.yiaddr, serverId: l.serverId }), l.yiaddr);
  }

  stop(): void {
    this.stopped = true;
  }
}
