// virtio-console MULTIPORT: the control handshake Linux performs, then bytes between a guest port
// and a unix socket, with lib/control's real client on the host side of the socket.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeFrame, FrameDecoder } from "../../../lib/control/frame.ts";
import { connectUnix } from "../../../lib/control/client.ts";
import { CONTROL_PORT_NAME } from "../../backends/qemu/args.ts";
import { RecordingLine } from "../bus.ts";
import { SimDriver, TestGuest, waitFor, type DriverQueue, type Posted } from "../testing/driver.ts";
import { VirtioMmioTransport } from "./mmio.ts";
import { CONSOLE_EVENT, servePortOnUnixSocket, VirtioConsole } from "./console.ts";

const dir = mkdtempSync(join(tmpdir(), "tsos-console-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ctl(id: number, event: number, value: number): Uint8Array {
  const m = new Uint8Array(8);
  const v = new DataView(m.buffer);
  v.setUint32(0, id, true);
  v.setUint16(4, event, true);
  v.setUint16(6, value, true);
  return m;
}

/** The guest side: posts buffers, reads what the device returned. */
function guestSide() {
  const guest = new TestGuest(2 << 20);
  const dev = new VirtioConsole({ ports: [{ name: CONTROL_PORT_NAME }] });
  const t = new VirtioMmioTransport(dev, { mem: guest.mem, irq: new RecordingLine(), log: () => {} });
  const d = new SimDriver(guest, t);
  d.init();
  const posted = new Map<DriverQueue, Posted[]>();
  const post = (q: DriverQueue, n: number, len: number) => {
    for (let i = 0; i < n; i++) posted.set(q, [...(posted.get(q) ?? []), q.add([{ writable: len }])]);
    q.kick();
  };
  /** The bytes of each used buffer of q since the last call. */
  const received = (q: DriverQueue) =>
    q.usedElems().map((u) => {
      const p = posted.get(q)!.find((x) => x.head === u.id)!;
      return guest.mem.read(p.buffers[0]!.addr, u.len);
    });
  const control = (m: Uint8Array) => {
    d.queue(3).add([{ data: m }]);
    d.queue(3).kick();
  };
  const events = () => received(d.queue(2)).map((m) => ({ id: new DataView(m.buffer).getUint32(0, true), event: m[4], value: m[6], name: new TextDecoder().decode(m.subarray(8)) }));
  return { dev, d, post, received, control, events };
}

describe("virtio-console", () => {
  test("announces one named port and offers MULTIPORT with max_nr_ports = 2", () => {
    const g = guestSide();
    expect(new DataView(g.d.config(4, 4).buffer).getUint32(0, true)).toBe(2);
    // 2 * (max_nr_ports + 1) queues, as Linux's init_vqs expects.
    expect(g.dev.queueSizes.length).toBe(6);
    g.post(g.d.queue(2), 8, 64);
    g.control(ctl(0xffffffff, CONSOLE_EVENT.DEVICE_READY, 1));
    expect(g.events()).toEqual([{ id: 1, event: CONSOLE_EVENT.DEVICE_ADD, value: 0, name: "" }]);
    g.control(ctl(1, CONSOLE_EVENT.PORT_READY, 1));
    expect(g.events()).toEqual([{ id: 1, event: CONSOLE_EVENT.PORT_NAME, value: 1, name: "org.tsos.control" }]);
  });

  test("bytes travel between the guest port and a unix socket; the real control client talks through it", async () => {
    const g = guestSide();
    const path = join(dir, "control.sock");
    const server = servePortOnUnixSocket(g.dev.port(CONTROL_PORT_NAME), path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    g.post(g.d.queue(2), 16, 64);
    g.control(ctl(0xffffffff, CONSOLE_EVENT.DEVICE_READY, 1));
    g.post(g.d.queue(4), 8, 4096);
    g.control(ctl(1, CONSOLE_EVENT.PORT_READY, 1));
    g.control(ctl(1, CONSOLE_EVENT.PORT_OPEN, 1));
    g.events();

    const client = await connectUnix(path, 2000);
    await waitFor(() => g.dev.port(CONTROL_PORT_NAME).hostConnected);
    expect(g.events()).toContainEqual({ id: 1, event: CONSOLE_EVENT.PORT_OPEN, value: 1, name: "" });

    // Host -> guest: the client's request frame arrives whole in the port's receive buffers.
    const reply = client.call<{ pong: boolean }>("hello", { who: "test" });
    const decoder = new FrameDecoder();
    let request: { id: number; op: string } | undefined;
    await waitFor(() => {
      for (const chunk of g.received(g.d.queue(4))) for (const m of decoder.push(chunk)) if (m.kind === "message") request = m.value as typeof request;
      return request !== undefined;
    });
    expect(request).toMatchObject({ op: "hello", who: "test" });

    // Guest -> host: the agent's answer on the port's transmit queue resolves the client's call.
    g.d.queue(5).add([{ data: encodeFrame({ id: request!.id, ok: true, result: { pong: true } }) }]);
    g.d.queue(5).kick();
    expect(await reply).toEqual({ pong: true });

    // A second client is turned away while the first is attached (QEMU's chardev takes one).
    let secondClosed = false;
    await Bun.connect({ unix: path, socket: { data() {}, close: () => void (secondClosed = true) } });
    await waitFor(() => secondClosed, 3000, "the second client to be closed");
    expect(g.dev.port(CONTROL_PORT_NAME).hostConnected).toBe(true);

    // Disconnecting tells the guest (its reads see EOF, as under QEMU).
    client.close();
    await waitFor(() => !g.dev.port(CONTROL_PORT_NAME).hostConnected);
    expect(g.events()).toContainEqual({ id: 1, event: CONSOLE_EVENT.PORT_OPEN, value: 0, name: "" });
    server.close();
  });

  test("data for the guest waits until the guest opens the port", () => {
    const g = guestSide();
    g.post(g.d.queue(2), 8, 64);
    g.control(ctl(0xffffffff, CONSOLE_EVENT.DEVICE_READY, 1));
    g.post(g.d.queue(4), 2, 4);
    const port = g.dev.port(CONTROL_PORT_NAME);
    port.send(new TextEncoder().encode("abcdef"));
    expect(g.received(g.d.queue(4))).toEqual([]);
    g.control(ctl(1, CONSOLE_EVENT.PORT_OPEN, 1));
    // Split across the two 4-byte buffers the guest posted.
    expect(g.received(g.d.queue(4)).map((b) => new TextDecoder().decode(b))).toEqual(["abcd", "ef"]);
  });
});
