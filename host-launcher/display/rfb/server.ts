// RFB over TCP: a loopback listener whose connections become broker sessions.
import type { Socket, TCPSocketListener } from "bun";
import type { DisplayBroker } from "../broker.ts";
import type { RfbAuth, RfbSession } from "./session.ts";

export interface RfbServer {
  readonly host: string;
  readonly port: number;
  stop(): void;
}

export function listenRfb(broker: DisplayBroker, auth: RfbAuth, port = 0, host = "127.0.0.1"): RfbServer {
  const listener: TCPSocketListener<{ session?: RfbSession }> = Bun.listen<{ session?: RfbSession }>({
    hostname: host,
    port,
    socket: {
      open(sock: Socket<{ session?: RfbSession }>) {
        sock.data = {};
        sock.data.session = broker.attach(
          {
            write: (b) => {
              const n = sock.write(b);
              const taken = Math.max(n, 0);
              return { taken, blocked: taken < b.length };
            },
            end: () => sock.end(),
          },
          auth,
          `${sock.remoteAddress}:${sock.remotePort}`,
        );
      },
      data(sock, chunk) {
        sock.data.session?.receive(chunk);
      },
      drain(sock) {
        sock.data.session?.drained();
      },
      close(sock) {
        sock.data.session?.closed();
      },
      error(sock, err) {
        broker.log(`rfb socket error: ${err.message}`);
        sock.data.session?.closed();
      },
    },
  });
  return { host, port: listener.port, stop: () => listener.stop(true) };
}
