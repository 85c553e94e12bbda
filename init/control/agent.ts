// The control agent: one Connection per channel (virtio-serial port, vsock or
// local unix socket). Malformed input gets an error reply, is logged, and never
// throws out of here.
import { encodeFrame, FrameDecoder } from "../../lib/control/frame.ts";
import { isRequest, PROTOCOL_VERSION, type Reply, type Request, type StreamEvent } from "../../lib/control/protocol.ts";
import type { LogFilter } from "../../lib/log/entry.ts";
import type { Logger } from "../log/logger.ts";
import type { Supervisor } from "../supervisor/supervisor.ts";
import { startExec, validateExec, type ExecSession } from "./exec.ts";
import { serviceOp } from "./service-op.ts";
import { systemStatus } from "./status.ts";

export interface AgentContext {
  log: Logger;
  supervisor: Supervisor;
  power(mode: "poweroff" | "reboot", trace?: string): void;
  quiesce(trace?: string): Promise<unknown>;
  resume(trace?: string): Promise<unknown>;
  replace(name: string, bundleB64: string, sha256: string, trace?: string): Promise<unknown>;
}

export const CAPABILITIES = ["hello", "status", "exec", "exec.stdin", "exec.signal", "exec.resize", "service", "logs", "quiesce", "resume", "shutdown", "reboot"] as const;

class RequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class Connection {
  private decoder = new FrameDecoder();
  private execs = new Map<number, ExecSession>();
  private follows = new Set<() => void>();
  private rejects = 0;

  constructor(
    private readonly ctx: AgentContext,
    private readonly channel: string,
    private readonly send: (bytes: Uint8Array) => void,
  ) {}

  receive(bytes: Uint8Array): void {
    for (const d of this.decoder.push(bytes)) {
      if (d.kind === "reject") {
        this.reject(null, "malformed", d.reason);
        continue;
      }
      if (!isRequest(d.value)) {
        const id = typeof (d.value as { id?: unknown })?.id === "number" ? (d.value as { id: number }).id : null;
        this.reject(id, "malformed", "not a request: needs numeric v and id and a string op");
        continue;
      }
      void this.dispatch(d.value);
    }
  }

  /** The channel went away: stop its commands and followers. */
  close(): void {
    for (const e of this.execs.values()) e.kill();
    this.execs.clear();
    for (const stop of this.follows) stop();
    this.follows.clear();
  }

  private reject(id: number | null, code: string, message: string): void {
    this.rejects++;
    this.ctx.log.warn("control", `${this.channel}: rejected frame (${code}): ${message}`);
    this.write({ id, ok: false, error: { code, message } });
  }

  private write(m: Reply | StreamEvent): void {
    try {
      this.send(encodeFrame(m));
    } catch (e) {
      this.ctx.log.error("control", `${this.channel}: cannot send: ${(e as Error).message}`);
    }
  }

  private async dispatch(r: Request): Promise<void> {
    const trace = typeof r.trace === "string" ? r.trace.slice(0, 64) : undefined;
    if (r.v !== PROTOCOL_VERSION) return this.reject(r.id, "version", `protocol version ${r.v} unsupported; this agent speaks ${PROTOCOL_VERSION}`);
    if (!r.op.startsWith("exec.")) this.ctx.log.info("control", `${this.channel}: ${r.op}${r.op === "exec" ? " " + JSON.stringify((r as { argv?: unknown }).argv) : ""}`, trace);
    try {
      const result = await this.run(r, trace);
      if (result !== NO_REPLY) this.write({ id: r.id, ok: true, result });
    } catch (e) {
      const code = e instanceof RequestError ? e.code : "failed";
      this.ctx.log.warn("control", `${this.channel}: ${r.op} failed: ${(e as Error).message}`, trace);
      this.write({ id: r.id, ok: false, error: { code, message: (e as Error).message } });
    }
  }

  private async run(r: Request, trace?: string): Promise<unknown> {
    const { ctx } = this;
    switch (r.op) {
      case "hello":
        return { version: PROTOCOL_VERSION, agent: "tsos-init", capabilities: CAPABILITIES, rejectedFrames: this.rejects };
      case "status":
        return systemStatus(ctx.supervisor);
      case "exec": {
        const args = validateExec(r);
        const session = startExec(r.id, args, (ev) => {
          this.write(ev);
          if (ev.event === "exit") {
            this.execs.delete(r.id);
            ctx.log.info("control", `${this.channel}: exec ${args.argv[0]} exited ${ev.signal ?? ev.code}`, trace);
          }
        });
        this.execs.set(r.id, session);
        return { pid: session.pid };
      }
      case "exec.stdin":
      case "exec.signal":
      case "exec.resize": {
        const ref = (r as { ref?: unknown }).ref;
        const s = typeof ref === "number" ? this.execs.get(ref) : undefined;
        if (!s) return NO_REPLY; // the command already exited; late input is dropped
        if (r.op === "exec.stdin") {
          const data = (r as { data?: unknown }).data;
          if (typeof data === "string") s.stdin(Buffer.from(data, "base64"));
          if ((r as { eof?: unknown }).eof === true) s.stdin(null);
        } else if (r.op === "exec.signal") {
          const sig = String((r as { signal?: unknown }).signal ?? "SIGTERM");
          if (!/^SIG[A-Z0-9]+$/.test(sig)) throw new RequestError("bad-args", `bad signal name ${sig}`);
          s.signal(sig);
        } else {
          const { cols, rows } = r as { cols?: unknown; rows?: unknown };
          if (Number.isInteger(cols) && Number.isInteger(rows)) s.resize(cols as number, rows as number);
        }
        return NO_REPLY;
      }
      case "service":
        return serviceOp(ctx, r, trace);
      case "logs": {
        const f = r as { service?: unknown; trace?: unknown; limit?: unknown; follow?: unknown; match?: unknown };
        const filter: LogFilter = { service: typeof f.service === "string" ? f.service : undefined, trace: typeof f.match === "string" ? f.match : undefined };
        const limit = typeof f.limit === "number" ? f.limit : 200;
        if (f.follow === true) {
          const stop = ctx.log.follow((entry) => {
            if ((!filter.service || entry.service === filter.service) && (!filter.trace || entry.trace === filter.trace)) this.write({ id: r.id, event: "log", entry });
          });
          this.follows.add(stop);
        }
        return { entries: ctx.log.entries(filter, limit) };
      }
      case "quiesce":
        return ctx.quiesce(trace);
      case "resume":
        return ctx.resume(trace);
      case "shutdown":
      case "reboot":
        setTimeout(() => ctx.power(r.op === "reboot" ? "reboot" : "poweroff", trace), 10);
        return { accepted: true };
      default:
        throw new RequestError("unknown-op", `unknown op '${r.op}'; this agent knows ${CAPABILITIES.join(", ")}`);
    }
  }
}

const NO_REPLY = Symbol("no reply");
