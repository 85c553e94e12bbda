// /etc on a read-only root: init copies the image's /etc into memory, mounts a
// tmpfs over it and writes the files back plus what this boot decides (hostname,
// hosts, resolv.conf), so settings can change at run time without a writable root.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mount, sethostname } from "../lib/ffi/libc.ts";
import { MS_NODEV, MS_NOSUID } from "./mounts.ts";

export function generatedEtc(hostname: string): Record<string, string> {
  return {
    hostname: `${hostname}\n`,
    hosts: `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`,
    // netd rewrites this once DHCP gives servers.
    "resolv.conf": "# written by netd when the network is up\n",
  };
}

export function setupEtc(hostname: string, onError: (m: string) => void): void {
  const saved: Record<string, { data: Buffer; mode: number }> = {};
  try {
    for (const name of readdirSync("/etc")) {
      const p = join("/etc", name);
      const st = statSync(p);
      if (st.isFile()) saved[name] = { data: readFileSync(p), mode: st.mode & 0o777 };
    }
    mount("tmpfs", "/etc", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  } catch (e) {
    onError(`/etc: ${(e as Error).message}`);
  }
  for (const [name, f] of Object.entries(saved)) {
    try {
      writeFileSync(join("/etc", name), f.data, { mode: f.mode });
    } catch (e) {
      onError(`/etc/${name}: ${(e as Error).message}`);
    }
  }
  for (const [name, text] of Object.entries(generatedEtc(hostname))) {
    try {
      writeFileSync(join("/etc", name), text, { mode: 0o644 });
    } catch (e) {
      onError(`/etc/${name}: ${(e as Error).message}`);
    }
  }
  try {
    sethostname(hostname);
  } catch (e) {
    onError(`hostname: ${(e as Error).message}`);
  }
}
