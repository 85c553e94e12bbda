// The RFB server's protocol details, driven byte by byte over real TCP:
// pixel-format conversion, incremental updates, idle cost, input routing,
// DesktopSize and the bound on a client that does not read.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { constants, inflateSync } from "node:zlib";
import { DisplayBroker } from "../broker.ts";
import { ABS_MAX, KEY } from "../input.ts";
import { fillRect, paintDesktop, RawPeer, RecordingSink, rfbHandshake, syntheticScreen } from "../test-support.ts";
import { ENCODING } from "./encode.ts";
import { encodePixelFormat, type PixelFormat } from "./pixel-format.ts";
import { listenRfb, type RfbServer } from "./server.ts";

const RGB565: PixelFormat = {
  bitsPerPixel: 16, depth: 16, bigEndian: false, trueColour: true,
  redMax: 31, greenMax: 63, blueMax: 31, redShift: 11, greenShift: 5, blueShift: 0,
};

function u16(v: number): number[] {
  return [v >> 8, v & 0xff];
}
function i32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

function setEncodings(p: RawPeer, encs: number[]): void {
  p.send(Uint8Array.from([2, 0, ...u16(encs.length), ...encs.flatMap(i32)]));
}
function request(p: RawPeer, incremental: boolean, x: number, y: number, w: number, h: number): void {
  p.send(Uint8Array.from([3, incremental ? 1 : 0, ...u16(x), ...u16(y), ...u16(w), ...u16(h)]));
}

interface RectIn { x: number; y: number; w: number; h: number; enc: number; data: Uint8Array }

/** Reads one FramebufferUpdate of Raw (or pseudo) rectangles. */
async function readUpdate(p: RawPeer, bpp: number): Promise<RectIn[]> {
  const head = await p.read(4);
  expect(head[0]).toBe(0);
  const n = new DataView(head.buffer).getUint16(2);
  const rects: RectIn[] = [];
  for (let i = 0; i < n; i++) {
    const rh = new DataView((await p.read(12)).buffer);
    const r = { x: rh.getUint16(0), y: rh.getUint16(2), w: rh.getUint16(4), h: rh.getUint16(6), enc: rh.getInt32(8) };
    const data = r.enc === ENCODING.RAW ? await p.read(r.w * r.h * bpp) : new Uint8Array(0);
    rects.push({ ...r, data });
  }
  return rects;
}

