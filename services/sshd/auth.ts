// Who may log in: public keys only, from vm.json and the user's own
// authorized_keys; ed25519, ecdsa and RSA of at least 3072 bits. Plus the
// per-source backoff that slows down guessing. Pure, so tests need no server.
import { createHash } from "node:crypto";
import { utils, type ParsedKey } from "ssh2";

export const MIN_RSA_BITS = 3072;

export interface AllowedKey {
  key: ParsedKey;
  fingerprint: string;
  comment: string;
}

export function fingerprint(publicBlob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(publicBlob).digest("base64").replace(/=+$/, "");
}

/** Modulus bits of an ssh-rsa public blob (string "ssh-rsa", mpint e, mpint n). */
export function rsaBits(blob: Buffer): number {
  let off = 0;
  const next = () => {
    const len = blob.readUInt32BE(off);
    const v = blob.subarray(off + 4, off + 4 + len);
    off += 4 + len;
    return v;
  };
  next();
  next();
  const n = next();
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return i === n.length ? 0 : (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

/** Why a key type is refused, or undefined when it is acceptable. */
export function keyPolicy(type: string, blob: Buffer): string | undefined {
  if (type === "ssh-ed25519" || type.startsWith("ecdsa-sha2-nistp")) return undefined;
  if (type === "ssh-rsa") {
    const bits = rsaBits(blob);
    return bits >= MIN_RSA_BITS ? undefined : `RSA key of ${bits} bits (at least ${MIN_RSA_BITS} needed)`;
  }
  return `key type ${type} not accepted`;
}

/** authorized_keys lines -> keys we accept; bad lines are reported, not fatal. */
export function parseAuthorizedKeys(lines: string[]): { keys: AllowedKey[]; problems: string[] } {
  const keys: AllowedKey[] = [];
  const problems: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    // Options before the key type (from="...", no-pty) are not supported; say so.
    const m = /(ssh-ed25519|ecdsa-sha2-nistp\d+|ssh-rsa|ssh-dss|sk-\S+)\s+(\S+)(?:\s+(.*))?$/.exec(line);
    if (!m) {
      problems.push(`unreadable authorized key: ${line.slice(0, 40)}…`);
      continue;
    }
    const parsed = utils.parseKey(`${m[1]} ${m[2]}`);
    if (parsed instanceof Error || Array.isArray(parsed)) {
      problems.push(`bad authorized key (${m[3] ?? m[1]}): ${parsed instanceof Error ? parsed.message : "several keys"}`);
      continue;
    }
    const blob = parsed.getPublicSSH();
    const why = keyPolicy(parsed.type, blob);
    if (why) {
      problems.push(`refused authorized key ${m[3] ?? ""}: ${why}`);
      continue;
    }
    keys.push({ key: parsed, fingerprint: fingerprint(blob), comment: m[3] ?? "" });
  }
  return { keys, problems };
}

export function findKey(keys: AllowedKey[], algo: string, data: Buffer): AllowedKey | undefined {
  return keys.find((k) => k.key.getPublicSSH().equals(data) && (k.key.type === algo || (k.key.type === "ssh-rsa" && algo.startsWith("rsa-sha2"))));
}

/**
 * Failed authentications per source address: after `limit` failures within
 * `windowMs`, that source is refused for `penaltyMs`.
 */
export class SourceBackoff {
  private failures = new Map<string, number[]>();

  constructor(private readonly limit = 5, private readonly windowMs = 60_000, private readonly penaltyMs = 30_000, private readonly now = Date.now) {}

  blocked(ip: string): number {
    const f = (this.failures.get(ip) ?? []).filter((t) => this.now() - t < this.windowMs);
    if (f.length < this.limit) return 0;
    return Math.max(0, f[f.length - 1]! + this.penaltyMs - this.now());
  }

  fail(ip: string): void {
    const f = (this.failures.get(ip) ?? []).filter((t) => this.now() - t < this.windowMs);
    f.push(this.now());
    this.failures.set(ip, f);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(ip: string): void {
    this.failures.delete(ip);
  }
}
