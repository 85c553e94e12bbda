// The host<->guest control protocol, version 1: requests, replies and stream
// events as JSON objects inside frames (frame.ts). Transport-agnostic: the same
// messages travel over virtio-serial (QEMU), vsock (native launcher) and the
// guest's local unix socket (/run/tsos/control.sock).

export const PROTOCOL_VERSION = 1;

export type Op =
  | "hello"
  | "status"
  | "exec"
  | "exec.stdin"
  | "exec.signal"
  | "exec.resize"
  | "service"
  | "logs"
  | "quiesce"
  | "resume"
  | "shutdown"
  | "reboot";

export interface Request {
  v: number;
  id: number;
  op: Op;
  /** Appears in every guest log line the request causes. */
  trace?: string;
  [arg: string]: unknown;
}

export interface ErrorBody {
  code: string;
  message: string;
}

export type Reply = { id: number | null; ok: true; result: unknown } | { id: number | null; ok: false; error: ErrorBody };

/** Unsolicited messages tied to a request: exec output, exit, followed logs. */
export interface StreamEvent {
  id: number;
  event: "stdout" | "stderr" | "exit" | "log";
  data?: string; // base64 for stdout/stderr
  code?: number | null;
  signal?: string | null;
  entry?: unknown;
}

export interface ExecArgs {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  pty?: { cols: number; rows: number };
}

export interface ServiceArgs {
  action: "start" | "stop" | "restart" | "replace" | "list";
  name?: string;
  /** replace: the new JS bundle, base64, and its SHA-256 in hex. */
  bundle?: string;
  sha256?: string;
}

export function isRequest(v: unknown): v is Request {
  const o = v as Request;
  return !!o && typeof o === "object" && typeof o.v === "number" && typeof o.id === "number" && Number.isSafeInteger(o.id) && typeof o.op === "string";
}

export function newTraceId(): string {
  return Math.random().toString(16).slice(2, 10) + Date.now().toString(16).slice(-6);
}
