// init's log: every entry goes to an in-memory ring (what `logs` and the control
// agent read first), to /var/log/tsos.jsonl (rotated at a size limit) and, for
// warnings, errors and service state changes, briefly to the console.
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { formatText, matches, type Level, type LogEntry, type LogFilter } from "../../lib/log/entry.ts";

export interface LoggerOptions {
  file?: string;
  /** Rotate the file to FILE.1 when it grows past this (default 1 MiB). */
  maxFileBytes?: number;
  ringSize?: number;
  console?: (line: string) => void;
  /** Mirror every entry to the console, not just warnings (kernel command line `tsos.verbose`). */
  mirrorAll?: boolean;
}

type Listener = (e: LogEntry) => void;

export class Logger {
  private ring: LogEntry[] = [];
  private listeners = new Set<Listener>();
  private fileBytes = 0;
  private readonly ringSize: number;
  private readonly maxFileBytes: number;

  constructor(private readonly opts: LoggerOptions = {}) {
    this.ringSize = opts.ringSize ?? 5000;
    this.maxFileBytes = opts.maxFileBytes ?? 1 << 20;
    if (opts.file) {
      mkdirSync(dirname(opts.file), { recursive: true });
      this.fileBytes = existsSync(opts.file) ? statSync(opts.file).size : 0;
    }
  }

  log(level: Level, service: string, msg: string, trace?: string, mirror = level === "warn" || level === "error"): LogEntry {
    const e: LogEntry = { t: Date.now(), level, service, msg, ...(trace ? { trace } : {}) };
    this.ring.push(e);
    if (this.ring.length > this.ringSize) this.ring.splice(0, this.ring.length - this.ringSize);
    this.writeFile(e);
    if (mirror || this.opts.mirrorAll) this.opts.console?.(`tsos: ${formatText(e)}`);
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        this.listeners.delete(l); // a broken follower must not break logging
      }
    }
    return e;
  }

  info(service: string, msg: string, trace?: string): void {
    this.log("info", service, msg, trace);
  }
  warn(service: string, msg: string, trace?: string): void {
    this.log("warn", service, msg, trace);
  }
  error(service: string, msg: string, trace?: string): void {
    this.log("error", service, msg, trace);
  }
  /** Lines worth seeing on the console even at info level (service state changes). */
  notice(service: string, msg: string, trace?: string): void {
    this.log("info", service, msg, trace, true);
  }

  entries(filter: LogFilter = {}, limit = Infinity): LogEntry[] {
    const all = this.ring.filter((e) => matches(e, filter));
    return limit < all.length ? all.slice(-limit) : all;
  }

  follow(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private writeFile(e: LogEntry): void {
    const file = this.opts.file;
    if (!file) return;
    const line = JSON.stringify(e) + "\n";
    try {
      if (this.fileBytes + line.length > this.maxFileBytes) {
        renameSync(file, file + ".1");
        this.fileBytes = 0;
      }
      appendFileSync(file, line);
      this.fileBytes += line.length;
    } catch {
      // A full or missing /var/log must not stop init; the ring still has the entry.
    }
  }
}
