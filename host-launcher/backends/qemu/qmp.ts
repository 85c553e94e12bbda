// A QMP (QEMU Machine Protocol) client over the VM's unix socket: greeting,
// qmp_capabilities, then one command at a time. Tests use it to act on the
// virtual hardware (pull the network cable, send keys) the way a user would.
import { connect, type Socket } from "node:net";

export class QmpError extends Error {
  constructor(readonly cls: string, message: string) {
    super(`qmp: ${cls}: ${message}`);
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class Qmp {
  private buf = "";
  private queue: Pending[] = [];
  private greeted!: Promise<void>;
  /** Asynchronous events QEMU sent (e.g. NIC_RX_FILTER_CHANGED), oldest first. */
  readonly events: { event: string; data?: unknown }[] = [];

  private constructor(private readonly sock: Socket) {}

  static async connect(path: string, timeoutMs = 10_000): Promise<Qmp> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const sock = await new Promise<Socket>((resolve, reject) => {
          const s = connect(path, () => resolve(s));
          s.once("error", reject);
        });
        const q = new Qmp(sock);
        q.start();
        await q.greeted;
        await q.execute("qmp_capabilities");
        return q;
      } catch (e) {
        if (Date.now() > end) throw new Error(`qmp: cannot connect to ${path}: ${(e as Error).message}`);
        await Bun.sleep(100);
      }
    }
  }

  private start(): void {
    let greet!: () => void;
    this.greeted = new Promise((r) => (greet = r));
    this.sock.setEncoding("utf8");
    this.sock.on("data", (chunk: string) => {
      this.buf += chunk;
      for (let nl = this.buf.indexOf("\n"); nl >= 0; nl = this.buf.indexOf("\n")) {
        const line = this.buf.slice(0, nl).trim();
        this.buf = this.buf.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as { QMP?: unknown; event?: string; data?: unknown; return?: unknown; error?: { class: string; desc: string } };
        if (msg.QMP) greet();
        else if (msg.event) this.events.push({ event: msg.event, data: msg.data });
        else {
          const p = this.queue.shift();
          if (msg.error) p?.reject(new QmpError(msg.error.class, msg.error.desc));
          else p?.resolve(msg.return);
        }
      }
    });
    this.sock.on("close", () => {
      for (const p of this.queue.splice(0)) p.reject(new Error("qmp: connection closed"));
    });
  }

  /** Run one command; resolves with its "return" value, rejects with QEMU's error. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ resolve: resolve as (v: unknown) => void, reject });
      this.sock.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + "\n");
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
