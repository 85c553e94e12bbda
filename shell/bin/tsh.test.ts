// The `tsh` bin of package.json: `npx tsh FILE` and `npx tsh -c CMD` from a checkout, and the
// launcher script itself. npx resolves the root package's own bin, so this runs the real script.
import { afterAll, describe, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "../..");
const script = join(root, "shell/bin/tsh");
const npx = Bun.which("npx");
if (!npx) console.log("shell/bin/tsh.test.ts: npx not on PATH; the npx cases are skipped, the script path is still tested");

const dir = fs.mkdtempSync(join(tmpdir(), "tsh-bin-"));
const file = join(dir, "greet.sh");
fs.writeFileSync(file, 'echo "hello $1 from $0"\ncase $(echo x | tr x y) in y) exit 4;; esac\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ out: string; status: number }> {
  const p = Bun.spawn(argv, { cwd: root, stdout: "pipe", stderr: "inherit", stdin: "ignore" });
  const [out, status] = await Promise.all([new Response(p.stdout).text(), p.exited]);
  return { out, status };
}

describe("tsh bin", () => {
  test("package.json names the launcher", () => {
    const pkg = JSON.parse(fs.readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.bin.tsh).toBe("shell/bin/tsh");
    expect(fs.statSync(script).mode & 0o111).not.toBe(0);
  });

  const ways: [string, string[]][] = [["script path", [script]]];
  if (npx) ways.push(["npx --no-install tsh", [npx, "--no-install", "tsh"]]);
  for (const [how, prefix] of ways) {
    test(`${how} -c CMD: output, \$0 and exit status`, async () => {
      const r = await run([...prefix, "-c", 'echo "c: $0 $1"; exit 5', "name", "arg"]);
      expect(r).toEqual({ out: "c: name arg\n", status: 5 });
    }, 60_000);
    test(`${how} FILE ARG: runs the script`, async () => {
      const r = await run([...prefix, file, "world"]);
      expect(r).toEqual({ out: `hello world from ${file}\n`, status: 4 });
    }, 60_000);
  }
});
