// The host side of virtio-vsock the way Firecracker exposes it: a unix socket where a
// client connects, writes "CONNECT <port>\n", reads "OK <hostport>\n" once the guest
// accepted, and then has a raw byte stream to that guest port (refused: the socket closes).
// `ssh -o ProxyCommand` can ride on it (see host-launcher/cli/ssh.ts).
//
// Public API (stable): serveVsockOnUnixSocket(vsock, path): { close() }   socket mode 0600
import { chmodSync, existsSync, rmSync } from "node:fs";
import { SocketWriter } from "../../../lib/control/socket-writer.ts";
import type { VirtioVsock, VsockConnection } from "./vsock.ts";

/** "CONNECT 65535\n" is 14 bytes; a longer first line is not our protocol. */
const MAX_LINE = 64;

type Client = { buf: string; writer: SocketWriter; conn?: VsockConnection; done: boolean };

export function serveVsockOnUnixSocket(vsock: VirtioVsock, path: string): { close(): void } {
  if (existsSync(path)) rmSync(path);
  const server = Bun.listen<Client>({
    unix: path,
    socket: {
      open(s) {
        s.data = { buf: "", writer: new SocketWriter(s), done: false };
      },
      data(s, d) {
        const st = s.data;
        if (st.conn) return st.conn.send(new Uint8Array(d));
        if (st.done) return;
        st.buf += Buffer.from(d).toString("latin1");
        const nl = st.buf.indexOf("\n");
        if (nl < 0) {
          if (st.buf.length > MAX_LINE) s.end();
          return;
        }
        const m = /^CONNECT (\d{1,10})$/.exec(st.buf.slice(0, nl).trim());
        const rest = Buffer.from(st.buf.slice(nl + 1), "latin1");
        st.buf = "";
        st.done = true;
        if (!m || Number(m[1]) > 0xffffffff) return void s.end();
        st.conn = vsock.connect(Number(m[1]), {
          established: (local) => st.writer.write(Buffer.from(`OK ${local}\n`)),
          data: (b) => st.writer.write(b),
          pending: () => st.writer.pendingBytes,
          peerEnded: () => s.shutdown(),
          closed: () => s.end(),
          pause: () => s.pause(),
          resume: () => s.resume(),
        });
        if (st.conn && rest.length) st.conn.send(rest);
      },
      drain(s) {
        s.data.writer.drain();
        s.data.conn?.hostDrained();
      },
      end(s) {
        s.data.conn?.shutdown();
      },
      close(s) {
        s.data.conn?.shutdown();
      },
    },
  });
  chmodSync(path, 0o600);
  return {
    close() {
      server.stop(true);
      if (existsSync(path)) rmSync(path);
    },
  };
}
