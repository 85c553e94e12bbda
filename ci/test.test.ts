import { expect, test } from "bun:test";
import { parseJunit } from "./test.ts";

test("the summary reads totals from bun's JUnit report", () => {
  const xml = `<?xml version="1.0"?>\n<testsuites name="bun test" tests="7" assertions="9" failures="2" skipped="1" time="0.1">\n<testsuite tests="3" failures="9">`;
  expect(parseJunit(xml)).toEqual({ tests: 7, failures: 2, skipped: 1 });
  expect(parseJunit("garbage")).toBeUndefined();
});
