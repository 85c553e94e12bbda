// Restart policy: exponential backoff between restarts, and a crash-loop limit
// after which a service is marked failed and left alone.

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** This many failures within `windowMs` is a crash loop. */
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_POLICY: RestartPolicy = { initialDelayMs: 250, maxDelayMs: 10_000, maxFailures: 5, windowMs: 30_000 };

export function backoffDelay(p: RestartPolicy, consecutiveFailures: number): number {
  return Math.min(p.maxDelayMs, p.initialDelayMs * 2 ** Math.max(0, consecutiveFailures - 1));
}

/** Failure times within the window, newest last; a crash loop when there are too many. */
export function isCrashLoop(p: RestartPolicy, failureTimes: number[], now: number): boolean {
  return failureTimes.filter((t) => now - t <= p.windowMs).length >= p.maxFailures;
}

export function shouldRestart(mode: "always" | "on-failure" | "never", code: number | null, stopping: boolean): boolean {
  if (stopping || mode === "never") return false;
  return mode === "always" || code !== 0;
}
