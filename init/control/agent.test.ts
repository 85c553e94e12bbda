// The control agent on the host: a real unix socket, real processes, the real client.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectUnix, type ControlClient } from "../../lib/control/client.ts";
import { encodeFrame } from "../../lib/control/frame.ts";
import { Logger } from "../log/logger.ts";
import { Supervisor } from "../supervisor/supervisor.ts";
import type { AgentContext } from "./agent.ts";
import { serveUnix } from "./transports.ts";

const log = new Logger();
let server: { stop(): void };
let ctl: ControlClient;
const powered: string[] = [];

beforeAll(async () => {
  const sock = join(mkdtempSync(join(tmpdir(), "tsos-agent-")), "control.sock");
  const ctx: AgentContext = {
    log,
    supervisor: new Supervisor([], log),
    power: (mode) => void powered.push(mode),
    quiesce: async () => ({ synced: true }),
    resume: async () => ({}),
    replace: async () => ({}),
  };
  server = serveUnix(sock, ctx);
  ctl = await connectUnix(sock);
});

afterAll(() => {
  ctl.close();
  server.stop();
});

test("exec streams 1 MiB of stdin through cat and back unchanged", async () => {
  const data = new Uint8Array(1 << 20);
  for (let i = 0; i < data.length; i++) data[i] = (i * 131 + (i >> 9)) & 0xff;
  const out: Buffer[] = [];
  let exit!: (c: number | null | undefined) => void;
  const exited = new Promise<number | null | undefined>((r) => (exit = r));
  const { id, reply } = ctl.request("exec", { argv: ["cat"] }, (e) => {
    if (e.event === "stdout") out.push(Buffer.from(e.data!, "base64"));
    if (e.event === "exit") exit(e.code);
  });
  await reply;
  for (let off = 0; off < data.length; off += 48 * 1024) ctl.notify("exec.stdin", { ref: id, data: Buffer.from(data.subarray(off, off + 48 * 1024)).toString("base64") });
  ctl.notify("exec.stdin", { ref: id, eof: true });
  expect(await exited).toBe(0);
  const got = Buffer.concat(out);
  expect(got.length).toBe(data.length);
  expect(createHash("sha256").update(got).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
}, 30_000);

test("garbage is rejected and logged, and the next request is answered", async () => {
  const raw = (ctl as unknown as { stream: { write(b: Uint8Array): void } }).stream;
  raw.write(new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"));
  raw.write(encodeFrame({ hello: "not a request" }));
  raw.write(encodeFrame({ v: 2, id: 5, op: "hello" }));
  const h = await ctl.call<{ rejectedFrames: number }>("hello");
  expect(h.rejectedFrames).toBe(3);
  expect(log.entries({ service: "control" }).filter((e) => e.msg.includes("rejected frame")).length).toBe(3);
});

test("unknown ops and bad exec arguments get error replies", async () => {
  await expect(ctl.call("status" as never, {})).resolves.toBeDefined();
  await expect(ctl.call("exec", { argv: [] })).rejects.toThrow(/argv/);
  await expect(ctl.call("bogus" as never)).rejects.toThrow(/unknown op/);
});

test("shutdown is accepted and handed to the power callback", async () => {
  expect(await ctl.call("shutdown")).toEqual({ accepted: true });
  await Bun.sleep(50);
  expect(powered).toEqual(["poweroff"]);
});
