// The web viewer bridged to a password-protected VNC server on TCP (our own
// broker's listener stands in for QEMU's; ci/run-display.test.ts runs it against
// QEMU in Chromium): the browser side sees security None, the bridge answers the
// server's VNC challenge, bytes then flow both ways; failures reach the viewer
// as RFB reasons.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startDisplay, type Display } from "../start.ts";
import { paintDesktop, RawPeer, RecordingSink, syntheticScreen, until } from "../test-support.ts";
import { freeLoopbackPort } from "../../vm/ports.ts";
import { serveWebViewer, type WebViewer } from "./server.ts";
import { tcpRfbEndpoint } from "./tcp-bridge.ts";
import { canvasPixel, chromiumMissing, launchChromium } from "./test-browser.ts";

const TOKEN = "bridge-test-token-0123456789";
const noChromium = chromiumMissing("web/tcp-bridge.test.ts browser tests");
const wsUrl = (v: WebViewer) => `ws://127.0.0.1:${v.port}/${TOKEN}/ws`;
const u32 = (b: Uint8Array, at = 0) => new DataView(b.buffer, b.byteOffset).getUint32(at);

/** The browser's side up to the server's first reply after its version: security types, or a refusal's reason. */
async function greet(p: RawPeer): Promise<{ types: number[] } | { reason: string }> {
  expect(new TextDecoder().decode(await p.read(12))).toBe("RFB 003.008\n");
  p.send("RFB 003.008\n");
  const n = (await p.read(1))[0]!;
  if (n > 0) return { types: [...(await p.read(n))] };
  return { reason: new TextDecoder().decode(await p.read(u32(await p.read(4)))) };
}

