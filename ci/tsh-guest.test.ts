// Integration: a subset of tsh's conformance cases (shell/conformance/cases) run under the
// guest's /bin/sh (tsh from build/image) under QEMU, compared with dash on the host: stdout,
// exit status and whether stderr was written. Boots the image once; all cases go to the guest
// in one exec call, to a small Bun driver (tsbox -e) that gives each case a fresh directory with
// the host harness's fixtures. A few cases run as their own `/bin/sh -c` process; the rest, one
// subshell each, in a single /bin/sh (a Bun start costs over a second under TCG). Then exec and
// $! in the guest. 43-60 s on a loaded 2-core host.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ControlClient } from "../lib/control/client.ts";
import { imageGuest, QemuVm } from "../host-launcher/backends/qemu/vm.ts";
import { FIXTURES, loadCases, pool, runDash, type Case, type Result } from "../shell/conformance/harness.ts";
import { guestExec, guestSh } from "./lib/guest-exec.ts";

const root = resolve(import.meta.dir, "..");
const image = join(root, "build/image");
const haveImage = existsSync(join(image, "rootfs.erofs"));
const haveDash = !!Bun.which("dash");
if (!haveImage || !haveDash) console.log(`ci/tsh-guest.test.ts: skipped: ${!haveImage ? "no build/image (make image)" : "dash not installed"}`);

/**
 * Cases that need nothing the guest lacks: no host programs by path, no /proc or /dev/tty
 * specifics, no job timing or signals (slow under TCG), no utilities the host supplies.
 */
const HOST_ONLY = /\/bin\/|\/usr\/|\/proc|\/dev\/tty|\bsleep\b|\bkill\b|\btrap\b|\bwait\b|&\s*($|[^&>])|\bumask\b|\bulimit\b|\bexec\b|\$\$|\bPPID\b|\bHOME\b|~|\bcd\b|\bpwd\b|\bPWD\b|\bdate\b|\bps\b|\bid\b|\bod\b/m;
const all = loadCases(join(root, "shell/conformance/cases"));
/** The first cases of every file that qualify: ~0.1 s each in the guest keeps the test near a minute. */
const PER_FILE = 20;
const subset: Case[] = all.filter((c) => !HOST_ONLY.test(c.script)).filter((c, i, a) => a.slice(0, i).filter((x) => x.file === c.file && !HOST_ONLY.test(x.script)).length < PER_FILE);
/**
 * A new Bun process costs over a second under TCG, so only these cases run as their own
 * `/bin/sh -c SCRIPT` process; the rest run in one /bin/sh, each in a subshell that evals it.
 */
const OWN_PROCESS = 6;

/**
 * Runs in the guest under Bun: reads the cases as JSON on stdin, lays out a directory per
 * case with the host harness's fixtures, runs them, prints one JSON list of results.
 */
