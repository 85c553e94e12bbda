// Integration: the built image in build/image/ (run `make image` first).
// Checks the manifest, that corruption is caught and named, and that a rebuild is byte-identical.
import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync, closeSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const image = join(root, "build/image");
const bun = process.execPath;

function verify(dir: string) {
  const p = Bun.spawnSync([bun, join(root, "buildroot/verify.ts"), dir]);
  return { code: p.exitCode, out: p.stdout.toString() + p.stderr.toString() };
}

function digests(): Record<string, string> {
  const m = JSON.parse(readFileSync(join(image, "manifest.json"), "utf8")) as { artifacts: Record<string, { sha256: string }> };
  return { ...Object.fromEntries(Object.entries(m.artifacts).map(([k, v]) => [k, v.sha256])), "manifest.json": new Bun.CryptoHasher("sha256").update(readFileSync(join(image, "manifest.json"))).digest("hex") };
}

describe("image", () => {
  test("verify accepts the freshly built image", () => {
    const r = verify(image);
    expect(r.out).toContain("verify: ok: 3 artifacts");
    expect(r.code).toBe(0);
  });

  test("one corrupted byte in the root image makes verify fail and name it", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsos-corrupt-"));
    try {
      for (const f of ["manifest.json", "bzImage", "vmlinux", "rootfs.erofs"]) copyFileSync(join(image, f), join(dir, f));
      const target = join(dir, "rootfs.erofs");
      const at = Math.floor(statSync(target).size / 2);
      const fd = openSync(target, "r+");
      const b = Buffer.alloc(1);
      readSync(fd, b, 0, 1, at);
      b[0] = b[0]! ^ 0x01;
      writeSync(fd, b, 0, 1, at);
      closeSync(fd);
      const r = verify(dir);
      expect(r.code).toBe(1);
      expect(r.out).toContain("FAILED: rootfs.erofs: sha256");
      expect(r.out).not.toContain("bzImage:");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a second `make image` gives byte-identical kernel, root image and manifest", () => {
    const before = digests();
    const p = Bun.spawnSync([bun, join(root, "buildroot/image.ts")], { cwd: root });
    expect(p.exitCode).toBe(0);
    expect(digests()).toEqual(before);
  }, 300_000);
});