describe("web viewer bridged to a VNC server on TCP", () => {
  const { fb } = syntheticScreen(320, 200);
  const sink = new RecordingSink();
  const logs: string[] = [];
  let display: Display;
  const viewers: WebViewer[] = [];
  const viewer = (password: string | undefined, port: number) => {
    const v = serveWebViewer(tcpRfbEndpoint({ host: "127.0.0.1", port, password, log: (l) => logs.push(l) }), TOKEN);
    viewers.push(v);
    return v;
  };

  beforeAll(() => {
    paintDesktop(fb);
    display = startDisplay({ framebuffer: fb, input: sink, password: "vncpass1", name: "bridged", log: () => {} });
  });
  afterAll(() => {
    for (const v of viewers) v.stop();
    display.close();
  });
  const vncPort = () => Number(display.vncAddress.split(":")[1]);

  test("the browser gets security None; ServerInit and a key event cross the bridge", async () => {
    const p = await RawPeer.connectWebSocket(wsUrl(viewer("vncpass1", vncPort())));
    expect(await greet(p)).toEqual({ types: [1] });
    p.send(Uint8Array.of(1));
    expect(u32(await p.read(4))).toBe(0);
    p.send(Uint8Array.of(1)); // ClientInit, shared
    const init = await p.read(24);
    const v = new DataView(init.buffer);
    expect([v.getUint16(0), v.getUint16(2)]).toEqual([320, 200]);
    expect(new TextDecoder().decode(await p.read(v.getUint32(20)))).toBe("bridged");
    p.send(Uint8Array.of(4, 1, 0, 0, 0, 0, 0, 0x71)); // KeyEvent: 'q' down
    expect(await until(() => sink.events.some((e) => "key" in e && e.key === 16 && e.down), true)).toBe(true);
    // A full update request comes back as a FramebufferUpdate (type 0).
    p.send(Uint8Array.of(3, 0, 0, 0, 0, 0, 320 >> 8, 320 & 255, 0, 200));
    expect((await p.read(1))[0]).toBe(0);
    p.close();
    expect(await until(() => display.broker.clients, 0)).toBe(0); // the bridge dropped its server connection too
  });

  test("a wrong VNC password reaches the browser as the server's reason", async () => {
    const p = await RawPeer.connectWebSocket(wsUrl(viewer("wrong-pw", vncPort())));
    expect(await greet(p)).toEqual({ reason: "VNC authentication failed: authentication failed" });
    expect(await p.waitClosed()).toBe(true);
  });

  test("no VNC server on the port: the browser is told so", async () => {
    const p = await RawPeer.connectWebSocket(wsUrl(viewer("vncpass1", await freeLoopbackPort())));
    const r = await greet(p);
    expect("reason" in r && r.reason).toMatch(/^VNC server 127\.0\.0\.1:\d+: .*(ECONNREFUSED|refused)/i);
    expect(await p.waitClosed()).toBe(true);
  });

  test("without a password the bridge will not answer a server that asks for one", async () => {
    const p = await RawPeer.connectWebSocket(wsUrl(viewer(undefined, vncPort())));
    expect(await greet(p)).toEqual({ reason: "the VNC server offers security types 2; the bridge speaks None and VNC password" });
  });

  test("a browser speaking another RFB version or choosing VNC auth is refused", async () => {
    const v = viewer("vncpass1", vncPort());
    const old = await RawPeer.connectWebSocket(wsUrl(v));
    await old.read(12);
    old.send("RFB 003.003\n");
    expect((await old.read(1))[0]).toBe(0);
    expect(new TextDecoder().decode(await old.read(u32(await old.read(4))))).toContain("unsupported protocol version");
    const p = await RawPeer.connectWebSocket(wsUrl(v));
    expect(await greet(p)).toEqual({ types: [1] });
    p.send(Uint8Array.of(2));
    const result = await p.read(4);
    expect(u32(result)).toBe(1);
    expect(new TextDecoder().decode(await p.read(u32(await p.read(4))))).toBe("security type 2 was not offered");
    expect(await p.waitClosed()).toBe(true);
  });

  test("a VNC server that stops reading gets at most 1 MiB queued, then the viewer is dropped", async () => {
    // A server that completes the handshake (security None) in one write and then never reads.
    const stuck = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        open(sock) {
          sock.write(Buffer.concat([Buffer.from("RFB 003.008\n"), Buffer.of(1, 1, 0, 0, 0, 0)]));
          sock.pause();
        },
        data() {},
      },
    });
    try {
      const p = await RawPeer.connectWebSocket(wsUrl(viewer(undefined, stuck.port)));
      expect(await greet(p)).toEqual({ types: [1] });
      p.send(Uint8Array.of(1));
      expect(u32(await p.read(4))).toBe(0);
      // Far more than loopback's socket buffers hold, in messages the WebSocket accepts.
      const chunk = new Uint8Array(1 << 20);
      for (let i = 0; i < 64 && !p.closed; i++) {
        p.send(chunk);
        await Bun.sleep(10);
      }
      expect(await p.waitClosed(10_000)).toBe(true);
      expect(logs.some((l) => /the VNC server is not reading \(\d+ bytes queued\)/.test(l))).toBe(true);
    } finally {
      stuck.stop(true);
    }
  }, 20_000);

  describe.skipIf(noChromium)("in headless Chromium (noVNC)", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => browser?.close());

    test("the page connects without asking for a password and shows the server's screen", async () => {
      const page = await browser.newPage({ viewport: { width: 640, height: 400 } });
      await page.goto(`http://127.0.0.1:${viewer("vncpass1", vncPort()).port}/${TOKEN}/`);
      await page.waitForSelector("body[data-state=connected]", { timeout: 20_000 });
      expect(await page.title()).toBe("bridged");
      const pixel = (x: number, y: number) => canvasPixel(page, x, y);
      expect(await until(() => pixel(300, 190), 0xffffff, 10_000)).toBe(0xffffff);
      expect(await pixel(10, 10)).toBe(0xff0000);
      expect(await pixel(105, 55)).toBe(0xffff00);
      await page.close();
    }, 30_000);

    test("a refusal behind the bridge is shown on the page with its reason", async () => {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${viewer("wrong-pw", vncPort()).port}/${TOKEN}/`);
      await page.waitForSelector("body[data-state=disconnected]", { timeout: 20_000 });
      expect(await page.locator("#status").textContent()).toBe("VNC authentication failed: authentication failed: disconnected (reload to reconnect)");
      await page.close();
    }, 30_000);
  });

  test("the token still guards every path", async () => {
    const v = viewer("vncpass1", vncPort());
    expect((await fetch(`http://127.0.0.1:${v.port}/ws`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${v.port}/${"y".repeat(TOKEN.length)}/ws`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${v.port}/${TOKEN}/`)).status).toBe(200);
  });
});
