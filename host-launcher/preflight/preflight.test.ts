// Preflight's decisions without depending on this host: backend choice, other OSes' checks, image problems.
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hvfChecks } from "./hvf.ts";
import { imageChecks } from "./image.ts";
import { recommendBackend } from "./preflight.ts";
import { whpChecks } from "./whp.ts";

test("the native launcher is recommended only for hardware-accelerated KVM", () => {
  expect(recommendBackend("hardware-accelerated", true).backend).toBe("kvm");
  expect(recommendBackend("emulation-grade", true)).toEqual({ backend: "qemu", reason: expect.stringContaining("emulation-grade") });
  expect(recommendBackend("hardware-accelerated", false).backend).toBe("qemu");
});

test("WHP and HVF report 'not this OS' on other platforms", () => {
  expect(whpChecks("linux")).toEqual([{ name: "whp", status: "skip", detail: expect.stringContaining("not this OS"), action: "" }]);
  expect(hvfChecks("linux")[0]!.detail).toContain("not this OS");
});

test("image checks name the problem and the action", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsos-preflight-"));
  try {
    expect(imageChecks(dir, dir)[0]).toMatchObject({ status: "fail", action: "run 'make image'" });
    writeFileSync(join(dir, "manifest.json"), "{not json");
    expect(imageChecks(dir, dir)[0]).toMatchObject({ status: "fail", detail: expect.stringContaining("not JSON") });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
