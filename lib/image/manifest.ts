// The image manifest: what was built, each artifact's size and SHA-256, signed
// with Ed25519. Shared by the image build (writes it) and the launcher (checks it).
import nacl from "tweetnacl";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export const MANIFEST_FORMAT = 1;

export interface Artifact {
  size: number;
  sha256: string;
}

export interface ManifestBody {
  format: number;
  version: string;
  kernelConfigHash: string;
  bunVersion: string;
  artifacts: Record<string, Artifact>;
}

export interface Manifest extends ManifestBody {
  publicKey: string;
  signature: string;
}

/** The exact bytes that are signed: the body with keys in a fixed order. */
export function signedBytes(m: ManifestBody): Uint8Array {
  const artifacts: Record<string, Artifact> = {};
  for (const name of Object.keys(m.artifacts).sort()) {
    const a = m.artifacts[name]!;
    artifacts[name] = { size: a.size, sha256: a.sha256 };
  }
  const body = { format: m.format, version: m.version, kernelConfigHash: m.kernelConfigHash, bunVersion: m.bunVersion, artifacts };
  return new TextEncoder().encode(JSON.stringify(body));
}

export function signManifest(body: ManifestBody, secretKey: Uint8Array): Manifest {
  const sig = nacl.sign.detached(signedBytes(body), secretKey);
  const publicKey = secretKey.slice(32);
  return { ...body, publicKey: Buffer.from(publicKey).toString("base64"), signature: Buffer.from(sig).toString("base64") };
}

export function hashFile(path: string): Artifact {
  const h = createHash("sha256");
  h.update(readFileSync(path));
  return { size: statSync(path).size, sha256: h.digest("hex") };
}

export type VerifyProblem =
  | { kind: "malformed"; message: string }
  | { kind: "signature"; message: string }
  | { kind: "untrusted-key"; message: string }
  | { kind: "missing"; artifact: string; message: string }
  | { kind: "mismatch"; artifact: string; message: string };

/** Parse manifest text; a malformed file is a problem, never an exception. */
export function parseManifest(text: string): Manifest | VerifyProblem {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    return { kind: "malformed", message: `manifest is not JSON: ${(e as Error).message}` };
  }
  const o = m as Partial<Manifest>;
  if (!o || typeof o !== "object" || o.format !== MANIFEST_FORMAT || typeof o.signature !== "string" || typeof o.publicKey !== "string" || !o.artifacts || typeof o.artifacts !== "object") {
    return { kind: "malformed", message: `manifest lacks format ${MANIFEST_FORMAT}, artifacts, publicKey or signature` };
  }
  for (const [name, a] of Object.entries(o.artifacts)) {
    if (!a || typeof a.size !== "number" || typeof a.sha256 !== "string") return { kind: "malformed", message: `manifest entry '${name}' lacks size or sha256` };
  }
  return o as Manifest;
}

/**
 * Check the signature (and, when given, that it was made by the trusted key),
 * then every artifact in `dir`. Returns the problems found; empty means valid.
 */
export function verifyManifest(m: Manifest, dir: string, trustedPublicKey?: Uint8Array): VerifyProblem[] {
  const pub = Buffer.from(m.publicKey, "base64");
  const sig = Buffer.from(m.signature, "base64");
  if (pub.length !== nacl.sign.publicKeyLength || sig.length !== nacl.sign.signatureLength) {
    return [{ kind: "malformed", message: "manifest publicKey or signature has the wrong length" }];
  }
  if (!nacl.sign.detached.verify(signedBytes(m), sig, pub)) {
    return [{ kind: "signature", message: "manifest signature does not verify: the manifest was edited after signing" }];
  }
  const problems: VerifyProblem[] = [];
  if (trustedPublicKey && !Buffer.from(trustedPublicKey).equals(pub)) {
    problems.push({ kind: "untrusted-key", message: "manifest was signed by a key other than this checkout's build key" });
  }
  for (const [name, want] of Object.entries(m.artifacts)) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      problems.push({ kind: "missing", artifact: name, message: `${name}: missing` });
      continue;
    }
    const got = hashFile(path);
    if (got.size !== want.size || got.sha256 !== want.sha256) {
      problems.push({ kind: "mismatch", artifact: name, message: `${name}: sha256 ${got.sha256.slice(0, 16)}… size ${got.size}, manifest says ${want.sha256.slice(0, 16)}… size ${want.size}` });
    }
  }
  return problems;
}
