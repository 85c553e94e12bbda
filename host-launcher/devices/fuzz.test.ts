// Random and hostile rings, registers and config accesses against every device model
// (testing/fuzz.ts). It runs in a child process with a deadline: a device model that loops
// forever fails this test instead of hanging the runner.
import { expect, test } from "bun:test";
import { join } from "node:path";
import type { FuzzReport } from "./testing/fuzz.ts";

const SEEDS = [1, 2, 3, 0x5eed, Date.now() % 2 ** 31];
const ITERATIONS = 4000;
const DEADLINE_MS = 60_000;

test(
  "no device lets an exception escape or hangs on garbage rings",
  async () => {
    for (const seed of SEEDS) {
      const child = Bun.spawn([process.execPath, join(import.meta.dir, "testing/fuzz.ts"), String(seed), String(ITERATIONS)], { stdout: "pipe", stderr: "pipe" });
      const timer = setTimeout(() => child.kill(9), DEADLINE_MS);
      const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      clearTimeout(timer);
      expect({ seed, code, err: err.slice(-2000) }).toEqual({ seed, code: 0, err: "" });
      const report = JSON.parse(out.trim().split("\n").at(-1)!) as FuzzReport;
      expect(report.escaped).toEqual([]);
      expect(report.unrecoverable).toEqual([]);
      // Every single MMIO access or host event returns promptly (a vCPU waits on it).
      expect(report.maxOpMs).toBeLessThan(1000);
      // The garbage was noticed and logged, not silently accepted.
      for (const n of Object.values(report.logged)) expect(n).toBeGreaterThan(0);
    }
  },
  DEADLINE_MS * SEEDS.length,
);
