// Hot replacement of one service's code (`service replace`, used by `make dev`):
// check the bundle's SHA-256, store it under /run, restart only that service on
// it with tsbox acting as the bun CLI (BUN_BE_BUN=1), and roll back to the
// previous code if the new one does not become ready.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "./log/logger.ts";
import type { Supervisor } from "./supervisor/supervisor.ts";

export const BUNDLE_DIR = "/run/tsos/bundles";
const MAX_BUNDLE = 32 << 20;

export interface ReplaceResult {
  service: string;
  sha256: string;
  ready: boolean;
  rolledBack: boolean;
  pid: number | null;
  ms: number;
}

export async function replaceService(sup: Supervisor, log: Logger, name: string, bundleB64: string, sha256: string, trace?: string, dir = BUNDLE_DIR, runtime = process.execPath): Promise<ReplaceResult> {
  const t0 = performance.now();
  const svc = sup.mustGet(name);
  const bundle = Buffer.from(bundleB64, "base64");
  if (bundle.length === 0 || bundle.length > MAX_BUNDLE) throw new Error(`bundle of ${bundle.length} bytes refused (1 byte to ${MAX_BUNDLE})`);
  const got = createHash("sha256").update(bundle).digest("hex");
  if (got !== sha256.toLowerCase()) throw new Error(`bundle sha256 ${got} does not match the declared ${sha256}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}-${got.slice(0, 12)}.js`);
  writeFileSync(path, bundle, { mode: 0o644 });
  const previous = svc.code;
  svc.code = { command: [runtime, path], env: { BUN_BE_BUN: "1" }, label: `bundle ${got.slice(0, 12)}` };
  log.notice(name, `replacing code: ${previous.label} -> ${svc.code.label}`, trace);
  let ready = await sup.restart(name, trace);
  let rolledBack = false;
  if (!ready) {
    log.error(name, `new code ${svc.code.label} did not become ready; rolling back to ${previous.label}`, trace);
    await svc.stop(2000, trace);
    svc.code = previous;
    svc.resetFailures();
    ready = await svc.start(trace);
    rolledBack = true;
  }
  return { service: name, sha256: got, ready, rolledBack, pid: svc.status().pid, ms: Math.round(performance.now() - t0) };
}
