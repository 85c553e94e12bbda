// The desktop's font: Terminus 8x16 (OFL-1.1, see LICENSE.md), embedded in the
// executable by Bun's file import and parsed once.
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import fontPath from "./Uni2-Terminus16.psf.gz" with { type: "file" };
import { parsePsf, type BitmapFont } from "./psf.ts";

let cached: BitmapFont | undefined;

export function terminus(): BitmapFont {
  cached ??= parsePsf(new Uint8Array(gunzipSync(readFileSync(fontPath))));
  return cached;
}
