// A control-protocol client over any byte stream: the host's `tsos ctl` (QEMU's
// virtio-serial socket, the native launcher's vsock) and the guest's own
// commands (/run/tsos/control.sock) share it.
import { encodeFrame, FrameDecoder } from "./frame.ts";
import { SocketWriter } from "./socket-writer.ts";
import { PROTOCOL_VERSION, newTraceId, type Op, type Reply, type StreamEvent } from "./protocol.ts";

export class ControlError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onEvent?: (e: StreamEvent) => void;
}

export interface ByteStream {
  write(bytes: Uint8Array): void;
  close(): void;
}

export class ControlClient {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Map<number, (e: StreamEvent) => void>();
  private decoder = new FrameDecoder();
  private closed: Error | undefined;

  constructor(private readonly stream: ByteStream) {}

  /** Feed bytes received from the transport. */
  receive(bytes: Uint8Array): void {
    for (const d of this.decoder.push(bytes)) {
      if (d.kind !== "message") continue;
      const m = d.value as Reply & StreamEvent;
      if (typeof m.id !== "number") continue;
      if ("event" in m && m.event) {
        this.listeners.get(m.id)?.(m);
        if (m.event === "exit") this.listeners.delete(m.id);
        continue;
      }
      const p = this.pending.get(m.id);
      if (!p) continue;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new ControlError(m.error?.code ?? "error", m.error?.message ?? "request failed"));
    }
  }

  /** The transport ended: fail everything still waiting. */
  end(reason = "control channel closed"): void {
    this.closed = new ControlError("closed", reason);
    for (const p of this.pending.values()) p.reject(this.closed);
    this.pending.clear();
    for (const [id, l] of this.listeners) l({ id, event: "exit", code: null, signal: "channel-closed" });
    this.listeners.clear();
  }

  /** Send a request; `onEvent` receives its stream events (exec output, followed logs). */
  request<T = unknown>(op: Op, args: Record<string, unknown> = {}, onEvent?: (e: StreamEvent) => void, trace = newTraceId()): { id: number; reply: Promise<T> } {
    const id = this.nextId++;
    if (this.closed) return { id, reply: Promise.reject(this.closed) };
    if (onEvent) this.listeners.set(id, onEvent);
    const reply = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent }));
    this.stream.write(encodeFrame({ v: PROTOCOL_VERSION, id, op, trace, ...args }));
    return { id, reply };
  }

  call<T = unknown>(op: Op, args: Record<string, unknown> = {}, trace?: string): Promise<T> {
    return this.request<T>(op, args, undefined, trace).reply;
  }

  /** Stop delivering events for a finished stream. */
  forget(id: number): void {
    this.listeners.delete(id);
  }

  /** Send a message that expects no reply of its own (exec.stdin and friends). */
  notify(op: Op, args: Record<string, unknown>): void {
    if (this.closed) return;
    this.stream.write(encodeFrame({ v: PROTOCOL_VERSION, id: this.nextId++, op, ...args }));
  }

  close(): void {
    this.stream.close();
    this.end();
  }
}

/** Connect to a control endpoint on a unix socket (QEMU's chardev, or the guest's control.sock). */
export async function connectUnix(path: string, timeoutMs = 10_000): Promise<ControlClient> {
  let client: ControlClient | undefined;
  let writer: SocketWriter | undefined;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const sock = await Bun.connect({
        unix: path,
        socket: {
          data: (_s, data) => client!.receive(new Uint8Array(data)),
          drain: () => writer?.drain(),
          close: () => client?.end(),
          error: () => client?.end("control channel error"),
        },
      });
      writer = new SocketWriter(sock);
      const w = writer;
      client = new ControlClient({ write: (b) => w.write(b), close: () => sock.end() });
      return client;
    } catch (e) {
      if (Date.now() > deadline) throw new ControlError("connect", `cannot connect to ${path}: ${(e as Error).message}`);
      await Bun.sleep(100);
    }
  }
}
