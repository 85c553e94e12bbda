// make bench-rfb: the display broker's costs on a 1280x800 screen —
// dirty-tile scan time (nothing, one tile, every tile changed), encoding
// throughput per encoding for a full desktop-like frame, and over real TCP:
// one-tile change → update received latency at 30 fps, and full frames/s.
import { DisplayBroker } from "../host-launcher/display/broker.ts";
import { DirtyTiles } from "../host-launcher/display/framebuffer.ts";
import { ENCODING, RectEncoder } from "../host-launcher/display/rfb/encode.ts";
import { PixelWriter, XRGB8888 } from "../host-launcher/display/rfb/pixel-format.ts";
import { listenRfb } from "../host-launcher/display/rfb/server.ts";
import { fillRect, paintDesktop, RawPeer, RecordingSink, rfbHandshake, syntheticScreen } from "../host-launcher/display/test-support.ts";

const W = 1280, H = 800;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const { fb } = syntheticScreen(W, H);
paintDesktop(fb);
// Something text-like: a grid of small glyph-sized marks, so compression has real work.
for (let y = 20; y < H - 20; y += 18) for (let x = 20; x < W - 20; x += 9) if ((x * 7 + y * 3) % 5) fillRect(fb, x, y, 6, 10, 0x202020 + ((x * y) & 0x7f7f7f));

function timeScan(change: () => void, runs = 30): { ms: number; tiles: number } {
  const d = new DirtyTiles(fb);
  const times: number[] = [];
  let tiles = 0;
  for (let i = 0; i < runs; i++) {
    change();
    const flags = new Uint8Array(d.tilesX * d.tilesY);
    const t0 = performance.now();
    tiles = d.scan(flags);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), tiles };
}

let n = 0;
timeScan(() => {}, 5); // warm up
const idle = timeScan(() => {});
const one = timeScan(() => fillRect(fb, 640, 384, 2, 2, ++n * 0x10101));
const all = timeScan(() => {
  n++;
  for (let y = 0; y < H; y += 32) fillRect(fb, 0, y, W, 1, n * 0x30303); // touches every tile, cheaply
});
const copy = new Uint8Array(fb.pixels.length);
const copyMs = median(Array.from({ length: 30 }, () => {
  const t0 = performance.now();
  copy.set(fb.pixels);
  return performance.now() - t0;
}));
console.log(`for scale: copying the whole ${W}x${H} screen once takes ${copyMs.toFixed(3)} ms`);
console.log(`scan ${W}x${H} (${Math.ceil(W / 64) * Math.ceil(H / 64)} tiles of 64): unchanged ${idle.ms.toFixed(3)} ms, 1 tile ${one.ms.toFixed(3)} ms (${one.tiles} dirty), all tiles ${all.ms.toFixed(3)} ms (${all.tiles} dirty)`);

const full = { x: 0, y: 0, w: W, h: H };
for (const [name, enc] of [["raw", ENCODING.RAW], ["zlib", ENCODING.ZLIB], ["zrle", ENCODING.ZRLE]] as const) {
  const e = new RectEncoder(new PixelWriter(XRGB8888));
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 8; i++) {
    const t0 = performance.now();
    bytes = e.encode(fb, full, enc).reduce((a, c) => a + c.length, 0);
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  console.log(`encode full frame ${name}: ${ms.toFixed(1)} ms (${(1000 / ms).toFixed(0)} frames/s), ${(bytes / 1024).toFixed(0)} KiB on the wire`);
}

// Over TCP with the Raw encoding, parsed by a bare client.
const broker = new DisplayBroker({ framebuffer: fb, input: new RecordingSink(), log: () => {} });
const server = listenRfb(broker, { password: "benchpw1" });
const p = await RawPeer.connect(server.port);
await rfbHandshake(p, "benchpw1");
p.send(Uint8Array.of(2, 0, 0, 1, 0, 0, 0, 0)); // Raw only
const req = (inc: number) => p.send(Uint8Array.of(3, inc, 0, 0, 0, 0, W >> 8, W & 0xff, H >> 8, H & 0xff));
async function readUpdate(): Promise<number> {
  const head = await p.read(4);
  let px = 0;
  for (let i = new DataView(head.buffer).getUint16(2); i > 0; i--) {
    const r = new DataView((await p.read(12)).buffer);
    px += r.getUint16(4) * r.getUint16(6);
    await p.read(r.getUint16(4) * r.getUint16(6) * 4, 20_000);
  }
  return px;
}
req(0);
await readUpdate();
const lat: number[] = [];
for (let i = 0; i < 20; i++) {
  req(1);
  await Bun.sleep(5);
  const t0 = performance.now();
  fillRect(fb, 100, 100, 4, 4, i * 0x0a0a0a);
  await readUpdate();
  lat.push(performance.now() - t0);
}
console.log(`tcp raw: one-tile change -> update received ${median(lat).toFixed(1)} ms median at 30 fps scanning (bounded by the 33 ms frame)`);
const t0 = performance.now();
const FRAMES = 20;
for (let i = 0; i < FRAMES; i++) {
  req(0);
  await readUpdate();
}
const secs = (performance.now() - t0) / 1000;
console.log(`tcp raw: full ${W}x${H} frames ${(FRAMES / secs).toFixed(1)}/s (${((FRAMES * W * H * 4) / secs / 1048576).toFixed(0)} MiB/s)`);
p.close();
broker.close();
server.stop();
