// The web viewer in real headless Chromium (Debian's chromium, driven by
// playwright-core): the page loads with the token, noVNC's canvas shows the
// synthetic desktop, a click reaches the InputSink at the scaled position,
// and requests without the token get 403.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { ABS_MAX, toAbsolute } from "../input.ts";
import { startDisplay, type Display } from "../start.ts";
import { fillRect, paintDesktop, RecordingSink, syntheticScreen, until } from "../test-support.ts";
import { canvasPixel, chromiumMissing, launchChromium } from "./test-browser.ts";

const noChromium = chromiumMissing("web/viewer.test.ts browser tests");

describe("web viewer", () => {
  const { fb } = syntheticScreen(320, 200);
  const sink = new RecordingSink();
  let display: Display;

  beforeAll(() => {
    paintDesktop(fb);
    display = startDisplay({ framebuffer: fb, input: sink, password: "webpass1", web: true, name: "tsos-web-test", log: () => {} });
  });
  afterAll(() => display.close());

  test("requests without the token are refused with 403", async () => {
    const url = new URL(display.webUrl!);
    expect(url.hostname).toBe("127.0.0.1");
    const origin = url.origin;
    expect((await fetch(`${origin}/`)).status).toBe(403);
    expect((await fetch(`${origin}/novnc/core/rfb.js`)).status).toBe(403);
    expect((await fetch(`${origin}/${"x".repeat(32)}/ws`)).status).toBe(403);
    expect((await fetch(`${origin}${url.pathname}novnc/core/../package.json`)).status).toBe(404);
    const page = await fetch(display.webUrl!);
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(display.vncAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await fetch(`${display.webUrl}novnc/core/rfb.js`)).status).toBe(200);
  });

  describe.skipIf(noChromium)("in headless Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => browser?.close());

    test("shows the desktop on noVNC's canvas and a click reaches the guest's tablet", async () => {
      const page = await browser.newPage({ viewport: { width: 640, height: 400 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(display.webUrl!);
      await page.waitForSelector("body[data-state=connected]", { timeout: 20_000 });
      expect(await page.title()).toBe("tsos-web-test");
      const canvas = page.locator("#screen canvas");
      // Wait until the first update is drawn, then read pixels back from the canvas.
      const pixel = (x: number, y: number) => canvasPixel(page, x, y);
      expect(await until(() => pixel(300, 190), 0xffffff, 10_000)).toBe(0xffffff);
      expect(await pixel(10, 10)).toBe(0xff0000);
      expect(await pixel(300, 10)).toBe(0x00ff00);
      expect(await pixel(10, 190)).toBe(0x0000ff);
      expect(await pixel(105, 55)).toBe(0xffff00);

      const box = (await canvas.boundingBox())!;
      expect([box.width, box.height]).toEqual([320, 200]);
      await page.mouse.click(box.x + 105, box.y + 55);
      const want = { x: toAbsolute(105, 320), y: toAbsolute(55, 200), buttons: 1 };
      expect(await until(() => sink.events.some((e) => JSON.stringify(e) === JSON.stringify(want)), true)).toBe(true);
      expect(want.x).toBeLessThan(ABS_MAX);

      // A change on the screen arrives as an incremental update over the WebSocket.
      fillRect(fb, 200, 20, 8, 8, 0xff00ff);
      expect(await until(() => pixel(204, 24), 0xff00ff, 5000)).toBe(0xff00ff);
      // Typing on the focused canvas reaches the keyboard as evdev codes.
      await page.keyboard.press("q");
      expect(await until(() => sink.events.some((e) => "key" in e && e.key === 16 && e.down), true)).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
