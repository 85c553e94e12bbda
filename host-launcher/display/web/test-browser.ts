// Real headless Chromium for the web viewer's tests (Debian's chromium, driven by
// playwright-core): where it is, how to start it, and reading noVNC's canvas back.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** True (after saying so loudly) when Chromium is missing and `what` must be skipped. */
export function chromiumMissing(what: string): boolean {
  const missing = !existsSync(CHROMIUM);
  if (missing) console.log(`SKIP ${what}: ${CHROMIUM} missing (apt-get install chromium; ci/deps.sh installs it)`);
  return missing;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
}

/** The part of HTMLCanvasElement the tests read (this project's types have no DOM). */
interface Canvas2d {
  getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** 0xRRGGBB of noVNC's canvas at (x, y). */
export function canvasPixel(page: Page, x: number, y: number): Promise<number> {
  return page.locator("#screen canvas").evaluate((c: Canvas2d, [px, py]) => {
    const d = c.getContext("2d")!.getImageData(px!, py!, 1, 1).data;
    return (d[0]! << 16) | (d[1]! << 8) | d[2]!;
  }, [x, y]);
}
