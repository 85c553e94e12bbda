import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeVncPassword } from "./secrets.ts";

test("the VNC password is 8 typeable characters in a 0600 file in the VM's directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsos-secrets-"));
  try {
    const { password, file } = writeVncPassword(dir);
    expect(password).toMatch(/^[a-z2-9]{8}$/);
    expect(file).toBe(join(dir, "vnc-password"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toBe(password + "\n");
    expect(writeVncPassword(dir).password).not.toBe(password); // a new one each run
  } finally {
    rmSync(dir, { recursive: true });
  }
});
