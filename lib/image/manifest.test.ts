import { describe, expect, test } from "bun:test";
import nacl from "tweetnacl";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashFile, parseManifest, signManifest, verifyManifest, type ManifestBody } from "./manifest.ts";

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), "tsos-manifest-"));
  writeFileSync(join(dir, "a.bin"), "alpha");
  writeFileSync(join(dir, "b.bin"), "bravo");
  const body: ManifestBody = { format: 1, version: "0.0.1", kernelConfigHash: "k", bunVersion: "1", artifacts: { "a.bin": hashFile(join(dir, "a.bin")), "b.bin": hashFile(join(dir, "b.bin")) } };
  const keys = nacl.sign.keyPair();
  return { dir, keys, manifest: signManifest(body, keys.secretKey) };
}

describe("image manifest", () => {
  test("a fresh manifest verifies against its files and key", () => {
    const { dir, keys, manifest } = fixture();
    expect(verifyManifest(manifest, dir, keys.publicKey)).toEqual([]);
  });

  test("one changed byte names exactly that artifact", () => {
    const { dir, manifest } = fixture();
    writeFileSync(join(dir, "b.bin"), "bravO");
    const problems = verifyManifest(manifest, dir);
    expect(problems.map((p) => ("artifact" in p ? p.artifact : p.kind))).toEqual(["b.bin"]);
  });

  test("an edited manifest fails its signature; a foreign key is reported", () => {
    const { dir, manifest } = fixture();
    expect(verifyManifest({ ...manifest, version: "9.9.9" }, dir)[0]!.kind).toBe("signature");
    expect(verifyManifest(manifest, dir, nacl.sign.keyPair().publicKey)[0]!.kind).toBe("untrusted-key");
  });

  test("malformed manifests are problems, not exceptions", () => {
    expect(parseManifest("{nope")).toMatchObject({ kind: "malformed" });
    expect(parseManifest("{}")).toMatchObject({ kind: "malformed" });
    expect(parseManifest('{"format":1,"publicKey":"","signature":"","artifacts":{"x":{"size":"1"}}}')).toMatchObject({ kind: "malformed" });
  });

  test("signing is deterministic (same key, same body, same signature)", () => {
    const { manifest, keys } = fixture();
    const again = signManifest(manifest, keys.secretKey);
    expect(again.signature).toBe(manifest.signature);
  });
});
