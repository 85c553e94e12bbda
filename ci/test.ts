// make test: run every bun test file (unit tests beside the code, VM tests in ci/)
// and end with the one summary line CI reads: "N passed, N failed[, N skipped]".
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const junit = join(root, "build/test/junit.xml");

export interface Counts {
  tests: number;
  failures: number;
  skipped: number;
}

/** The totals from bun's JUnit report (the <testsuites> element). */
export function parseJunit(xml: string): Counts | undefined {
  const m = /<testsuites\b([^>]*)>/.exec(xml);
  if (!m) return undefined;
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(m[1]!)?.[1] ?? 0);
  return { tests: attr("tests"), failures: attr("failures") + attr("errors"), skipped: attr("skipped") };
}

if (import.meta.main) {
  mkdirSync(join(root, "build/test"), { recursive: true });
  rmSync(junit, { force: true });
  const args = process.argv.slice(2);
  // 60 s per test unless a test says otherwise: VM tests on a busy 2-core host can exceed bun's 5 s default
  // without anything being wrong, and one timeout makes bun kill the VM the rest of the file needs.
  const p = Bun.spawn([process.execPath, "test", "--timeout=60000", "--reporter=junit", `--reporter-outfile=${junit}`, ...args], { cwd: root, stdout: "inherit", stderr: "inherit" });
  const code = await p.exited;
  const counts = existsSync(junit) ? parseJunit(readFileSync(junit, "utf8")) : undefined;
  let passed = 0;
  let failed = 1; // no report at all means the runner itself broke
  let skipped = 0;
  if (counts) {
    passed = counts.tests - counts.failures - counts.skipped;
    failed = counts.failures;
    skipped = counts.skipped;
    // bun exits non-zero for load errors that may not appear as failed testcases.
    if (code !== 0 && failed === 0) failed = 1;
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed === 0 && code === 0 ? 0 : 1);
}
