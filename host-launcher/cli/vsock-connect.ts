// tsos vsock-connect --socket PATH --port N: stdin/stdout <-> a guest vsock port through
// the native launcher's Firecracker-style socket ("CONNECT N\n", "OK <hostport>\n").
// Meant as ssh's ProxyCommand (`tsos ssh --vsock`), so ssh works with no guest network.
import { parseArgs, UsageError, type VerbSpec } from "./args.ts";

export const vsockConnectSpec: VerbSpec = {
  name: "vsock-connect",
  summary: "Connect stdin/stdout to a guest vsock port through a kvm VM's vsock.sock (an ssh ProxyCommand).",
  usage: "tsos vsock-connect --socket PATH --port N",
  options: [
    { name: "socket", help: "the VM's vsock host socket", default: "" },
    { name: "port", help: "guest vsock port", default: "22" },
  ],
};

/** Opens the stream; resolves once the guest accepted, rejects with the reason otherwise. */
export function vsockConnect(path: string, port: number, onData: (b: Uint8Array) => void, onEnd: () => void): Promise<{ write(b: Uint8Array): void; end(): void }> {
  return new Promise((resolve, reject) => {
    let line = "";
    let open = false;
    Bun.connect({
      unix: path,
      socket: {
        open(s) {
          s.write(`CONNECT ${port}\n`);
        },
        data(s, d) {
          if (open) return onData(d);
          line += Buffer.from(d).toString("latin1");
          const nl = line.indexOf("\n");
          if (nl < 0) return;
          if (!/^OK \d+$/.test(line.slice(0, nl))) return reject(new Error(`unexpected answer ${JSON.stringify(line.slice(0, nl))}`));
          open = true;
          resolve({ write: (b) => void s.write(b), end: () => s.shutdown() });
          const rest = Buffer.from(line.slice(nl + 1), "latin1");
          if (rest.length) onData(rest);
        },
        close() {
          if (!open) reject(new Error(`guest port ${port} refused the connection (is the service listening on vsock?)`));
          else onEnd();
        },
      },
    }).catch(reject);
  });
}

export async function vsockConnectMain(argv: string[]): Promise<number> {
  const { opts } = parseArgs(vsockConnectSpec, argv);
  const port = Number(opts.port);
  if (!opts.socket) throw new UsageError("--socket is required");
  if (!Number.isInteger(port) || port < 0 || port > 0xffffffff) throw new UsageError(`bad --port ${opts.port}`);
  let done!: () => void;
  const ended = new Promise<void>((r) => (done = r));
  const conn = await vsockConnect(String(opts.socket), port, (b) => process.stdout.write(b), done);
  process.stdin.on("data", (b: Buffer) => conn.write(b));
  process.stdin.on("end", () => conn.end());
  await ended;
  return 0;
}
