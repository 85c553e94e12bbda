import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "./logger.ts";

test("entries go to the ring, the file and followers; warnings are mirrored", () => {
  const file = join(mkdtempSync(join(tmpdir(), "tsos-log-")), "log", "tsos.jsonl");
  const mirrored: string[] = [];
  const log = new Logger({ file, console: (l) => mirrored.push(l) });
  const followed: string[] = [];
  const stop = log.follow((e) => followed.push(e.msg));
  log.info("init", "one", "abc");
  log.warn("sshd", "two");
  stop();
  log.info("init", "three");
  expect(log.entries({ service: "init" }).map((e) => e.msg)).toEqual(["one", "three"]);
  expect(log.entries({ trace: "abc" }).map((e) => e.msg)).toEqual(["one"]);
  expect(followed).toEqual(["one", "two"]);
  expect(mirrored).toHaveLength(1);
  expect(mirrored[0]).toContain("warn  sshd: two");
  expect(readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l).msg)).toEqual(["one", "two", "three"]);
});

test("the file rotates at its size limit and the ring keeps the newest", () => {
  const file = join(mkdtempSync(join(tmpdir(), "tsos-log-")), "tsos.jsonl");
  const log = new Logger({ file, maxFileBytes: 300, ringSize: 3 });
  for (let i = 0; i < 10; i++) log.info("svc", `message number ${i}`);
  expect(existsSync(file + ".1")).toBe(true);
  expect(readFileSync(file, "utf8").length).toBeLessThanOrEqual(300);
  expect(log.entries().map((e) => e.msg)).toEqual(["message number 7", "message number 8", "message number 9"]);
});
