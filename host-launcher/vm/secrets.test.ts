import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureVncPassword } from "./secrets.ts";

test("the VNC password is made once, kept 0600, and is 8 typeable characters", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsos-secrets-"));
  try {
    const pw = ensureVncPassword(dir);
    expect(pw).toMatch(/^[A-Za-z2-9]{8}$/);
    expect(statSync(join(dir, "vnc_password")).mode & 0o777).toBe(0o600);
    expect(ensureVncPassword(dir)).toBe(pw);
    const other = mkdtempSync(join(tmpdir(), "tsos-secrets-"));
    expect(ensureVncPassword(other)).not.toBe(pw);
    rmSync(other, { recursive: true });
  } finally {
    rmSync(dir, { recursive: true });
  }
});
