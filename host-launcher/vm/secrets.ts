// Per-VM secrets, made once and kept in the VM's directory (0600): a user
// key for `tsos ssh` and the guest's host key, which the launcher hands to the
// guest in vm.json and pins in known_hosts, so there is never a trust prompt;
// and the password VNC viewers give the display broker.
import { randomInt } from "node:crypto";
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

const VNC_PASSWORD_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/**
 * The VM's VNC password in `dir`/vnc_password (0600). Eight characters,
 * because RFB's DES authentication uses no more; unambiguous ones, because
 * people type it into viewers.
 */
export function ensureVncPassword(dir: string): string {
  const path = join(dir, "vnc_password");
  if (!existsSync(path)) {
    const pw = Array.from({ length: 8 }, () => VNC_PASSWORD_CHARS[randomInt(VNC_PASSWORD_CHARS.length)]).join("");
    writeFileSync(path, pw + "\n", { mode: 0o600, flag: "wx" });
  }
  return readFileSync(path, "utf8").trim();
}
