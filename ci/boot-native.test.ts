// Integration: ci/boot-native runs the native launcher's checks on this host's KVM
// (about 70 s on emulation-grade KVM, most of it the real kernel booting as far as it can).
// Each check is reported as run or skipped with the reason; a skipped check is printed, never silently passed.
import { expect, test } from "bun:test";
import { resolve } from "node:path";
import type { CheckResult } from "./boot-native.ts";

const root = resolve(import.meta.dir, "..");

test("native launcher: preflight, boot-spike x200 without leaks, micro payload hello, the real kernel's console through our 8250", async () => {
  const p = Bun.spawn([resolve(root, "ci/boot-native")], { stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
  const code = await p.exited;
  process.stdout.write(out.split("\n").filter((l) => !l.startsWith("boot-native: result ")).join("\n"));
  if (code !== 0) process.stderr.write(err);
  const line = out.split("\n").find((l) => l.startsWith("boot-native: result "));
  expect(line).toBeDefined();
  const { results } = JSON.parse(line!.slice("boot-native: result ".length)) as { results: CheckResult[] };
  for (const r of results.filter((x) => !x.ran)) console.log(`SKIPPED: ${r.name}: ${r.detail}`);
  expect(results.filter((r) => r.ran && !r.ok)).toEqual([]);
  const ran = (name: string) => results.find((r) => r.name.startsWith(name))?.ran;
  if (ran("preflight")) {
    expect(ran("boot-spike leak check")).toBe(true);
    expect(results.find((r) => r.name === "micro payload hello")!.detail).toContain('"hello\\n"');
  }
  expect(code).toBe(0);
}, 330_000);
