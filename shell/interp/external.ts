// Running programs from PATH with Bun.spawn. Streams backed by OS fds are handed
// to the child directly; in-process streams (pipes to builtins, captures) are pumped.
import * as fs from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { BrokenPipe, type Stream } from "./io.ts";
import type { Shell } from "./shell.ts";

/** The path of an executable for `name`, searching PATH when it has no slash. */
export function findExecutable(name: string, path: string, cwd: string): string | null {
  if (name.includes("/")) {
    const p = name.startsWith("/") ? name : join(cwd, name);
    return isExecutable(p) ? p : null;
  }
  for (const dir of path.split(":")) {
    const p = join(dir === "" ? cwd : dir.startsWith("/") ? dir : join(cwd, dir), name);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const SIGNUMS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

/** Runs argv as a child process with the given fd table; resolves to its exit status. */
export async function spawnExternal(sh: Shell, argv: string[], env: Record<string, string>): Promise<number> {
  const name = argv[0]!;
  const path = findExecutable(name, env.PATH ?? sh.get("PATH") ?? "", sh.cwd);
  if (!path) {
    const exists = name.includes("/") && fs.existsSync(name.startsWith("/") ? name : join(sh.cwd, name));
    await sh.err(`tsh: ${name}: ${exists ? "Permission denied" : name.includes("/") ? "No such file or directory" : "command not found"}`);
    return exists ? 126 : 127;
  }
  const fds = sh.fds;
  const stdin = fds.get(0);
  const stdout = fds.get(1);
  const stderr = fds.get(2);
  const mode = (s: Stream | undefined, input: boolean) => (s === undefined ? "ignore" : s.osFd !== undefined ? s.osFd : input ? "pipe" : "pipe");
  const extra: (number | "ignore")[] = [];
  for (let fd = 3; fd < 10; fd++) {
    const s = fds.get(fd);
    if (s?.osFd !== undefined) {
      while (extra.length < fd - 3) extra.push("ignore");
      extra.push(s.osFd);
    }
  }
  let proc: Subprocess<"pipe", "pipe", "pipe">;
  try {
    proc = Bun.spawn([path, ...argv.slice(1)], {
      cwd: sh.cwd,
      env,
      argv0: name,
      stdio: [mode(stdin, true), mode(stdout, false), mode(stderr, false), ...extra],
    } as unknown as Parameters<typeof Bun.spawn>[1]) as unknown as Subprocess<"pipe", "pipe", "pipe">;
  } catch (e) {
    await sh.err(`tsh: ${name}: ${(e as Error).message}`);
    return 126;
  }
  sh.job?.procs.add(proc);
  sh.onSpawn?.(proc);
  if (!sh.job) sh.foregroundProcs.add(proc);
  const pumps: Promise<void>[] = [];
  if (stdin && stdin.osFd === undefined) pumpIn(stdin, proc);
  if (stdout && stdout.osFd === undefined) pumps.push(pumpOut(proc.stdout, stdout, proc));
  if (stderr && stderr.osFd === undefined) pumps.push(pumpOut(proc.stderr, stderr, proc));
  const code = await proc.exited;
  await Promise.all(pumps);
  sh.job?.procs.delete(proc);
  sh.foregroundProcs.delete(proc);
  if (proc.signalCode) return 128 + (SIGNUMS[proc.signalCode] ?? 0);
  return code;
}

/** Feeds an in-process stream to the child's stdin until either side ends. */
async function pumpIn(src: Stream, proc: Subprocess<"pipe", "pipe", "pipe">): Promise<void> {
  let done = false;
  void proc.exited.then(() => (done = true));
  try {
    for (let c = await src.read(); c && !done; c = await src.read()) {
      proc.stdin.write(c);
      await proc.stdin.flush();
    }
  } catch {}
  try {
    await proc.stdin.end();
  } catch {}
}

async function pumpOut(from: ReadableStream<Uint8Array>, to: Stream, proc: Subprocess): Promise<void> {
  const reader = from.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      await to.write(value);
    }
  } catch (e) {
    // Our reader went away: the child gets SIGPIPE, as it would on a real pipe.
    if (e instanceof BrokenPipe) {
      try {
        proc.kill("SIGPIPE");
      } catch {}
    }
    await reader.cancel().catch(() => {});
  }
}
