// tsh vs dash vs bash on the host: a 10000-iteration loop, and a pipeline of
// five commands over 10 MB (builtins in tsh, coreutils for dash and bash).
// Run: bun bench/tsh/bench.ts [--runs N]
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 3;

const dir = fs.mkdtempSync(join(tmpdir(), "tsh-bench-"));
const big = join(dir, "big.txt");
{
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const l = `line ${i} the quick brown fox jumps over the lazy dog ${i % 97}`;
    lines.push(l);
    size += l.length + 1;
  }
  fs.writeFileSync(big, lines.join("\n") + "\n");
}

const shells: Record<string, string[]> = {
  tsh: [process.execPath, join(ROOT, "lib/tsbox/main.ts"), "tsh", "-c"],
  dash: ["dash", "-c"],
  bash: ["bash", "-c"],
};

const workloads: Record<string, string> = {
  "loop 10000": "for i in $(seq 1 10000); do :; done",
  "while [ ] + $(( )) 10000": "i=0; while [ $i -lt 10000 ]; do i=$((i + 1)); done",
  "5-stage pipeline, 10 MB": `cat ${big} | tr a-z A-Z | grep -v ZZZ | cut -c1-20 | wc -l`,
  startup: "true",
};

function time(argv: string[]): { ms: number; out: string } {
  const t = performance.now();
  const r = Bun.spawnSync(argv, { cwd: dir, stdout: "pipe", stderr: "inherit" });
  const ms = performance.now() - t;
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} exited ${r.exitCode}`);
  return { ms, out: r.stdout.toString() };
}

console.log(`tsh bench: best of ${runs} runs, wall clock per shell process (ms); ratio = tsh / other`);
for (const [name, script] of Object.entries(workloads)) {
  const best: Record<string, number> = {};
  const outs: Record<string, string> = {};
  for (const [sh, argv] of Object.entries(shells)) {
    let b = Infinity;
    for (let i = 0; i < runs; i++) {
      const r = time([...argv, script]);
      b = Math.min(b, r.ms);
      outs[sh] = r.out;
    }
    best[sh] = b;
  }
  const same = outs.tsh === outs.dash ? "" : `  (output differs: tsh=${JSON.stringify(outs.tsh)} dash=${JSON.stringify(outs.dash)})`;
  console.log(
    `${name.padEnd(26)} tsh ${best.tsh!.toFixed(0).padStart(6)}  dash ${best.dash!.toFixed(0).padStart(6)}  bash ${best.bash!.toFixed(0).padStart(6)}  ` +
      `tsh/dash ${(best.tsh! / best.dash!).toFixed(1)}x  tsh/bash ${(best.tsh! / best.bash!).toFixed(1)}x${same}`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
