// The per-checkout Ed25519 build key that signs image manifests (build/keys/, mode 0600).
import nacl from "tweetnacl";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function buildKeyPaths(root: string): { secret: string; public: string } {
  const dir = join(root, "build", "keys");
  return { secret: join(dir, "build-ed25519.key"), public: join(dir, "build-ed25519.pub") };
}

export function loadOrCreateBuildKey(root: string): nacl.SignKeyPair {
  const p = buildKeyPaths(root);
  if (existsSync(p.secret)) {
    const secretKey = new Uint8Array(Buffer.from(readFileSync(p.secret, "utf8").trim(), "base64"));
    if (secretKey.length !== nacl.sign.secretKeyLength) throw new Error(`${p.secret} is not an Ed25519 secret key; delete it to make a new one`);
    return nacl.sign.keyPair.fromSecretKey(secretKey);
  }
  mkdirSync(join(root, "build", "keys"), { recursive: true, mode: 0o700 });
  const pair = nacl.sign.keyPair();
  writeFileSync(p.secret, Buffer.from(pair.secretKey).toString("base64") + "\n", { mode: 0o600 });
  chmodSync(p.secret, 0o600);
  writeFileSync(p.public, Buffer.from(pair.publicKey).toString("base64") + "\n", { mode: 0o644 });
  return pair;
}

export function readBuildPublicKey(root: string): Uint8Array | undefined {
  const p = buildKeyPaths(root).public;
  return existsSync(p) ? new Uint8Array(Buffer.from(readFileSync(p, "utf8").trim(), "base64")) : undefined;
}
