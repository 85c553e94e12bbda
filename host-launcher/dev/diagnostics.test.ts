import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChecker } from "./diagnostics.ts";

test("the warm checker reports a type error with its position, and nothing for good code", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsos-diag-"));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ESNext", lib: ["ESNext"], noEmit: true }, include: ["*.ts"] }));
  const f = join(dir, "a.ts");
  writeFileSync(f, "export const n: number = [1, 2].map((x) => x * 2).length;\n");
  const c = createChecker(dir);
  expect(c.check([f])).toEqual([]);
  writeFileSync(f, "export const n: number = 'text';\n");
  const d = c.check([f]);
  expect(d).toHaveLength(1);
  expect(d[0]).toMatchObject({ file: "a.ts", line: 1, col: 14 });
  expect(d[0]!.message).toContain("not assignable to type 'number'");
});
