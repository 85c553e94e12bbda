// tsh against dash: every case's stdout, exit status and whether it wrote to stderr must agree.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { loadCases, pool, runDash, runTsh, type Result } from "./harness.ts";

const cases = loadCases(join(import.meta.dir, "cases"));
const results = new Map<string, { tsh: Result; dash: Result }>();

beforeAll(async () => {
  const done = await pool(
    cases.map((c) => async () => ({ name: c.name, tsh: await runTsh(c), dash: await runDash(c) })),
    8,
  );
  for (const r of done) results.set(r.name, r);
}, 120_000);

describe("tsh vs dash", () => {
  test("has at least 300 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });
  for (const c of cases) {
    test(c.name, () => {
      const r = results.get(c.name)!;
      const summary = (x: Result) => ({ stdout: x.stdout, status: x.status, stderr: x.stderr !== "" });
      const got = summary(r.tsh);
      const want = summary(r.dash);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        console.error(`--- ${c.name}\n${c.script}\n--- tsh stderr: ${r.tsh.stderr}--- dash stderr: ${r.dash.stderr}`);
      }
      expect(got).toEqual(want);
    });
  }
});
