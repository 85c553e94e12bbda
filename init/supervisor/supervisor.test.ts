// Real processes (host Bun) under the supervisor, with a fast restart policy.
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "../log/logger.ts";
import { Supervisor } from "./supervisor.ts";
import { backoffDelay, DEFAULT_POLICY, isCrashLoop } from "./policy.ts";
import { checkGraph, startWaves } from "./order.ts";

const bun = process.execPath;
const js = (code: string) => [bun, "-e", code];
const fast = { initialDelayMs: 20, maxDelayMs: 200, maxFailures: 4, windowMs: 5000 };

describe("policy and order", () => {
  test("backoff doubles up to its cap; a crash loop is N failures in the window", () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(DEFAULT_POLICY, n))).toEqual([250, 500, 1000, 2000, 10000]);
    expect(isCrashLoop(DEFAULT_POLICY, [0, 1, 2, 3, 4], 5)).toBe(true);
    expect(isCrashLoop(DEFAULT_POLICY, [0, 1, 2, 3, 40_000], 40_001)).toBe(false);
  });

  test("waves follow dependencies; cycles and unknown names are reported", () => {
    expect(startWaves([{ name: "c", after: ["b"] }, { name: "a", after: [] }, { name: "b", after: ["a"] }, { name: "d", after: [] }])).toEqual([["a", "d"], ["b"], ["c"]]);
    expect(checkGraph([{ name: "a", after: ["b"] }, { name: "b", after: ["a"] }, { name: "c", after: ["zz"] }])).toEqual(["c: depends on unknown service 'zz'", "dependency cycle: a -> b -> a"]);
  });
});

describe("supervisor", () => {
  test("a service whose condition path is absent stays stopped and says why; present, it starts", async () => {
    const log = new Logger();
    const dir = mkdtempSync(join(tmpdir(), "tsos-cond-"));
    const sup = new Supervisor([
      { name: "desk", command: js("setInterval(() => {}, 1000)"), condition: { pathExists: join(dir, "fb0") } },
      { name: "here", command: js("setInterval(() => {}, 1000)"), condition: { pathExists: dir } },
    ], log, fast);
    await sup.startAll();
    expect(sup.get("desk")!.status()).toMatchObject({ state: "stopped", pid: null });
    expect(log.entries({ service: "desk" }).map((e) => e.msg)).toContain(`not started: ${join(dir, "fb0")} absent`);
    expect(sup.get("here")!.status().state).toBe("running");
    await sup.stopAll(1000);
  });

  test("a failing service is restarted with backoff, then marked failed as a crash loop", async () => {
    const log = new Logger();
    const sup = new Supervisor([{ name: "flaky", command: js("console.log('boom'); process.exit(3)"), restart: "on-failure" }], log, fast);
    await sup.startAll();
    const deadline = Date.now() + 15_000;
    while (sup.get("flaky")!.state !== "failed" && Date.now() < deadline) await Bun.sleep(50);
    const st = sup.get("flaky")!.status();
    expect(st.state).toBe("failed");
    expect(st.restarts).toBe(fast.maxFailures - 1);
    expect(st.lastExit?.code).toBe(3);
    expect(st.error).toContain("crash loop");
    const msgs = log.entries({ service: "flaky" }).map((e) => e.msg);
    expect(msgs.filter((m) => m === "boom").length).toBe(fast.maxFailures);
    expect(msgs.some((m) => /restarting in 40 ms/.test(m))).toBe(true); // the second delay doubled
  }, 20_000);

  test("dependents start after their dependency is ready; stop runs in reverse", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsos-sup-"));
    const ready = join(dir, "db.ready");
    const log = new Logger();
    const sup = new Supervisor(
      [
        { name: "app", command: js("setInterval(() => {}, 1000)"), after: ["db"] },
        { name: "db", command: js(`setTimeout(() => require('fs').writeFileSync(${JSON.stringify(ready)}, ''), 300); setInterval(() => {}, 1000)`), ready: { file: ready } },
      ],
      log,
      fast,
    );
    await sup.startAll();
    expect(sup.status().map((s) => [s.name, s.state, s.ready])).toEqual([["app", "running", true], ["db", "running", true]]);
    const started = log.entries().filter((e) => e.msg.startsWith("started") || e.msg === "ready").map((e) => `${e.service} ${e.msg.split(" ")[0]}`);
    expect(started.indexOf("db ready")).toBeLessThan(started.indexOf("app started"));
    await sup.stopAll(2000);
    const stops = log.entries().filter((e) => e.msg.startsWith("stopped")).map((e) => e.service);
    expect(stops).toEqual(["app", "db"]);
  }, 20_000);

  test("a service ignoring SIGTERM is killed after the grace period", async () => {
    const log = new Logger();
    const sup = new Supervisor([{ name: "stubborn", command: js("process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"), restart: "always" }], log, fast);
    await sup.startAll();
    await Bun.sleep(200); // let it install its handler
    const t0 = Date.now();
    await sup.get("stubborn")!.stop(300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(sup.get("stubborn")!.status()).toMatchObject({ state: "stopped", lastExit: { signal: "SIGKILL" } });
  }, 10_000);

  test("a missing program fails the service with a clear error instead of crashing init", async () => {
    const sup = new Supervisor([{ name: "ghost", command: ["/nonexistent/prog"] }], new Logger(), fast);
    await sup.startAll();
    expect(sup.get("ghost")!.status().state).toBe("failed");
  });
});
