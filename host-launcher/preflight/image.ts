// Image preflight: build/image holds a manifest whose signature verifies (with this
// checkout's build key, when there is one) and whose artifacts match their digests.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readBuildPublicKey } from "../../buildroot/lib/buildkey.ts";
import { parseManifest, verifyManifest } from "../../lib/image/manifest.ts";
import { check, type Check } from "./check.ts";

export function imageChecks(imageDir: string, root: string): Check[] {
  const path = join(imageDir, "manifest.json");
  if (!existsSync(path)) return [check("image", "fail", `${path} missing`, "run 'make image'")];
  const m = parseManifest(readFileSync(path, "utf8"));
  if ("kind" in m) return [check("image", "fail", m.message, "run 'make image' again")];
  const problems = verifyManifest(m, imageDir, readBuildPublicKey(root));
  if (problems.length) return [check("image", "fail", problems.map((p) => p.message).join("; "), "run 'make image' again")];
  return [check("image", "ok", `${Object.keys(m.artifacts).sort().join(", ")} match the signed manifest (version ${m.version})`)];
}
