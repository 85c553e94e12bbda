// How a guest's final reset is read: power-off, reboot or crash, from what init and the kernel printed.
import { expect, test } from "bun:test";
import { stopKind } from "./vm-process.ts";

test("init's farewell decides power-off versus reboot; a panic is a crash", () => {
  expect(stopKind("...\ntsos: init: powering off\n", "reboot")).toBe("poweroff");
  expect(stopKind("...\ntsos: init: rebooting\n", "reboot")).toBe("reboot");
  expect(stopKind("Kernel panic - not syncing: Attempted to kill init!", "reboot")).toBe("crash");
  expect(stopKind("", "poweroff")).toBe("poweroff");
  expect(stopKind("", "reboot")).toBe("reboot");
});
