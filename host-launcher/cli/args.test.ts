import { expect, test } from "bun:test";
import { helpText, intOption, parseArgs, UsageError, type VerbSpec } from "./args.ts";
import { main, verbs } from "./main.ts";

const spec: VerbSpec = {
  name: "x",
  summary: "test verb",
  usage: "tsos x",
  options: [
    { name: "vm", help: "which", default: "default" },
    { name: "json", help: "json", default: false },
    { name: "env", short: "e", help: "env", default: [] },
  ],
};

test("options, flags, repeats and the rest after --", () => {
  expect(parseArgs(spec, ["--vm=a", "--json", "-e", "A=1", "--env", "B=2", "op", "--", "--vm", "x"])).toEqual({ opts: { vm: "a", json: true, env: ["A=1", "B=2"] }, rest: ["op", "--vm", "x"] });
  expect(() => parseArgs(spec, ["--nope"])).toThrow(UsageError);
  expect(() => parseArgs(spec, ["--vm"])).toThrow(/needs a value/);
  expect(() => intOption("9", "cpus", 1, 4)).toThrow(/1 to 4/);
});

test("help lists every option with its default", () => {
  const h = helpText(spec);
  expect(h).toContain("--vm VALUE");
  expect(h).toContain("(default: default)");
  expect(h).toContain("(repeatable)");
  expect(h).toMatch(/--json\s+json \(default: off\)/);
});

test("every verb's help gives every option a default", () => {
  for (const v of verbs) {
    const optionLines = helpText(v.spec).split("\n").filter((l) => /^\s+(-\w, )?--/.test(l));
    expect(optionLines.length).toBe(v.spec.options.length);
    for (const l of optionLines) expect(l).toMatch(/\((default: .+|repeatable)\)$/);
  }
});

test("the CLI's exit codes: usage 2, help 0, unknown verb 2", async () => {
  expect(await main([])).toBe(2);
  expect(await main(["--help"])).toBe(0);
  expect(await main(["frobnicate"])).toBe(2);
  expect(await main(["ctl", "--help"])).toBe(0);
  expect(await main(["ctl", "--bogus"])).toBe(2);
  expect(await main(["run", "--backend", "hvf"])).toBe(2);
  expect(await main(["preflight", "--help"])).toBe(0);
  expect(await main(["boot-spike"])).toBe(0); // prints the plan, runs nothing
  expect(await main(["boot-spike", "--execute", "--repeat", "0"])).toBe(2);
});