describe("RFB protocol over TCP", () => {
  const PASSWORD = "pw123456";
  let screen: ReturnType<typeof syntheticScreen>;
  let sink: RecordingSink;
  let broker: DisplayBroker;
  let server: RfbServer;
  let peer: RawPeer;
  const logs: string[] = [];

  beforeEach(async () => {
    screen = syntheticScreen(320, 200);
    paintDesktop(screen.fb);
    sink = new RecordingSink();
    broker = new DisplayBroker({ framebuffer: screen.fb, input: sink, fps: 50, log: (l) => logs.push(l) });
    server = listenRfb(broker, { password: PASSWORD });
    peer = await RawPeer.connect(server.port);
  });
  afterEach(() => {
    peer.close();
    broker.close();
    server.stop();
  });

  test("converts to a 16-bit RGB565 client format", async () => {
    expect(await rfbHandshake(peer, PASSWORD)).toEqual({ w: 320, h: 200 });
    peer.send(Uint8Array.from([0, 0, 0, 0, ...encodePixelFormat(RGB565)]));
    setEncodings(peer, [ENCODING.RAW]);
    request(peer, false, 0, 0, 320, 200);
    const rects = await readUpdate(peer, 2);
    expect(rects).toHaveLength(1);
    const r = rects[0]!;
    expect([r.x, r.y, r.w, r.h]).toEqual([0, 0, 320, 200]);
    const px = (x: number, y: number) => r.data[(y * 320 + x) * 2]! | (r.data[(y * 320 + x) * 2 + 1]! << 8);
    expect(px(10, 10)).toBe(0xf800); // red
    expect(px(300, 10)).toBe(0x07e0); // green
    expect(px(10, 190)).toBe(0x001f); // blue
    expect(px(105, 55)).toBe(0xffe0); // yellow
  });

  test("Zlib rectangles form one continuing zlib stream across updates", async () => {
    await rfbHandshake(peer, PASSWORD);
    setEncodings(peer, [ENCODING.ZLIB]);
    const compressed: Uint8Array[] = [];
    const readZlibRect = async () => {
      const head = await peer.read(4);
      expect(new DataView(head.buffer).getUint16(2)).toBe(1);
      const rh = new DataView((await peer.read(12)).buffer);
      expect(rh.getInt32(8)).toBe(ENCODING.ZLIB);
      const len = new DataView((await peer.read(4)).buffer).getUint32(0);
      compressed.push(await peer.read(len));
      return { w: rh.getUint16(4), h: rh.getUint16(6) };
    };
    request(peer, false, 0, 0, 320, 200);
    const first = await readZlibRect();
    fillRect(screen.fb, 10, 10, 2, 2, 0xabcdef);
    request(peer, true, 0, 0, 320, 200);
    const second = await readZlibRect();
    expect(second).toEqual({ w: 64, h: 64 });
    // One inflater over both, as a client keeps it: the second part continues the first.
    const all = inflateSync(Buffer.concat(compressed), { finishFlush: constants.Z_SYNC_FLUSH });
    expect(all.length).toBe((first.w * first.h + 64 * 64) * 4);
    const o = first.w * first.h * 4 + (10 * 64 + 10) * 4;
    expect([all[o + 2], all[o + 1], all[o]]).toEqual([0xab, 0xcd, 0xef]);
  });

  test("an incremental update carries only the changed tile, and an idle screen is not scanned", async () => {
    await rfbHandshake(peer, PASSWORD);
    setEncodings(peer, [ENCODING.RAW]);
    request(peer, false, 0, 0, 320, 200);
    await readUpdate(peer, 4);
    request(peer, true, 0, 0, 320, 200);
    await Bun.sleep(100); // a few scans find nothing: no update is sent
    fillRect(screen.fb, 200, 140, 3, 3, 0x123456); // inside tile (3, 2)
    const rects = await readUpdate(peer, 4);
    expect(rects.map(({ x, y, w, h }) => [x, y, w, h])).toEqual([[192, 128, 64, 64]]);
    const d = rects[0]!.data, o = ((141 - 128) * 64 + (201 - 192)) * 4;
    expect([d[o + 2], d[o + 1], d[o]]).toEqual([0x12, 0x34, 0x56]);
    // Nobody is waiting for an update now: the broker does no work.
    const before = broker.scans;
    await Bun.sleep(150);
    expect(broker.scans).toBe(before);
  });

  test("keys and pointer reach the InputSink; held keys are released on disconnect", async () => {
    await rfbHandshake(peer, PASSWORD);
    const key = (down: boolean, sym: number) => peer.send(Uint8Array.from([4, down ? 1 : 0, 0, 0, ...i32(sym)]));
    key(true, 0x41); // 'A' without Shift from the client: wrapped in one
    key(false, 0x41);
    key(true, 0xff0d); // Return, held when the client goes away
    peer.send(Uint8Array.from([5, 1, ...u16(319), ...u16(199)]));
    peer.send(Uint8Array.from([5, 0, ...u16(160), ...u16(0)]));
    await Bun.sleep(100);
    peer.close();
    await Bun.sleep(100);
    expect(sink.events).toEqual([
      { key: KEY.LEFTSHIFT, down: true }, { key: 30, down: true }, { key: KEY.LEFTSHIFT, down: false },
      { key: 30, down: false }, { key: KEY.ENTER, down: true },
      { x: ABS_MAX, y: ABS_MAX, buttons: 1 }, { x: Math.round((160 * ABS_MAX) / 319), y: 0, buttons: 0 },
      { key: KEY.ENTER, down: false },
    ]);
  });

  test("a resize reaches a DesktopSize client, then the full new screen", async () => {
    await rfbHandshake(peer, PASSWORD);
    setEncodings(peer, [ENCODING.RAW, ENCODING.DESKTOP_SIZE]);
    request(peer, false, 0, 0, 320, 200);
    await readUpdate(peer, 4);
    const bigger = syntheticScreen(400, 300);
    fillRect(bigger.fb, 0, 0, 400, 300, 0x00ffff);
    request(peer, true, 0, 0, 320, 200);
    broker.setFramebuffer(bigger.fb);
    const [ds] = await readUpdate(peer, 4);
    expect([ds!.enc, ds!.w, ds!.h]).toEqual([ENCODING.DESKTOP_SIZE, 400, 300]);
    request(peer, true, 0, 0, 400, 300);
    const rects = await readUpdate(peer, 4);
    expect(rects.reduce((a, r) => a + r.w * r.h, 0)).toBe(400 * 300);
  });

  test("a client that never reads holds at most one update in memory", async () => {
    await rfbHandshake(peer, PASSWORD);
    setEncodings(peer, [ENCODING.RAW]);
    const big = syntheticScreen(1600, 1200);
    broker.setFramebuffer(big.fb); // this client lacks DesktopSize: it is dropped; use a new one
    const p2 = await RawPeer.connect(server.port);
    await rfbHandshake(p2, PASSWORD);
    setEncodings(p2, [ENCODING.RAW]);
    p2.pause();
    for (let i = 0; i < 20; i++) {
      request(p2, false, 0, 0, 1600, 1200);
      fillRect(big.fb, 0, 0, 1600, 1200, i * 0x010101); // a new screen every time
      await Bun.sleep(5);
    }
    // The socket is backed up (bytes wait in the queue), but never more than one update's worth.
    expect(broker.queuedBytes()).toBeGreaterThan(0);
    expect(broker.queuedBytes()).toBeLessThanOrEqual(1600 * 1200 * 4 + 4096);
    expect(broker.clients).toBe(1);
    expect(logs.some((l) => l.includes("does not support DesktopSize"))).toBe(true);
    p2.close();
  });
});
