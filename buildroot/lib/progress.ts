// Phase-by-phase progress for long builds: "[ 12.3s] kernel: compiling".
const started = performance.now();

export function phase(name: string, detail = ""): void {
  const t = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${t}s] ${name}${detail ? ": " + detail : ""}`);
}

/** A build step failed in a way the user can act on: one line, no stack. */
export class BuildError extends Error {}

export async function main(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof BuildError) {
      console.error(`error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}
