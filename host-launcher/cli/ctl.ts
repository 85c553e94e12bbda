// tsos ctl [--vm NAME] OP ...: speak the control protocol to a running VM.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { connectUnix, type ControlClient } from "../../lib/control/client.ts";
import type { StreamEvent } from "../../lib/control/protocol.ts";
import { formatText, type LogEntry } from "../../lib/log/entry.ts";
import { listVms, readVm, vmPaths } from "../vm/registry.ts";
import { parseArgs, UsageError, type Parsed, type VerbSpec } from "./args.ts";

export const ctlSpec: VerbSpec = {
  name: "ctl",
  summary: [
    "Talk to a running VM's init over its control channel. OPs:",
    "  hello | status | quiesce | resume | shutdown | reboot",
    "  exec [--tty] -- ARGV...          run a command; stdin is streamed, exit code is returned",
    "  service list|start|stop|restart NAME",
    "  service replace NAME BUNDLE.js   swap one service's code (rolls back if not ready)",
    "  logs [--service NAME] [--follow]",
  ].join("\n"),
  usage: "tsos ctl [--vm NAME] [--json] OP [ARGS...]",
  options: [
    { name: "vm", help: "which VM (see `tsos list`)", default: "default" },
    { name: "socket", help: "a control socket path instead of a VM name", default: "" },
    { name: "json", help: "print replies as JSON", default: false },
    { name: "tty", short: "t", help: "exec: run on a pseudo-terminal", default: false },
    { name: "env", short: "e", help: "exec: set NAME=VALUE in the command's environment", default: [] },
    { name: "service", help: "logs: only this service", default: "" },
    { name: "follow", short: "f", help: "logs: keep printing new entries", default: false },
    { name: "timeout", help: "seconds to wait for the channel", default: "10" },
  ],
};

async function open(opts: Parsed["opts"]): Promise<ControlClient> {
  if (opts.socket) return connectUnix(String(opts.socket), Number(opts.timeout) * 1000);
  const name = String(opts.vm);
  if (!readVm(name)) {
    const running = listVms().map((v) => v.name);
    throw new UsageError(`no VM named '${name}' is running${running.length ? ` (running: ${running.join(", ")})` : "; start one with 'tsos run' or 'make run'"}`);
  }
  return connectUnix(vmPaths(name).control, Number(opts.timeout) * 1000);
}

function parseEnv(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--env needs NAME=VALUE (got '${p}')`);
    env[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return env;
}

async function execOp(c: ControlClient, argv: string[], tty: boolean, env: Record<string, string>): Promise<number> {
  if (argv.length === 0) throw new UsageError("exec needs a command: tsos ctl exec -- uname -r");
  let done!: (e: StreamEvent) => void;
  const exited = new Promise<StreamEvent>((r) => (done = r));
  const pty = tty ? { cols: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 } : undefined;
  const { id, reply } = c.request("exec", { argv, pty, env }, (e) => {
    if (e.event === "stdout") process.stdout.write(Buffer.from(e.data!, "base64"));
    else if (e.event === "stderr") process.stderr.write(Buffer.from(e.data!, "base64"));
    else if (e.event === "exit") done(e);
  });
  await reply;
  // Stream our stdin unless it is a terminal we are not forwarding.
  if (tty || !process.stdin.isTTY) {
    if (tty && process.stdin.isTTY) process.stdin.setRawMode(true);
    void (async () => {
      for await (const chunk of process.stdin) c.notify("exec.stdin", { ref: id, data: Buffer.from(chunk).toString("base64") });
      c.notify("exec.stdin", { ref: id, eof: true });
    })();
  } else {
    c.notify("exec.stdin", { ref: id, eof: true });
  }
  const e = await exited;
  if (tty && process.stdin.isTTY) process.stdin.setRawMode(false);
  if (e.signal === "channel-closed") throw new Error("the control channel closed before the command finished");
  return e.code ?? 128 + 1;
}

export async function ctlMain(argv: string[]): Promise<number> {
  const { opts, rest } = parseArgs(ctlSpec, argv);
  const [op, ...args] = rest;
  if (!op) throw new UsageError(`an OP is needed\n${ctlSpec.summary}`);
  const c = await open(opts);
  const print = (v: unknown) => console.log(opts.json ? JSON.stringify(v) : typeof v === "string" ? v : JSON.stringify(v, null, 2));
  try {
    switch (op) {
      case "hello":
      case "status":
      case "quiesce":
      case "resume":
      case "shutdown":
      case "reboot":
        print(await c.call(op));
        return 0;
      case "exec":
        return await execOp(c, args, opts.tty === true, parseEnv(opts.env as string[]));
      case "service": {
        const [action = "list", name, file] = args;
        if (action === "replace") {
          if (!name || !file) throw new UsageError("usage: tsos ctl service replace NAME BUNDLE.js");
          const bundle = readFileSync(file);
          print(await c.call("service", { action, name, bundle: bundle.toString("base64"), sha256: createHash("sha256").update(bundle).digest("hex") }));
          return 0;
        }
        print(await c.call("service", { action, name }));
        return 0;
      }
      case "logs": {
        const show = (e: LogEntry) => console.log(opts.json ? JSON.stringify(e) : formatText(e));
        const req = c.request<{ entries: LogEntry[] }>("logs", { service: opts.service || undefined, follow: opts.follow === true, limit: 500 }, (ev) => {
          if (ev.event === "log") show(ev.entry as LogEntry);
        });
        for (const e of (await req.reply).entries) show(e);
        if (opts.follow) await new Promise(() => {});
        return 0;
      }
      default:
        throw new UsageError(`unknown OP '${op}'\n${ctlSpec.summary}`);
    }
  } finally {
    c.close();
  }
}
