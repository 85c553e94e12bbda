// Build one guest service as a single JS bundle for `service replace`: the
// service's main() behind a tiny entry, bundled by Bun for the Bun runtime the
// guest's tsbox carries (run there with BUN_BE_BUN=1).
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Bundle {
  service: string;
  code: string;
  sha256: string;
  ms: number;
}

export function serviceEntry(src: string, service: string): string | undefined {
  const p = join(src, "services", service, "main.ts");
  return existsSync(p) ? p : undefined;
}

export async function bundleService(src: string, service: string): Promise<Bundle> {
  const t0 = performance.now();
  const main = serviceEntry(src, service);
  if (!main) throw new Error(`services/${service}/main.ts not found under ${src}`);
  const dir = mkdtempSync(join(tmpdir(), "tsos-dev-"));
  try {
    const entry = join(dir, `${service}.entry.ts`);
    writeFileSync(entry, `import { main } from ${JSON.stringify(main)};\nconst code = await main(process.argv.slice(2));\nif (typeof code === "number") process.exitCode = code;\n`);
    const r = await Bun.build({ entrypoints: [entry], target: "bun", format: "esm" });
    if (!r.success) throw new Error(`bundling ${service} failed:\n${r.logs.map((l) => String(l)).join("\n")}`);
    const code = await r.outputs[0]!.text();
    return { service, code, sha256: createHash("sha256").update(code).digest("hex"), ms: Math.round(performance.now() - t0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
