// Runs one script under tsh (in-process, or as a real process) and under dash,
// each in its own fresh directory with the same fixture files.
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BufferStream, CaptureStream } from "../interp/io.ts";
import { Shell } from "../interp/shell.ts";
import { runProgram } from "../interp/source.ts";

export interface Case {
  name: string;
  file: string;
  script: string;
  /** Run tsh as a separate process (signals, umask, anything process-wide). */
  subprocess: boolean;
  stdin: string;
}

export interface Result {
  stdout: string;
  stderr: string;
  status: number;
}

const ROOT = join(import.meta.dir, "../..");

/** Cases are separated by `#### name` lines; `# subprocess` and `# stdin: TEXT` lines set options. */
export function loadCases(dir: string): Case[] {
  const cases: Case[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".sh")).sort()) {
    const text = fs.readFileSync(join(dir, file), "utf8");
    const chunks = text.split(/^#### /m).slice(1);
    for (const chunk of chunks) {
      const nl = chunk.indexOf("\n");
      const name = chunk.slice(0, nl).trim();
      const script = chunk.slice(nl + 1);
      const stdin = /^# stdin: (.*)$/m.exec(script)?.[1]?.replace(/\\n/g, "\n") ?? "";
      cases.push({ name: `${file.replace(/\.sh$/, "")}: ${name}`, file, script, subprocess: /^# subprocess$/m.test(script), stdin });
    }
  }
  return cases;
}

/** The files every case starts with, by path relative to its directory (the guest test lays them out too). */
export const FIXTURES: Record<string, string> = {
  "a.txt": "apple\nbanana\ncherry\n",
  "b.txt": "one two\nthree four five\n\nsix\n",
  "nums.txt": "10\n9\n100\n2\n33\n2\n",
  "dir/x.c": "int x;\n",
  "dir/y.h": "#define Y\n",
  "dir/sub/z.c": "int z;\n",
};

export function fixtureDir(): string {
  const d = fs.mkdtempSync(join(tmpdir(), "tsh-conf-"));
  fs.mkdirSync(join(d, "dir/sub"), { recursive: true });
  for (const [f, text] of Object.entries(FIXTURES)) fs.writeFileSync(join(d, f), text);
  return d;
}

function baseEnv(home: string): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home, LC_ALL: "C", LANG: "C", TERM: "dumb", USER: "tester" };
}

export async function runDash(c: Case): Promise<Result> {
  const dir = fixtureDir();
  try {
    const p = Bun.spawn(["dash", "-c", c.script, "sh"], { cwd: dir, env: { ...baseEnv(dir), PWD: dir }, stdin: new TextEncoder().encode(c.stdin), stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, status] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    return { stdout: stdout.replaceAll(dir, "$DIR"), stderr, status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runTsh(c: Case): Promise<Result> {
  const dir = fixtureDir();
  try {
    if (c.subprocess) {
      const p = Bun.spawn([process.execPath, join(ROOT, "lib/tsbox/main.ts"), "tsh", "-c", c.script, "sh"], { cwd: dir, env: { ...baseEnv(dir), PWD: dir }, stdin: new TextEncoder().encode(c.stdin), stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, status] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      return { stdout: stdout.replaceAll(dir, "$DIR"), stderr, status };
    }
    const sh = Shell.fromEnvironment({ ...baseEnv(dir), PWD: dir });
    sh.cwd = dir;
    sh.setVar("PWD", dir);
    sh.arg0 = "sh";
    const out = new CaptureStream();
    const err = new CaptureStream();
    sh.fds.set(0, new BufferStream(c.stdin));
    sh.fds.set(1, out);
    sh.fds.set(2, err);
    const status = await runProgram(sh, c.script, "-c");
    // Let background jobs that outlive the script finish writing, as dash's would before the pipe closes.
    await Promise.race([Promise.all(sh.jobs.jobs.map((j) => j.promise)), Bun.sleep(2000)]);
    return { stdout: out.text().replaceAll(dir, "$DIR"), stderr: err.text(), status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}
