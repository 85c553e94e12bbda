// The config drive's on-disk format: a raw block device, so any host can write
// it with plain file I/O (no mkfs on Windows or macOS).
//   sector 0: "TSOSCFG1" | u32 LE version | u32 LE json length | 32-byte SHA-256 of the JSON
//   from byte 512: the JSON (vm.json), zero padding to a whole sector.
import { createHash } from "node:crypto";

export const CONFIG_MAGIC = "TSOSCFG1";
export const CONFIG_VERSION = 1;
export const SECTOR = 512;
const MAX_JSON = 4 << 20;

export function encodeConfigDisk(json: string): Uint8Array {
  const body = new TextEncoder().encode(json);
  if (body.length > MAX_JSON) throw new Error(`vm.json is ${body.length} bytes; the limit is ${MAX_JSON}`);
  const size = SECTOR + Math.ceil(Math.max(body.length, 1) / SECTOR) * SECTOR;
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(CONFIG_MAGIC), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, CONFIG_VERSION, true);
  dv.setUint32(12, body.length, true);
  out.set(createHash("sha256").update(body).digest(), 16);
  out.set(body, SECTOR);
  return out;
}

export function isConfigDisk(head: Uint8Array): boolean {
  return head.length >= 8 && new TextDecoder().decode(head.subarray(0, 8)) === CONFIG_MAGIC;
}

export type DecodedDisk = { ok: true; json: string } | { ok: false; error: string };

export function decodeConfigDisk(bytes: Uint8Array): DecodedDisk {
  if (!isConfigDisk(bytes)) return { ok: false, error: "no TSOSCFG1 header" };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== CONFIG_VERSION) return { ok: false, error: `config drive version ${version}; this init reads ${CONFIG_VERSION}` };
  const len = dv.getUint32(12, true);
  if (len > MAX_JSON || SECTOR + len > bytes.length) return { ok: false, error: `config drive claims ${len} bytes of JSON but holds ${Math.max(0, bytes.length - SECTOR)}` };
  const body = bytes.subarray(SECTOR, SECTOR + len);
  const want = Buffer.from(bytes.subarray(16, 48)).toString("hex");
  const got = createHash("sha256").update(body).digest("hex");
  if (want !== got) return { ok: false, error: "config drive checksum mismatch (corrupt or truncated)" };
  return { ok: true, json: new TextDecoder().decode(body) };
}
