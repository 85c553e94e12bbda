// Running build tools: output streams through, failure becomes a one-line BuildError.
import { BuildError } from "./progress.ts";

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Keep the tool's output instead of streaming it (returned as text). */
  capture?: boolean;
  /** Hide the tool's output unless it fails (then the last lines are shown). */
  quiet?: boolean;
}

export async function run(argv: string[], opts: RunOptions = {}): Promise<string> {
  const piped = opts.capture || opts.quiet;
  const proc = Bun.spawn(argv, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdout: piped ? "pipe" : "inherit",
    stderr: piped ? "pipe" : "inherit",
  });
  const [out, err] = piped
    ? await Promise.all([new Response(proc.stdout as ReadableStream).text(), new Response(proc.stderr as ReadableStream).text()])
    : ["", ""];
  const code = await proc.exited;
  if (code !== 0) {
    if (piped) process.stderr.write((out + err).split("\n").slice(-40).join("\n") + "\n");
    throw new BuildError(`${argv.join(" ").slice(0, 200)} exited with ${code}`);
  }
  return out;
}

export function which(tool: string): string | null {
  return Bun.which(tool);
}

export function requireTool(tool: string, debianPackage: string): string {
  const p = which(tool);
  if (!p) throw new BuildError(`${tool} not found: install it with 'apt-get install ${debianPackage}' (or run 'make deps')`);
  return p;
}
