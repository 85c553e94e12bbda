// sshd: the ssh2 server. Public-key authentication only (keys from vm.json and
// the user's ~/.ssh/authorized_keys); password and keyboard-interactive are
// refused; limits on connections and attempts; every decision is logged with
// the key's fingerprint. Port forwarding is off unless vm.json enables it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Server, type Connection } from "ssh2";
import { lookupUser } from "../../init/supervisor/users.ts";
import { findKey, parseAuthorizedKeys, SourceBackoff, type AllowedKey } from "./auth.ts";
import { hostKey } from "./hostkey.ts";
import { handleSession } from "./session.ts";
import { listenVsock } from "./vsock.ts";

export const PORT = 22;
const MAX_CONNECTIONS = 64;
const MAX_AUTH_ATTEMPTS = 6;
const VM_JSON = "/run/tsos/vm.json";

interface SshdConfig {
  authorizedKeys: string[];
  hostKeys: Record<string, string>;
  /** Listen on vsock port 22 as well (vm.json "ssh": { "vsock": false } turns it off). */
  vsock: boolean;
}

function readConfig(): SshdConfig {
  try {
    const c = JSON.parse(readFileSync(VM_JSON, "utf8")) as Partial<SshdConfig> & { ssh?: { vsock?: boolean } };
    return { authorizedKeys: c.authorizedKeys ?? [], hostKeys: c.hostKeys ?? {}, vsock: c.ssh?.vsock !== false };
  } catch {
    return { authorizedKeys: [], hostKeys: {}, vsock: true };
  }
}

function keysFor(user: string, fromConfig: string[], log: (m: string) => void): AllowedKey[] {
  const lines = user === "root" ? [...fromConfig] : [];
  try {
    const home = lookupUser(user).home;
    const file = join(home, ".ssh", "authorized_keys");
    if (existsSync(file)) lines.push(...readFileSync(file, "utf8").split("\n"));
  } catch {
    return [];
  }
  const { keys, problems } = parseAuthorizedKeys(lines);
  for (const p of problems) log(p);
  return keys;
}

export async function main(): Promise<number> {
  const log = (m: string) => console.log(m);
  const cfg = readConfig();
  const backoff = new SourceBackoff();
  let open = 0;
  const server = new Server({ hostKeys: [hostKey(cfg.hostKeys.ed25519, log)], ident: "tsos_sshd" }, (client: Connection, info) => {
    const ip = info.ip;
    if (open >= MAX_CONNECTIONS) {
      log(`refused ${ip}: ${MAX_CONNECTIONS} connections open`);
      return client.end();
    }
    const wait = backoff.blocked(ip);
    if (wait) {
      log(`refused ${ip}: too many failed logins; try again in ${Math.ceil(wait / 1000)} s`);
      return client.end();
    }
    open++;
    let attempts = 0;
    let user: ReturnType<typeof lookupUser> | undefined;
    client.on("authentication", (ctx) => {
      const deny = (why: string) => {
        log(`auth ${ctx.method} for ${ctx.username} from ${ip}: refused (${why})`);
        if (ctx.method !== "none") backoff.fail(ip);
        if (++attempts >= MAX_AUTH_ATTEMPTS) {
          log(`closing ${ip}: ${MAX_AUTH_ATTEMPTS} failed attempts`);
          return client.end();
        }
        ctx.reject(["publickey"]);
      };
      if (ctx.method !== "publickey") return deny(ctx.method === "none" ? "no method" : `${ctx.method} authentication is disabled`);
      let u;
      try {
        u = lookupUser(ctx.username);
      } catch {
        return deny("unknown user");
      }
      const k = findKey(keysFor(u.name, cfg.authorizedKeys, log), ctx.key.algo, ctx.key.data);
      if (!k) return deny(`key not authorized`);
      if (!ctx.signature) return ctx.accept(); // the client asks whether this key would do
      if (k.key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true) return deny(`bad signature for ${k.fingerprint}`);
      log(`auth publickey for ${u.name} from ${ip}: accepted ${k.key.type} ${k.fingerprint} ${k.comment}`.trim());
      backoff.succeed(ip);
      user = u;
      ctx.accept();
    });
    client.on("ready", () => {
      const u = user!;
      client.on("session", (accept) => handleSession(accept(), { ...u, shell: "/bin/sh" }, log));
      client.on("tcpip", (_a, reject) => reject());
      client.on("request", (_a, reject, name) => {
        log(`${u.name}: refused ${name} (port forwarding is off)`);
        reject?.();
      });
    });
    client.on("error", (e) => log(`${ip}: ${e.message}`));
    client.on("close", () => open--);
  });
  await new Promise<void>((resolve, reject) => {
    server.on("error", reject);
    server.listen(PORT, "::", () => resolve());
  });
  log(`listening on port ${PORT} (IPv4 and IPv6)`);
  if (!cfg.vsock) log("sshd: vsock listener off (vm.json ssh.vsock is false)");
  else {
    // The same Server: vsock connections take the TCP path (limits, backoff, logs).
    const v = listenVsock(PORT, (s) => server.injectSocket(s as never), log);
    log(typeof v === "string" ? `sshd: not listening on vsock: ${v}` : `sshd: listening on vsock port ${PORT}`);
  }
  await new Promise(() => {});
  return 0;
}
