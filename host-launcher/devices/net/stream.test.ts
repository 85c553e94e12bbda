import { describe, expect, test } from "bun:test";
import { encodeStreamFrame, MAX_FRAME, StreamDecoder, StreamError } from "./stream.ts";

describe("QEMU stream framing", () => {
  test("frames split at every byte boundary come out whole and in order", () => {
    const a = new Uint8Array(60).fill(1);
    const b = new Uint8Array(1514).fill(2);
    const wire = new Uint8Array([...encodeStreamFrame(a), ...encodeStreamFrame(b)]);
    expect([...wire.subarray(0, 4)]).toEqual([0, 0, 0, 60]);
    for (const cut of [1, 3, 4, 5, 63, 64, 65, wire.length - 1]) {
      const d = new StreamDecoder();
      const out = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
      expect(out).toEqual([a, b]);
    }
  });

  test("an impossible length is a protocol error, not an allocation", () => {
    const d = new StreamDecoder();
    expect(() => d.push(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow(StreamError);
    const e = new StreamDecoder();
    const big = new Uint8Array(4);
    new DataView(big.buffer).setUint32(0, MAX_FRAME + 1);
    expect(() => e.push(big)).toThrow(StreamError);
    expect(() => new StreamDecoder().push(new Uint8Array(4))).toThrow(StreamError);
  });
});
