// The one way init starts processes. Every child is recorded until Bun has
// collected its exit status, so the reaper never steals a status Bun waits for.
import type { Subprocess } from "bun";

const owned = new Set<number>();

export function ownedPids(): ReadonlySet<number> {
  return owned;
}

type SpawnOptions = NonNullable<Parameters<typeof Bun.spawn>[1]>;

export function spawnTracked(argv: string[], opts: SpawnOptions): Subprocess<"ignore" | "pipe" | "inherit", "pipe" | "inherit" | "ignore", "pipe" | "inherit" | "ignore"> {
  const p = Bun.spawn(argv, opts as Parameters<typeof Bun.spawn>[1]) as Subprocess<"ignore" | "pipe" | "inherit", "pipe" | "inherit" | "ignore", "pipe" | "inherit" | "ignore">;
  owned.add(p.pid);
  void p.exited.finally(() => owned.delete(p.pid));
  return p;
}
