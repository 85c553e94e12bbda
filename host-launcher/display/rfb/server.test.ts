// The RFB server against the real gvnccapture client (Debian's gvncviewer),
// which types the VNC password at its terminal prompt like a user would.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasGvnccapture, readPng, vncCapture } from "../../../ci/lib/vnc.ts";
import { DisplayBroker } from "../broker.ts";
import { paintDesktop, RecordingSink, syntheticScreen } from "../test-support.ts";
import { listenRfb, type RfbServer } from "./server.ts";

const haveClient = hasGvnccapture();
if (!haveClient) console.log("SKIP rfb/server.test.ts: gvnccapture missing (apt-get install gvncviewer; ci/deps.sh installs it)");

describe.skipIf(!haveClient)("RFB server with gvnccapture", () => {
  const PASSWORD = "s3cr3t!x";
  const { fb } = syntheticScreen(320, 200);
  const logs: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "tsos-rfb-"));
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
    rmSync(dir, { recursive: true, force: true });
  });

  test("connects with the VNC password and captures the synthetic desktop", async () => {
    const out = join(dir, "ok.png");
    await vncCapture(server.port - 5900, PASSWORD, out); // gvnccapture connects to 5900 + display
    const png = readPng(out);
    expect([png.width, png.height]).toEqual([320, 200]);
    expect(png.rgb(10, 10)).toBe(0xff0000);
    expect(png.rgb(300, 10)).toBe(0x00ff00);
    expect(png.rgb(10, 190)).toBe(0x0000ff);
    expect(png.rgb(300, 190)).toBe(0xffffff);
    expect(png.rgb(105, 55)).toBe(0xffff00);
    expect(png.rgb(99, 55)).toBe(0xff0000);
  }, 40_000);

  test("a wrong password is refused with a logged reason and no screenshot", async () => {
    const out = join(dir, "refused.png");
    await expect(vncCapture(server.port - 5900, "wrong", out)).rejects.toThrow(/gvnccapture failed/);
    expect(existsSync(out)).toBe(false);
    expect(logs.some((l) => l.includes("authentication failed"))).toBe(true);
  }, 40_000);
});
