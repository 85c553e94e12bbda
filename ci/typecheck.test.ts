// The whole checkout type-checks under strict settings (tsc --noEmit).
import { expect, test } from "bun:test";
import { resolve } from "node:path";

test("tsc --noEmit is clean", () => {
  const root = resolve(import.meta.dir, "..");
  const p = Bun.spawnSync([resolve(root, "node_modules/.bin/tsc"), "--noEmit", "-p", root], { cwd: root });
  const out = p.stdout.toString() + p.stderr.toString();
  if (p.exitCode !== 0) console.error(out.split("\n").slice(0, 40).join("\n"));
  expect(p.exitCode).toBe(0);
}, 120_000);
