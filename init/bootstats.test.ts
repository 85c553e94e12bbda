import { expect, test } from "bun:test";
import { memInfo, parseKmsg } from "./bootstats.ts";

test("kmsg records give their kernel timestamp in ms and their text", () => {
  expect(parseKmsg("6,301,1234567,-;Run /init as init process\n SUBSYSTEM=x")).toEqual({ ms: 1234.567, text: "Run /init as init process" });
  expect(parseKmsg("garbage")).toBeUndefined();
});

test("meminfo fields parse in KiB", () => {
  expect(memInfo("MemTotal:         500000 kB\nMemFree:  1 kB\nMemAvailable:     400000 kB\n")).toEqual({ totalKiB: 500000, availableKiB: 400000 });
});
