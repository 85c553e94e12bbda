// tsh's builtin commands against GNU coreutils (and grep/findutils) on the host,
// for the options tsos lists. Both run in copies of the same fixture directory.
import { describe, expect, test } from "bun:test";
import * as fs from "node:fs";
import { fixtureDir } from "../conformance/harness.ts";
import { BufferStream, CaptureStream } from "../interp/io.ts";
import { Shell } from "../interp/shell.ts";
import { runProgram } from "../interp/source.ts";

const CASES: string[] = [
  "echo a b c", "printf '%5.2f|%-4s|%03d\\n' 3.14159 ab 7", "cat a.txt b.txt", "cat -n b.txt",
  "head -n 2 a.txt", "head -c 5 a.txt", "tail -n 2 b.txt", "tail -n +3 b.txt", "tail -c 4 a.txt",
  "wc a.txt b.txt", "wc -l a.txt", "wc -w b.txt", "wc -c a.txt", "wc < b.txt",
  "grep -i APPLE a.txt", "grep -v an a.txt", "grep -n e a.txt", "grep -c e a.txt", "grep -E 'ap+le|ch' a.txt", "grep -r int dir | sort", "grep -x cherry a.txt", "grep -w two b.txt", "grep -o an a.txt", "grep -l e a.txt b.txt",
  "sort nums.txt", "sort -n nums.txt", "sort -r a.txt", "sort -u nums.txt", "sort -rn nums.txt", "sort -t: -k2 c.txt", "sort -k2 b.txt",
  "uniq nums.txt", "sort nums.txt | uniq -c", "sort nums.txt | uniq -d", "sort nums.txt | uniq -u",
  "cut -d: -f1 c.txt", "cut -d: -f2- c.txt", "cut -c1-3 a.txt", "cut -d' ' -f2 b.txt", "cut -s -d' ' -f1 b.txt",
  "tr a-z A-Z < a.txt", "tr -d aeiou < a.txt", "tr -s ' ' < b.txt", "tr -c a-z _ < a.txt", "tr '[:lower:]' '[:upper:]' < a.txt",
  "tee t1 < a.txt; cat t1", "seq 5", "seq 2 2 9", "seq -s, 3", "seq -w 8 10",
  "basename /a/b/c.txt .txt", "dirname /a/b/", "basename -a x/y z/w",
  "ls", "ls -a", "ls dir", "ls -R dir", "ls -d dir",
  "mkdir -p m/n/o && ls -R m", "cp -r dir d2 && ls -R d2", "cp a.txt cc && cat cc", "mv a.txt mm && ls",
  "rm -r dir && ls", "rm -f nothere; echo $?", "rm nothere; echo $?", "rmdir dir/sub; echo $?",
  "touch tt && ls", "ln -s a.txt sl && cat sl", "find dir -name '*.c'", "find dir -type d", "find . -maxdepth 1 -type f",
  "echo a b c | xargs -n 1 echo", "printf '1\\n2\\n' | xargs echo x", "env -i A=1 env",
  "date -u -d @86400 +%Y-%m-%dT%H:%M:%S", "date -u -d @0", "uname -s", "uname -m", "uname -r", "uname -n", "uname -a",
  "id -u", "id -g", "id -un", "whoami", "chmod 640 a.txt && ls -l a.txt | cut -c1-10", "chmod u+x,g-r a.txt && ls -l a.txt | cut -c1-10",
  "du -s dir | cut -f2", "kill -l 9", "sleep 0.01; echo $?", "test 1 -lt 2; echo $?", "[ -d dir ]; echo $?",
];

async function tsh(script: string): Promise<{ out: string; status: number }> {
  const dir = setup();
  try {
    const sh = Shell.fromEnvironment({ PATH: "/usr/bin:/bin", HOME: dir, LC_ALL: "C", TZ: "UTC" });
    sh.cwd = dir;
    const out = new CaptureStream();
    sh.fds.set(0, new BufferStream(""));
    sh.fds.set(1, out);
    sh.fds.set(2, new CaptureStream());
    const status = await runProgram(sh, script, "-c");
    return { out: out.text(), status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function gnu(script: string): { out: string; status: number } {
  const dir = setup();
  try {
    const r = Bun.spawnSync(["bash", "-c", script], { cwd: dir, env: { PATH: "/usr/bin:/bin", HOME: dir, LC_ALL: "C", TZ: "UTC" } });
    return { out: r.stdout.toString(), status: r.exitCode };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function setup(): string {
  const d = fixtureDir();
  fs.writeFileSync(`${d}/c.txt`, "b:2:x\na:10:y\nc:1:z\n");
  return d;
}

describe("builtin commands match GNU tools", () => {
  for (const c of CASES) {
    test(c, async () => {
      expect(await tsh(c)).toEqual(gnu(c));
    });
  }
});

describe("every command has --help", () => {
  test("--help prints usage and exits 0", async () => {
    const { commandNames } = await import("./index.ts");
    for (const name of commandNames().filter((n) => n !== "[" && n !== "test")) {
      const r = await tsh(`${name} --help`);
      expect({ name, status: r.status }).toEqual({ name, status: 0 });
      expect(r.out.length).toBeGreaterThan(10);
    }
  });
});
