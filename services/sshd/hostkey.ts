// The server's Ed25519 host key: from vm.json when the launcher provides one
// (so the host can pin it), otherwise generated once per boot into /run.
// (Kept across boots once the persistent state disk exists.)
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { utils } from "ssh2";

export const GENERATED_KEY = "/run/tsos/ssh_host_ed25519_key";

export function hostKey(fromConfig: string | undefined, log: (m: string) => void): string {
  if (fromConfig) return fromConfig;
  if (existsSync(GENERATED_KEY)) return readFileSync(GENERATED_KEY, "utf8");
  const pair = utils.generateKeyPairSync("ed25519");
  writeFileSync(GENERATED_KEY, pair.private, { mode: 0o600 });
  writeFileSync(GENERATED_KEY + ".pub", pair.public + "\n", { mode: 0o644 });
  log("generated a host key (no hostKeys.ed25519 in vm.json)");
  return pair.private;
}
