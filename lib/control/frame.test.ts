import { expect, test } from "bun:test";
import { encodeFrame, FrameDecoder, MAX_FRAME } from "./frame.ts";

const messages = (ds: ReturnType<FrameDecoder["push"]>) => ds.filter((d) => d.kind === "message").map((d) => (d as { value: unknown }).value);

test("frames split at every byte boundary decode the same", () => {
  const bytes = new Uint8Array([...encodeFrame({ a: 1 }), ...encodeFrame({ b: "two" })]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const d = new FrameDecoder();
    expect(messages([...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))])).toEqual([{ a: 1 }, { b: "two" }]);
  }
});

test("a reused read buffer does not corrupt a partial frame (Buffer.slice is a view)", () => {
  const frame = encodeFrame({ data: "x".repeat(5000) });
  const readBuf = Buffer.alloc(4096);
  const d = new FrameDecoder();
  const out: unknown[] = [];
  for (let off = 0; off < frame.length; off += 4096) {
    const n = Math.min(4096, frame.length - off);
    readBuf.set(frame.subarray(off, off + n));
    out.push(...messages(d.push(readBuf.subarray(0, n))));
    readBuf.fill(0xee); // the next read overwrites the buffer
  }
  expect(out).toEqual([{ data: "x".repeat(5000) }]);
});

test("garbage, oversized lengths and bad JSON are rejected and the stream resynchronises", () => {
  const d = new FrameDecoder();
  const huge = new Uint8Array(8);
  huge.set([0x54, 0x53, 0x46, 0x31]);
  new DataView(huge.buffer).setUint32(4, MAX_FRAME + 1);
  const badJson = encodeFrame("x");
  badJson[8] = 0xff;
  const out = d.push(new Uint8Array([...new TextEncoder().encode("garbage!"), ...huge, ...badJson, ...encodeFrame({ ok: true })]));
  // garbage, the oversized header, its 4 length bytes (skipped while resyncing), the bad JSON
  expect(out.filter((x) => x.kind === "reject").length).toBe(4);
  expect(messages(out)).toEqual([{ ok: true }]);
});
