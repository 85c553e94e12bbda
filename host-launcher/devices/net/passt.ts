// User-mode networking through Debian's `passt`: it gives the guest DHCPv4, NDP/RA, DHCPv6 and
// DNS forwarding, and forwards loopback TCP ports to the guest (`tsos ssh` uses host:22).
// passt listens on a unix socket and speaks QEMU's stream framing (net/stream.ts).
//
// passt refuses to keep root: started as root it switches to --runas, and that user must be able
// to create its socket, so the socket directory is made and owned by `nobody` in that case.
//
// Public API (stable):
//   startPasst({ forwards?, passt?, mapGateway?, mtu? }): Promise<PasstNet>
//   PasstNet: a NetBackend (send, onFrame) plus close(), pid, socketPath
//   passtArgs(opts, socketPath, asRoot): string[]     the command line, for tests and logs
//   findPasst(): string | undefined                   where passt is installed, if anywhere
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectStream, type StreamBackend } from "./stream.ts";
import { DEFAULT_MTU, type NetBackend } from "../virtio/net.ts";

export interface PasstOptions {
  /** TCP forwards from 127.0.0.1:host to the guest's port. */
  forwards?: { host: number; guest: number }[];
  /** The passt executable (default: found on PATH). */
  passt?: string;
  /**
   * Let the guest reach the host's loopback through the gateway address (passt's default).
   * Off by default: the guest sees the network, not services bound to the host's 127.0.0.1.
   */
  mapGateway?: boolean;
  /** The MTU passt announces (DHCP option 26, RA); keep it equal to VirtioNet's mtu. */
  mtu?: number;
  /** How long to wait for passt's socket (ms). */
  startTimeoutMs?: number;
}

export function findPasst(): string | undefined {
  return Bun.which("passt") ?? undefined;
}

export function passtArgs(opts: PasstOptions, socketPath: string, asRoot: boolean): string[] {
  return [
    opts.passt ?? "passt",
    // Foreground, quiet, and gone when the launcher's connection closes.
    "-f", "-q", "--one-off",
    "--socket", socketPath,
    ...(asRoot ? ["--runas", "nobody"] : []),
    ...(opts.mapGateway ? [] : ["--no-map-gw"]),
    "--mtu", String(opts.mtu ?? DEFAULT_MTU),
    ...(opts.forwards ?? []).flatMap((f) => ["-t", `127.0.0.1/${f.host}:${f.guest}`]),
  ];
}

/** uid/gid of `nobody` from /etc/passwd (65534 on Debian). */
function nobody(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("nobody:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  return { uid: Number(uid ?? 65534), gid: Number(gid ?? 65534) };
}

export class PasstNet implements NetBackend {
  onFrame: ((frame: Uint8Array) => void) | undefined;

  constructor(
    private readonly stream: StreamBackend,
    private readonly proc: ReturnType<typeof Bun.spawn>,
    private readonly dir: string,
    readonly socketPath: string,
  ) {
    stream.onFrame = (f) => this.onFrame?.(f);
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** Resolves with passt's exit code when it exits. */
  get exited(): Promise<number> {
    return this.proc.exited;
  }

  send(frame: Uint8Array): void {
    this.stream.send(frame);
  }

  close(): void {
    this.stream.close();
    this.proc.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function startPasst(opts: PasstOptions = {}): Promise<PasstNet> {
  const exe = opts.passt ?? findPasst();
  if (!exe) throw new Error("passt is not installed (Debian package passt); user-mode networking is unavailable");
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "tsos-passt-"));
  if (asRoot) {
    const { uid, gid } = nobody();
    chownSync(dir, uid, gid);
  }
  const socketPath = join(dir, "passt.sock");
  const proc = Bun.spawn(passtArgs({ ...opts, passt: exe }, socketPath, asRoot), { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  try {
    const deadline = Date.now() + (opts.startTimeoutMs ?? 5000);
    // The socket file appears just before passt listens on it: retry the connect until then.
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`passt exited with ${proc.exitCode}: ${(await new Response(proc.stderr).text()).trim()}`);
      if (existsSync(socketPath)) {
        try {
          return new PasstNet(await connectStream(socketPath), proc, dir, socketPath);
        } catch {
          // not listening yet
        }
      }
      if (Date.now() > deadline) throw new Error(`passt did not listen on ${socketPath} in time`);
      await Bun.sleep(10);
    }
  } catch (e) {
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
