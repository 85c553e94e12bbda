// Which words are glob patterns: a `[` with no closing `]` is literal (the `[` command runs
// in every `while [ ... ]` loop, and globbing it read the directory each time).
import { expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { glob, hasGlobChars } from "./pattern.ts";

test("a lone [ or ] is not a pattern; a bracket expression is", () => {
  for (const w of ["[", "]", "a[", "[a", "x\\[y]", "[!"]) expect(hasGlobChars(w)).toBe(false);
  for (const w of ["[ab]", "a[!x]", "[]]", "[!]]", "*", "a?", "x[0-9]y"]) expect(hasGlobChars(w)).toBe(true);
});

test("bracket expressions still match files", () => {
  const d = fs.mkdtempSync(join(tmpdir(), "tsh-glob-"));
  try {
    for (const f of ["a1", "a2", "b1", "]x"]) fs.writeFileSync(join(d, f), "");
    expect(glob("a[12]", d)).toEqual(["a1", "a2"]);
    expect(glob("[!a]1", d)).toEqual(["b1"]);
    expect(glob("[]]x", d)).toEqual(["]x"]);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});
