import { expect, test } from "bun:test";
import * as fs from "node:fs";
import { readable, RawMode } from "./ffi.ts";

test("poll says a regular file is readable", () => {
  const fd = fs.openSync(import.meta.path, "r");
  expect(readable(fd, 0)).toBe(true);
  fs.closeSync(fd);
});

test("raw mode on a non-terminal fails cleanly", () => {
  const fd = fs.openSync(import.meta.path, "r");
  expect(new RawMode(fd).enter()).toBe(false);
  fs.closeSync(fd);
});
