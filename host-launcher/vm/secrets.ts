// Per-VM SSH secrets, made once and kept in the VM's directory (0600): a user
// key for `tsos ssh` and the guest's host key, which the launcher hands to the
// guest in vm.json and pins in known_hosts, so there is never a trust prompt.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { utils } from "ssh2";

export interface VmSecrets {
  userKey: string;
  userPub: string;
  hostPrivate: string;
  hostPub: string;
  knownHosts: string;
}

function ensurePair(priv: string, comment: string): { private: string; public: string } {
  if (!existsSync(priv)) {
    const pair = utils.generateKeyPairSync("ed25519", { comment });
    writeFileSync(priv, pair.private, { mode: 0o600 });
    writeFileSync(priv + ".pub", pair.public.trim() + "\n", { mode: 0o644 });
  }
  return { private: readFileSync(priv, "utf8"), public: readFileSync(priv + ".pub", "utf8").trim() };
}

export function ensureVmSecrets(dir: string, name: string): VmSecrets {
  const userKey = join(dir, "id_ed25519");
  const user = ensurePair(userKey, `tsos-${name}`);
  const host = ensurePair(join(dir, "ssh_host_ed25519_key"), `tsos-${name}-host`);
  return { userKey, userPub: user.public, hostPrivate: host.private, hostPub: host.public, knownHosts: join(dir, "known_hosts") };
}

/** known_hosts pinning the guest's host key for the loopback port it is forwarded to. */
export function writeKnownHosts(s: VmSecrets, port: number): void {
  const [type, key] = s.hostPub.split(/\s+/);
  writeFileSync(s.knownHosts, `[127.0.0.1]:${port} ${type} ${key}\n`, { mode: 0o600 });
}

/** A fresh random VNC password (the RFB VNC scheme uses at most 8 characters). */
export function newVncPassword(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => "abcdefghjkmnpqrstuvwxyz23456789"[b % 31]).join("");
}

/** A per-run VNC password, kept 0600 in the VM's directory for the user's VNC client. */
export function writeVncPassword(dir: string): { password: string; file: string } {
  const password = newVncPassword();
  const file = join(dir, "vnc-password");
  writeFileSync(file, password + "\n", { mode: 0o600 });
  return { password, file };
}
