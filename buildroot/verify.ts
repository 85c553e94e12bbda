// make verify [IMAGE_DIR]: check the manifest's signature and every artifact's digest.
// Prints "ok" or names each artifact that does not match; exit 0 ok, 1 mismatch, 2 usage.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseManifest, verifyManifest } from "../lib/image/manifest.ts";
import { readBuildPublicKey } from "./lib/buildkey.ts";

const root = resolve(import.meta.dir, "..");
const dir = resolve(process.argv[2] ?? join(root, "build", "image"));
const path = join(dir, "manifest.json");
if (!existsSync(path)) {
  console.error(`verify: ${path} missing: run 'make image' first`);
  process.exit(2);
}
const parsed = parseManifest(readFileSync(path, "utf8"));
if ("kind" in parsed) {
  console.error(`verify: ${parsed.message}`);
  process.exit(1);
}
const problems = verifyManifest(parsed, dir, readBuildPublicKey(root));
if (problems.length) {
  for (const p of problems) console.error(`verify: FAILED: ${p.message}`);
  process.exit(1);
}
console.log(`verify: ok: ${Object.keys(parsed.artifacts).length} artifacts match the signed manifest (version ${parsed.version}, kernel config ${parsed.kernelConfigHash})`);
