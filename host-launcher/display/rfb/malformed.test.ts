// Hostile and broken clients: each is disconnected with a logged reason, the
// server stays up, and the real gvnccapture client still works afterwards.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DisplayBroker } from "../broker.ts";
import { hasGvnccapture, readPng, vncCapture } from "../../../ci/lib/vnc.ts";
import { paintDesktop, RawPeer, RecordingSink, rfbHandshake, syntheticScreen } from "../test-support.ts";
import { vncAuthResponse } from "./auth.ts";
import { listenRfb, type RfbServer } from "./server.ts";

const PASSWORD = "hunter22";

/** Connected and past the version exchange, at the security-type choice. */
async function atSecurity(port: number): Promise<RawPeer> {
  const p = await RawPeer.connect(port);
  await p.read(12);
  p.send("RFB 003.008\n");
  await p.read(2);
  return p;
}

async function authenticated(port: number): Promise<RawPeer> {
  const p = await RawPeer.connect(port);
  await rfbHandshake(p, PASSWORD);
  return p;
}

describe("RFB server against malformed clients", () => {
  const { fb } = syntheticScreen(320, 200);
  const logs: string[] = [];
  let broker: DisplayBroker;
  let server: RfbServer;

  beforeAll(() => {
    paintDesktop(fb);
    broker = new DisplayBroker({ framebuffer: fb, input: new RecordingSink(), log: (l) => logs.push(l), maxClients: 4, handshakeMs: 1500 });
    server = listenRfb(broker, { password: PASSWORD });
  });
  afterAll(() => {
    broker.close();
    server.stop();
  });

  const cases: [string, (port: number) => Promise<RawPeer>, RegExp][] = [
    ["raw TCP garbage instead of a version", async (port) => {
      const p = await RawPeer.connect(port);
      p.send(crypto.getRandomValues(new Uint8Array(4096)));
      return p;
    }, /unsupported protocol version/],
    ["an RFB 3.3 client", async (port) => {
      const p = await RawPeer.connect(port);
      p.send("RFB 003.003\n");
      return p;
    }, /unsupported protocol version "RFB 003.003\\n"/],
    ["a security type that was not offered", async (port) => {
      const p = await atSecurity(port);
      p.send(Uint8Array.of(1)); // None, while only VNC auth is offered
      return p;
    }, /security type 1 was not offered/],
    ["a wrong password", async (port) => {
      const p = await atSecurity(port);
      p.send(Uint8Array.of(2));
      p.send(vncAuthResponse("guess", await p.read(16)));
      expect([...(await p.read(4))]).toEqual([0, 0, 0, 1]); // SecurityResult failed, with a reason
      return p;
    }, /authentication failed/],
    ["a 2 GiB ClientCutText", async (port) => {
      const p = await authenticated(port);
      p.send(Uint8Array.of(6, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff));
      return p;
    }, /ClientCutText of 2147483647 bytes exceeds/],
    ["an unknown message type", async (port) => {
      const p = await authenticated(port);
      p.send(Uint8Array.of(99, 1, 2, 3));
      return p;
    }, /unknown client message type 99/],
    ["SetEncodings with 65535 entries", async (port) => {
      const p = await authenticated(port);
      p.send(Uint8Array.of(2, 0, 0xff, 0xff));
      return p;
    }, /SetEncodings lists 65535 encodings/],
    ["a 24-bit SetPixelFormat", async (port) => {
      const p = await authenticated(port);
      p.send(Uint8Array.of(0, 0, 0, 0, 24, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0));
      return p;
    }, /SetPixelFormat: bits-per-pixel 24/],
    ["a colour-map SetPixelFormat", async (port) => {
      const p = await authenticated(port);
      p.send(Uint8Array.of(0, 0, 0, 0, 8, 8, 0, 0, 0, 7, 0, 7, 0, 3, 0, 3, 6, 0, 0, 0));
      return p;
    }, /colour-map pixel formats are not supported/],
  ];

  for (const [name, attack, reason] of cases) {
    test(`${name}: disconnected with a logged reason`, async () => {
      const p = await attack(server.port);
      expect(await p.waitClosed()).toBe(true);
      expect(logs.some((l) => reason.test(l))).toBe(true);
    });
  }

  test("small clipboard text is read past and the session goes on", async () => {
    const p = await authenticated(server.port);
    const text = new TextEncoder().encode("x".repeat(5000));
    p.send(Uint8Array.from([6, 0, 0, 0, 0, 0, 0x13, 0x88, ...text]));
    p.send(Uint8Array.of(2, 0, 0, 1, 0, 0, 0, 0)); // SetEncodings [Raw]
    p.send(Uint8Array.of(3, 0, 0, 0, 0, 0, 0, 1, 0, 1)); // a 1x1 full request
    const head = await p.read(16);
    expect([head[0], head[3]]).toEqual([0, 1]);
    expect([...(await p.read(4))].slice(0, 3)).toEqual([0, 0, 0xff]); // red, as B G R X
    p.close();
  });

  test("a client that vanishes mid-handshake leaves nothing behind", async () => {
    const p = await RawPeer.connect(server.port);
    p.send("RFB 003.0");
    p.close();
    await Bun.sleep(100);
    expect(broker.clients).toBe(0);
  });

  test("a client that stalls in the handshake is dropped after the time limit", async () => {
    const p = await atSecurity(server.port);
    expect(await p.waitClosed(4000)).toBe(true);
    expect(logs.some((l) => /handshake not finished within 1500 ms/.test(l))).toBe(true);
  });

  test("connections beyond the limit are turned away; the slots free up again", async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => authenticated(server.port)));
    const extra = await RawPeer.connect(server.port);
    expect(await extra.waitClosed()).toBe(true);
    expect(logs.some((l) => /too many clients \(limit 4\)/.test(l))).toBe(true);
    for (const p of held) p.close();
    await Bun.sleep(100);
    expect(broker.clients).toBe(0);
  });

  test.skipIf(!hasGvnccapture())("after all of that, the real client still gets the desktop", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsos-rfb-"));
    try {
      await vncCapture(server.port - 5900, PASSWORD, join(dir, "after.png"));
      expect(readPng(join(dir, "after.png")).rgb(300, 190)).toBe(0xffffff);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
