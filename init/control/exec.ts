// `exec`: run a command for the host (or a local client), streaming stdin in and
// stdout/stderr out as events, optionally on a pseudo-terminal.
import type { Subprocess } from "bun";
import type { ExecArgs, StreamEvent } from "../../lib/control/protocol.ts";
import { spawnTracked } from "../proc/spawn.ts";

export interface ExecSession {
  pid: number;
  stdin(data: Uint8Array | null): void;
  signal(sig: string): void;
  resize(cols: number, rows: number): void;
  kill(): void;
}

export function validateExec(a: unknown): ExecArgs {
  const o = a as ExecArgs;
  if (!Array.isArray(o.argv) || o.argv.length === 0 || !o.argv.every((x) => typeof x === "string")) throw new Error("exec needs argv: a non-empty array of strings");
  if (o.env !== undefined && (typeof o.env !== "object" || Object.values(o.env).some((v) => typeof v !== "string"))) throw new Error("exec env must map names to strings");
  if (o.cwd !== undefined && typeof o.cwd !== "string") throw new Error("exec cwd must be a string");
  if (o.pty !== undefined && (!Number.isInteger(o.pty.cols) || !Number.isInteger(o.pty.rows))) throw new Error("exec pty needs integer cols and rows");
  return o;
}

const b64 = (d: Uint8Array) => Buffer.from(d).toString("base64");

export function startExec(id: number, a: ExecArgs, emit: (e: StreamEvent) => void): ExecSession {
  const env = { PATH: "/bin:/sbin:/usr/bin:/usr/sbin", HOME: "/root", TERM: a.pty ? "xterm-256color" : "dumb", ...a.env };
  let proc: Subprocess<any, any, any>;
  if (a.pty) {
    proc = spawnTracked(a.argv, { env, cwd: a.cwd, terminal: { cols: a.pty.cols, rows: a.pty.rows, data: (_t, d) => emit({ id, event: "stdout", data: b64(d) }) } });
  } else {
    proc = spawnTracked(a.argv, { env, cwd: a.cwd, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    const pump = async (s: ReadableStream<Uint8Array>, event: "stdout" | "stderr") => {
      for await (const chunk of s) emit({ id, event, data: b64(chunk) });
    };
    const outs = Promise.all([pump(proc.stdout as ReadableStream<Uint8Array>, "stdout"), pump(proc.stderr as ReadableStream<Uint8Array>, "stderr")]);
    void proc.exited.then(async () => {
      await outs.catch(() => {});
      emit({ id, event: "exit", code: proc.exitCode, signal: proc.signalCode ? String(proc.signalCode) : null });
    });
  }
  if (a.pty) {
    void proc.exited.then(async () => {
      await Bun.sleep(20); // let the PTY's last output arrive before the exit event
      emit({ id, event: "exit", code: proc.exitCode, signal: proc.signalCode ? String(proc.signalCode) : null });
      proc.terminal?.close();
    });
  }
  return {
    pid: proc.pid,
    stdin(data) {
      if (a.pty) {
        if (data) proc.terminal?.write(data);
        else proc.terminal?.write("\x04");
        return;
      }
      const sink = proc.stdin as import("bun").FileSink;
      if (data) sink.write(data);
      else void sink.end();
      void sink.flush();
    },
    signal(sig) {
      proc.kill(sig as NodeJS.Signals);
    },
    resize(cols, rows) {
      proc.terminal?.resize(cols, rows);
    },
    kill() {
      if (proc.exitCode === null) proc.kill("SIGKILL");
    },
  };
}
