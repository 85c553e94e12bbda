import { expect, test } from "bun:test";
import { parseLogsArgs } from "./logs.ts";
import { formatServices } from "./service.ts";

test("logs options parse, and bad ones are usage errors", () => {
  expect(parseLogsArgs(["-f", "--service", "sshd", "-n", "5", "--json"])).toEqual({ follow: true, service: "sshd", limit: 5, json: true });
  expect(parseLogsArgs(["-n", "x"])).toContain("whole number");
  expect(parseLogsArgs(["--bogus"])).toContain("unknown option --bogus");
  expect(parseLogsArgs(["--service"])).toContain("needs a value");
});

test("service table lines up columns", () => {
  const out = formatServices([
    { name: "klogd", state: "running", ready: true, pid: 30, restarts: 0, lastExit: null, code: "image" },
    { name: "flaky", state: "failed", ready: false, pid: null, restarts: 4, lastExit: null, code: "image", error: "crash loop" },
  ]);
  expect(out.split("\n")).toEqual(["NAME   STATE    PID  RESTARTS  CODE   ERROR", "klogd  running  30   0         image", "flaky  failed   -    4         image  crash loop"]);
});
