// Running programs from PATH. Children are started with posix_spawn (lib/ffi)
// rather than Bun.spawn because job control needs what Bun.spawn cannot give: a
// process group per job and the terminal handed to it, and waitpid's report of a
// stopped child (Ctrl-Z). Streams backed by OS fds go to the child directly;
// in-process streams (pipes to builtins, captures) are pumped through a pipe.
import * as fs from "node:fs";
import { join } from "node:path";
import { closeFd, killPid, pipe, POLL, pollFd, posixSpawn, tcsetpgrp, waitChild, type ChildStatus } from "../../lib/ffi/libc.ts";
import { BrokenPipe, type Stream } from "./io.ts";
import type { ProcessGroup, Shell } from "./shell.ts";
import { SIGNALS, signalName } from "./traps.ts";

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

const EPERM = 1;

/** Signal name or number to its number (SIGTERM, TERM, 15), from trap's one signal table. */
export function signalNumber(sig: string | number): number | undefined {
  if (typeof sig === "number") return sig;
  const name = signalName(sig);
  return name && name !== "EXIT" ? SIGNALS[name] : undefined;
}

/**
 * Waits for a child by polling waitpid (a few ms apart, backing off to 20 ms):
 * Bun's event loop has no hook for children it did not spawn itself. Stops are
 * reported to `onStop` and waiting goes on.
 */
async function waitFor(pid: number, onStop: (s: ChildStatus) => void): Promise<ChildStatus> {
  let delay = 1;
  for (;;) {
    let s: ChildStatus | undefined;
    try {
      s = waitChild(pid);
    } catch {
      return { kind: "exited", code: 127 }; // ECHILD: someone else reaped it
    }
    if (s?.kind === "exited" || s?.kind === "signaled") return s;
    if (s?.kind === "stopped") onStop(s);
    if (s) delay = 1;
    await Bun.sleep(delay);
    delay = Math.min(20, delay * 2);
  }
}

interface Plumbing {
  fds: (number | undefined)[];
  /** Parent-side ends to close once the child has them. */
  childEnds: number[];
  pumps: (() => Promise<void>)[];
}

/** The child's fd table: OS-backed streams as they are, in-process ones through pipes. */
function plumb(sh: Shell): Plumbing {
  const p: Plumbing = { fds: [], childEnds: [], pumps: [] };
  for (let fd = 0; fd < 10; fd++) {
    const s = sh.fds.get(fd);
    if (!s) {
      if (fd < 3) p.fds[fd] = undefined;
      continue;
    }
    if (s.osFd !== undefined) {
      p.fds[fd] = s.osFd;
      continue;
    }
    if (fd > 2) continue;
    const [r, w] = pipe();
    if (fd === 0) {
      p.fds[0] = r;
      p.childEnds.push(r);
      p.pumps.push(() => pumpIn(s, w));
    } else {
      p.fds[fd] = w;
      p.childEnds.push(w);
      p.pumps.push(() => pumpOut(r, s));
    }
  }
  return p;
}

/** Runs argv as a child process with the shell's fd table; resolves to its exit status. */
export async function spawnExternal(sh: Shell, argv: string[], env: Record<string, string>, onPid?: (pid: number) => void): Promise<number> {
  const name = argv[0]!;
  const path = findExecutable(name, env.PATH ?? sh.get("PATH") ?? "", sh.cwd);
  if (!path) {
    const exists = name.includes("/") && fs.existsSync(name.startsWith("/") ? name : join(sh.cwd, name));
    await sh.err(`tsh: ${name}: ${exists ? "Permission denied" : name.includes("/") ? "No such file or directory" : "command not found"}`);
    return exists ? 126 : 127;
  }
  // Job control (interactive shells): each job is a process group; a foreground one gets the terminal.
  const jc = sh.jobControl;
  const group: ProcessGroup | undefined = jc ? (sh.job?.group ?? sh.fgGroup ?? undefined) : undefined;
  const foreground = !!group && !sh.job;
  const plumbing = plumb(sh);
  let pid: number;
  try {
    const req = { path, argv: [name, ...argv.slice(1)], env, cwd: sh.cwd, fds: plumbing.fds, tty: foreground ? jc!.ttyFd : undefined };
    try {
      pid = posixSpawn({ ...req, pgid: group ? (group.pgid ?? 0) : undefined });
    } catch (e) {
      // The group's processes are all gone (`a; b`): start a new one.
      if ((e as { errno?: number }).errno !== EPERM || !group?.pgid) throw e;
      group.pgid = undefined;
      pid = posixSpawn({ ...req, pgid: 0 });
    }
  } catch (e) {
    for (const fd of plumbing.childEnds) closeFd(fd);
    await sh.err(`tsh: ${(e as Error).message}`);
    return 126;
  }
  // The parent's copies of the child's ends: EOF and EPIPE must reach the right side.
  for (const fd of plumbing.childEnds) closeFd(fd);
  if (group) {
    group.pgid ??= pid;
    group.live++;
  }
  onPid?.(pid);
  sh.job?.procs.add(pid);
  if (!sh.job) sh.foregroundProcs.add(pid);
  const pumps = plumbing.pumps.map((run) => run());
  const end = await waitFor(pid, () => group?.onStop?.());
  await Promise.all(pumps);
  sh.job?.procs.delete(pid);
  sh.foregroundProcs.delete(pid);
  if (group && --group.live === 0) {
    group.pgid = undefined;
    if (foreground) tcsetpgrp(jc!.ttyFd, jc!.shellPgid);
  }
  return end.kind === "exited" ? end.code : 128 + (end.kind === "signaled" ? end.signal : 0);
}

/**
 * Waits until fd is ready for `events` by polling with a short backoff. Pipe I/O must not
 * go through the thread pool: blocked reads there starve every other fs call (a pipeline of
 * builtins and externals could deadlock once four pumps waited at once).
 */
async function ready(fd: number, events: number): Promise<number> {
  for (let delay = 0; ; delay = Math.min(16, delay * 2 || 1)) {
    const revents = pollFd(fd, events);
    if (revents) return revents;
    await Bun.sleep(delay);
  }
}

/** Feeds an in-process stream into the child's stdin pipe until either side ends. */
async function pumpIn(src: Stream, w: number): Promise<void> {
  try {
    for (let c = await src.read(); c; c = await src.read()) {
      for (let off = 0; off < c.length; ) {
        const ev = await ready(w, POLL.OUT);
        if (!(ev & POLL.OUT)) return; // reader gone (POLLERR): the child stopped reading
        // At most PIPE_BUF per write: a pipe that polls writable takes that much without blocking.
        off += fs.writeSync(w, c, off, Math.min(4096, c.length - off));
      }
    }
  } catch {
    // EPIPE: the child stopped reading; that is its business.
  } finally {
    closeFd(w);
  }
}

/** Copies the child's output pipe into an in-process stream until EOF. */
async function pumpOut(r: number, to: Stream): Promise<void> {
  const buf = new Uint8Array(65536);
  try {
    for (;;) {
      await ready(r, POLL.IN);
      const n = fs.readSync(r, buf, 0, buf.length, null);
      if (n <= 0) break;
      await to.write(buf.slice(0, n));
    }
  } catch (e) {
    // Our reader went away: closing the read end gives the child EPIPE/SIGPIPE, as on a real pipe.
    if (!(e instanceof BrokenPipe)) throw e;
  } finally {
    closeFd(r);
  }
}

/** Signals one child pid or a whole process group (negative pid). */
export function signalProcess(pid: number, sig: string | number): boolean {
  const n = signalNumber(sig);
  return n !== undefined && killPid(pid, n);
}
