import { expect, test } from "bun:test";
import { parseCmdline } from "./cmdline.ts";
import { helloLine } from "./hello.ts";

test("tsos.* keys are collected and tsos.test=poweroff recognised", () => {
  const f = parseCmdline("console=ttyS0 root=/dev/vda tsos.test=poweroff tsos.flag tsos.x=a=b\n");
  expect(f.test).toBe("poweroff");
  expect(f.all).toEqual({ test: "poweroff", flag: "", x: "a=b" });
});

test("unknown tsos.test values do not power off", () => {
  expect(parseCmdline("tsos.test=reboot").test).toBeUndefined();
  expect(parseCmdline("").test).toBeUndefined();
});

test("the hello line has the exact documented shape", () => {
  expect(helloLine(1, "6.1.192", 1785.4)).toBe("tsos: hello from init (pid 1) kernel=6.1.192 t=1785");
});
