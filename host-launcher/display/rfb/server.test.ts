// The RFB server against the real gvnccapture client (Debian's gvncviewer).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DisplayBroker } from "../broker.ts";
import { gvnccapture, haveGvnccapture, paintDesktop, pngPixel, RecordingSink, syntheticScreen } from "../test-support.ts";
import { listenRfb, type RfbServer } from "./server.ts";

if (!haveGvnccapture) console.log("SKIP rfb/server.test.ts: /usr/bin/gvnccapture missing (apt-get install gvncviewer; ci/deps.sh installs it)");

describe.skipIf(!haveGvnccapture)("RFB server with gvnccapture", () => {
  const PASSWORD = "s3cr3t!x";
  const { fb } = syntheticScreen(320, 200);
  const logs: string[] = [];
  let broker: DisplayBroker;
  let server: RfbServer;

  beforeAll(() => {
    paintDesktop(fb);
    broker = new DisplayBroker({ framebuffer: fb, input: new RecordingSink(), name: "tsos-test", log: (l) => logs.push(l) });
    server = listenRfb(broker, { password: PASSWORD });
  });
  afterAll(() => {
    broker.close();
    server.stop();
  });

  test("connects with the VNC password and captures the synthetic desktop", async () => {
    const cap = await gvnccapture(server.port, PASSWORD);
    expect(cap.output).toContain("Password:");
    expect(cap.exitCode).toBe(0);
    const png = cap.png!;
    expect([png.width, png.height]).toEqual([320, 200]);
    expect(pngPixel(png, 10, 10)).toBe(0xff0000);
    expect(pngPixel(png, 300, 10)).toBe(0x00ff00);
    expect(pngPixel(png, 10, 190)).toBe(0x0000ff);
    expect(pngPixel(png, 300, 190)).toBe(0xffffff);
    expect(pngPixel(png, 105, 55)).toBe(0xffff00);
    expect(pngPixel(png, 99, 55)).toBe(0xff0000);
  }, 30_000);

  test("a wrong password is refused with a logged reason and no screenshot", async () => {
    const cap = await gvnccapture(server.port, "wrong");
    expect(cap.exitCode).not.toBe(0);
    expect(cap.png).toBeUndefined();
    expect(logs.some((l) => l.includes("authentication failed"))).toBe(true);
  }, 30_000);
});
