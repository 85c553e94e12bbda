// Where control connections come from. The agent (agent.ts) is the same for all:
//  - a virtio-serial port (QEMU's harness): /dev/virtio-ports/org.tsos.control
//  - a unix socket inside the guest for local commands: /run/tsos/control.sock
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { SocketWriter } from "../../lib/control/socket-writer.ts";
import type { Logger } from "../log/logger.ts";
import { Connection, type AgentContext } from "./agent.ts";

export const VIRTIO_PORT_NAME = "org.tsos.control";

/**
 * udev would link /dev/virtio-ports/NAME; tsos has no udev, so find the port
 * whose sysfs name matches and use its /dev/vportNpM node.
 */
export function findVirtioPort(name: string, sysClass = "/sys/class/virtio-ports"): string | undefined {
  try {
    for (const port of readdirSync(sysClass)) {
      try {
        if (readFileSync(`${sysClass}/${port}/name`, "utf8").trim() === name) return `/dev/${port}`;
      } catch {
        // a port without a name
      }
    }
  } catch {
    // no virtio-serial device at all
  }
  return undefined;
}
export const LOCAL_SOCKET = "/run/tsos/control.sock";

export function serveUnix(path: string, ctx: AgentContext): { stop(): void } {
  if (existsSync(path)) rmSync(path);
  type Data = { conn: Connection; writer: SocketWriter };
  const server = Bun.listen<Data>({
    unix: path,
    socket: {
      open(s) {
        const writer = new SocketWriter(s);
        s.data = { writer, conn: new Connection(ctx, "local", (b) => writer.write(b)) };
      },
      data(s, d) {
        s.data.conn.receive(new Uint8Array(d));
      },
      drain(s) {
        s.data.writer.drain();
      },
      close(s) {
        s.data.conn.close();
      },
      error(s) {
        s.data?.conn.close();
      },
    },
  });
  return { stop: () => server.stop(true) };
}

/**
 * A virtio-serial port is one long-lived byte stream. A read of 0 bytes means
 * the host end is not connected: drop that session's state and look again later.
 */
export function serveVirtioSerial(name: string, ctx: AgentContext, log: Logger): void {
  void (async () => {
    const path = findVirtioPort(name);
    if (!path) {
      log.info("control", `no virtio-serial port named ${name}; host control over virtio-serial is off`);
      return;
    }
    const fh = await open(path, "r+");
    log.info("control", `listening on ${path} (${name})`);
    let writes: Promise<unknown> = Promise.resolve();
    // virtio_console accepts at most 32 KiB per write(2): keep writing the rest.
    const writeAll = async (b: Uint8Array) => {
      for (let off = 0; off < b.length; ) off += (await fh.write(b, off, b.length - off)).bytesWritten;
    };
    const send = (b: Uint8Array) => {
      writes = writes.then(() => writeAll(b)).catch((e) => log.warn("control", `virtio port write: ${(e as Error).message}`));
    };
    let conn = new Connection(ctx, "host", send);
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      let n = 0;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
      } catch (e) {
        log.warn("control", `virtio port read: ${(e as Error).message}`);
      }
      if (n > 0) {
        conn.receive(buf.subarray(0, n));
        continue;
      }
      conn.close();
      conn = new Connection(ctx, "host", send);
      await Bun.sleep(500);
    }
  })().catch((e) => log.error("control", `virtio-serial transport stopped: ${(e as Error).message}`));
}
