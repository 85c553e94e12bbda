// Structured log lines, one JSON object per line: written by init, read by
// `logs` in the guest and `tsos logs` on the host.

export type Level = "debug" | "info" | "warn" | "error";

export interface LogEntry {
  /** ms since the Unix epoch. */
  t: number;
  level: Level;
  /** "init", a service's name, or "kernel". */
  service: string;
  trace?: string;
  msg: string;
}

export function formatText(e: LogEntry): string {
  const time = new Date(e.t).toISOString().slice(11, 23);
  const trace = e.trace ? ` [${e.trace}]` : "";
  return `${time} ${e.level.padEnd(5)} ${e.service}${trace}: ${e.msg}`;
}

export function parseEntry(line: string): LogEntry | undefined {
  try {
    const o = JSON.parse(line) as LogEntry;
    return typeof o.t === "number" && typeof o.msg === "string" && typeof o.service === "string" ? o : undefined;
  } catch {
    return undefined;
  }
}

export interface LogFilter {
  service?: string;
  trace?: string;
  minLevel?: Level;
}

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function matches(e: LogEntry, f: LogFilter): boolean {
  if (f.service && e.service !== f.service) return false;
  if (f.trace && e.trace !== f.trace) return false;
  if (f.minLevel && RANK[e.level] < RANK[f.minLevel]) return false;
  return true;
}
