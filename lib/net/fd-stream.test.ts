import { afterAll, expect, test } from "bun:test";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AF_UNIX, connect, socket, SOCK_STREAM } from "../ffi/libc.ts";
import { SocketWriter } from "../control/socket-writer.ts";
import { until } from "../testing/until.ts";
import { FdStream } from "./fd-stream.ts";
import { sockaddrUn } from "./sockaddr.ts";

// A foreign fd (made through libc, as sshd's vsock fds are) adopted as a Duplex.
// AF_UNIX stands in for AF_VSOCK here: this host has no vsock transport.
const dir = mkdtempSync(join(tmpdir(), "tsos-fdstream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

test("1 MiB each way through an FdStream with equal SHA-256, then a clean end", async () => {
  const path = join(dir, "echo.sock");
  const got: Buffer[] = [];
  let serverEnded!: () => void;
  const ended = new Promise<void>((r) => (serverEnded = r));
  const w = randomBytes(1 << 20);
  let writer!: SocketWriter;
  const srv = Bun.listen({
    unix: path,
    socket: {
      data(_s, d) {
        got.push(Buffer.from(d));
      },
      // After its own shutdown() Bun reports the peer's end as close.
      close() {
        serverEnded();
      },
      open(s) {
        writer = new SocketWriter(s);
        writer.write(w);
        if (!writer.pendingBytes) s.shutdown();
      },
      drain(s) {
        writer.drain();
        if (!writer.pendingBytes) s.shutdown();
      },
    },
  });
  const fd = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(fd, sockaddrUn(path));
  const stream = new FdStream(fd, "unix:test", "unix");
  expect(stream.remoteAddress).toBe("unix:test");
  const up = randomBytes(1 << 20);
  const down: Buffer[] = [];
  stream.on("data", (d: Buffer) => down.push(d));
  const readEnd = new Promise<void>((r) => stream.on("end", r));
  stream.end(up);
  await Promise.all([readEnd, ended]);
  expect(sha(Buffer.concat(got))).toBe(sha(up));
  expect(sha(Buffer.concat(down))).toBe(sha(w));
  srv.stop(true);
}, 20_000);

test("ssh2 Server.injectSocket and Client({ sock }) both run over FdStreams (sshd's vsock path)", async () => {
  const { Server, Client, utils } = await import("ssh2");
  const host = utils.generateKeyPairSync("ed25519");
  const server = new Server({ hostKeys: [host.private] }, (client, info) => {
    client.on("authentication", (ctx) => (ctx.method === "none" ? ctx.accept() : ctx.reject()));
    client.on("ready", () => client.on("session", (accept) => accept().on("exec", (acc) => {
      const ch = acc();
      ch.write(`from ${info.ip}\n`);
      ch.exit(0);
      ch.end();
    })));
  });
  const path = join(dir, "ssh.sock");
  // Two libc-made client fds, paired by a relay: one is the server's connection, one the client's.
  const relay = Bun.listen<{ peer?: Bun.Socket<{ peer?: unknown }> }>({
    unix: path,
    socket: {
      open(s) {
        pending.push(s);
        if (pending.length === 2) {
          pending[0]!.data = { peer: pending[1] };
          pending[1]!.data = { peer: pending[0] };
        }
      },
      data(s, d) {
        (s.data?.peer as Bun.Socket | undefined)?.write(d);
      },
      close(s) {
        (s.data?.peer as Bun.Socket | undefined)?.end();
      },
    },
  });
  const pending: Bun.Socket<{ peer?: unknown }>[] = [];
  const dial = () => {
    const fd = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(fd, sockaddrUn(path));
    return fd;
  };
  const a = dial();
  const b = dial();
  await until(() => pending.length === 2 && pending[0]!.data?.peer !== undefined, 3000, "the relay to pair both sockets");
  server.injectSocket(new FdStream(a, "vsock:1") as never);
  const out = await new Promise<string>((resolve, reject) => {
    const c = new Client();
    c.on("ready", () => c.exec("x", (err, ch) => {
      if (err) return reject(err);
      let s = "";
      ch.on("data", (d: Buffer) => (s += d));
      ch.on("close", () => (c.end(), resolve(s)));
    }));
    c.on("error", reject);
    c.connect({ sock: new FdStream(b, "vsock:2") as never, username: "u", hostVerifier: () => true });
  });
  expect(out).toBe("from vsock:1\n");
  relay.stop(true);
}, 20_000);