const DRIVER = `
const fs = require("fs");
const { cases, ownProcess, files } = JSON.parse(fs.readFileSync(0, "utf8"));
const base = "/tmp/conf";
const env = { PATH: "/usr/local/bin:/usr/bin:/bin:/sbin", LC_ALL: "C", LANG: "C", TERM: "dumb", USER: "tester" };
const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
(async () => {
  fs.rmSync(base, { recursive: true, force: true });
  cases.forEach((c, i) => {
    const d = base + "/" + i;
    fs.mkdirSync(d + "/dir/sub", { recursive: true });
    for (const [f, t] of Object.entries(files)) fs.writeFileSync(d + "/" + f, t);
    fs.writeFileSync(d + ".sh", c.script);
    fs.writeFileSync(d + ".in", c.stdin);
  });
  const out = [];
  for (let i = 0; i < ownProcess; i++) {
    const d = base + "/" + i;
    const p = Bun.spawn(["/bin/sh", "-c", cases[i].script, "sh"], { cwd: d, env: { ...env, HOME: d, PWD: d }, stdin: Buffer.from(cases[i].stdin), stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, status] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    out.push({ stdout: stdout.replaceAll(d, "$DIR"), stderr, status });
  }
  const batch = 'i=' + ownProcess + '; while [ $i -lt ' + cases.length + ' ]; do ( cd ' + base + '/$i && PWD=' + base + '/$i HOME=' + base + '/$i && unset i && eval "$(cat "$PWD.sh")" ) <' + base + '/$i.in >' + base + '/$i.out 2>' + base + '/$i.err; echo $? >' + base + '/$i.st; i=$((i + 1)); done';
  const p = Bun.spawn(["/bin/sh", "-c", batch, "sh"], { cwd: base, env: { ...env, HOME: base, PWD: base }, stdout: "inherit", stderr: "inherit" });
  await p.exited;
  for (let i = ownProcess; i < cases.length; i++) {
    const d = base + "/" + i;
    out.push({ stdout: read(d + ".out").replaceAll(d, "$DIR"), stderr: read(d + ".err"), status: Number(read(d + ".st").trim() || -1) });
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

let vm: QemuVm;
let ctl: ControlClient;
let guest: Result[] = [];
let host: Result[] = [];

beforeAll(async () => {
  if (!haveImage || !haveDash) return;
  vm = new QemuVm({ ...imageGuest(image), withControl: true, logFile: join(root, "build/logs/tsh-guest-test.log"), config: { hostname: "tshtest" } });
  const dash = pool(subset.map((c) => () => runDash(c)), 4);
  await vm.waitFor(/init: boot complete/, 120_000);
  ctl = await vm.control();
  const started = Date.now();
  const input = new TextEncoder().encode(JSON.stringify({ cases: subset.map((c) => ({ script: c.script, stdin: c.stdin })), ownProcess: OWN_PROCESS, files: FIXTURES }));
  const r = await guestExec(ctl, ["/bin/tsbox", "-e", DRIVER], { env: { BUN_BE_BUN: "1" }, stdin: input });
  if (r.code !== 0) throw new Error(`guest driver failed (${r.code}): ${r.stderr}`);
  guest = JSON.parse(r.stdout.toString());
  host = await dash;
  console.log(`ci/tsh-guest.test.ts: ${subset.length} of ${all.length} cases (${OWN_PROCESS} as their own process) ran in the guest in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 240_000);

afterAll(async () => {
  await vm?.dispose();
});

describe.skipIf(!haveImage || !haveDash)("tsh conformance in the guest (QEMU) vs dash on the host", () => {
  test("the subset has at least 60 cases and all came back", () => {
    expect(subset.length).toBeGreaterThanOrEqual(60);
    expect(guest.length).toBeGreaterThan(0);
    expect(guest.length).toBe(subset.length);
  });
  test("every case agrees with dash: stdout, exit status, whether stderr was written", () => {
    const summary = (x: Result) => ({ stdout: x.stdout, status: x.status, stderr: x.stderr !== "" });
    const failed: string[] = [];
    subset.forEach((c, i) => {
      const got = summary(guest[i]!);
      const want = summary(host[i]!);
      if (JSON.stringify(got) !== JSON.stringify(want)) failed.push(`${c.name}\n  guest: ${JSON.stringify(got)} ${guest[i]!.stderr.trim()}\n  dash:  ${JSON.stringify(want)}`);
    });
    console.log(`ci/tsh-guest.test.ts: ${subset.length - failed.length}/${subset.length} cases pass in the guest`);
    expect(failed).toEqual([]);
  });
  // Process-level behaviour the subset leaves out (dash's answers, as the host cases 13-jobs and 14-exec check).
  test("exec replaces the guest shell: the program keeps its pid", async () => {
    const r = await guestSh(ctl, 'echo $$; exec /bin/sh -c "echo \\$\\$"');
    const [before, after] = r.out.trim().split("\n");
    expect(r.code).toBe(0);
    expect(after).toBe(before);
  }, 60_000);
  test("$! is the background child's real pid; kill and wait use it", async () => {
    const r = await guestSh(ctl, '/bin/sh -c "sleep 20" & p=$!; read _ _ _ pp _ < /proc/$p/stat; [ "$pp" = "$$" ] && echo child; kill $p; wait $p; echo $?');
    expect(r.out).toBe("child\n143\n");
  }, 60_000);
});
