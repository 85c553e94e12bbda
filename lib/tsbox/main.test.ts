import { expect, test } from "bun:test";
import { dispatch } from "./main.ts";
import { programs } from "./programs.ts";

test("every program's module loads and exports main (loading starts nothing)", async () => {
  for (const p of programs) expect(typeof (await p.load()).main).toBe("function");
});

test("dispatch by argv[0] and by first argument agree; unknown names are usage errors", async () => {
  // wm without a framebuffer says so with status 1, whichever way it is named.
  expect(await dispatch("/usr/bin/wm", ["--fb", "/nonexistent/fb0"])).toBe(1);
  expect(await dispatch("tsbox", ["wm", "--fb", "/nonexistent/fb0"])).toBe(1);
  expect(await dispatch("tsbox", ["nope"])).toBe(2);
  expect(await dispatch("tsbox", [])).toBe(2);
});
