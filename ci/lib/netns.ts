// Run a Bun script in a private network namespace (user + net + mount
// namespaces: no root needed, nothing on the host changes) with its own
// /etc/resolv.conf — so a test can be the DNS server QEMU's user network
// forwards to, and the result does not depend on the host's network.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Why private namespaces are unavailable here, or undefined when they work. */
export function netnsUnavailable(): string | undefined {
  const unshare = Bun.which("unshare");
  if (!unshare) return "no unshare(1) on this host";
  const r = Bun.spawnSync([unshare, "-rnm", "true"], { stderr: "pipe" });
  return r.exitCode === 0 ? undefined : `unshare -rnm failed: ${r.stderr.toString().trim()}`;
}

export async function runInPrivateNet(script: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "tsos-netns-"));
  try {
    const resolv = join(dir, "resolv.conf");
    writeFileSync(resolv, "nameserver 127.0.0.1\n");
    // A new network namespace starts with lo down; iproute2's `ip` brings it up.
    const inner = `mount --bind "$1" /etc/resolv.conf && ip link set lo up && shift && exec "$@"`;
    const p = Bun.spawn(["unshare", "-rnm", "sh", "-c", inner, "sh", resolv, process.execPath, script, ...args], { stdout: "pipe", stderr: "pipe" });
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    clearTimeout(timer);
    return { code, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
