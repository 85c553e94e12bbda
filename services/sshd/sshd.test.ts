import { expect, test } from "bun:test";
import { utils } from "ssh2";
import { findKey, keyPolicy, parseAuthorizedKeys, rsaBits, SourceBackoff } from "./auth.ts";
import { commandArgv } from "./session.ts";
import { openFlags } from "./sftp.ts";
import { constants } from "node:fs";

const pub = (k: { public: string }) => k.public.trim();

test("authorized_keys: ed25519, ecdsa and RSA >= 3072 accepted; short RSA keys and junk lines refused", () => {
  const ed = utils.generateKeyPairSync("ed25519");
  const ec = utils.generateKeyPairSync("ecdsa", { bits: 256 });
  const rsaBig = utils.generateKeyPairSync("rsa", { bits: 3072 });
  const rsaSmall = utils.generateKeyPairSync("rsa", { bits: 2048 });
  const { keys, problems } = parseAuthorizedKeys([`${pub(ed)} alice`, pub(ec), pub(rsaBig), pub(rsaSmall), "# a comment", "", "garbage line"]);
  expect(keys.map((k) => k.key.type)).toEqual(["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"]);
  expect(keys[0]!.comment).toBe("alice");
  expect(keys[0]!.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  expect(problems).toEqual([expect.stringContaining("RSA key of 2048 bits"), expect.stringContaining("unreadable")]);
  const big = utils.parseKey(pub(rsaBig)) as import("ssh2").ParsedKey;
  expect(rsaBits(big.getPublicSSH())).toBe(3072);
  expect(keyPolicy("ssh-dss", Buffer.alloc(0))).toContain("not accepted");
  // RSA keys sign with rsa-sha2-* algorithm names but are stored as ssh-rsa.
  expect(findKey(keys, "rsa-sha2-512", big.getPublicSSH())?.key.type).toBe("ssh-rsa");
  expect(findKey(keys, "ssh-ed25519", big.getPublicSSH())).toBeUndefined();
});

test("per-source backoff after repeated failures, cleared by a success", () => {
  let now = 0;
  const b = new SourceBackoff(3, 60_000, 30_000, () => now);
  for (let i = 0; i < 3; i++) b.fail("1.2.3.4");
  expect(b.blocked("1.2.3.4")).toBe(30_000);
  expect(b.blocked("5.6.7.8")).toBe(0);
  now += 30_001;
  expect(b.blocked("1.2.3.4")).toBe(0);
  b.fail("9.9.9.9");
  b.succeed("9.9.9.9");
  expect(b.blocked("9.9.9.9")).toBe(0);
});

test("exec requests run through the user's shell, as OpenSSH does", () => {
  expect(commandArgv("uname -a", "/bin/sh")).toEqual(["/bin/sh", "-c", "uname -a"]);
});

test("every SFTP open-flag combination maps to open(2) flags", () => {
  const { READ, WRITE, CREAT, TRUNC, APPEND, EXCL } = utils.sftp.OPEN_MODE;
  expect(openFlags(READ)).toBe(constants.O_RDONLY);
  expect(openFlags(WRITE | CREAT)).toBe(constants.O_WRONLY | constants.O_CREAT); // what scp sends
  expect(openFlags(READ | WRITE | CREAT | TRUNC)).toBe(constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC);
  expect(openFlags(WRITE | APPEND | CREAT | EXCL)).toBe(constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL);
});
