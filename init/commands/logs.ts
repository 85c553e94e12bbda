// logs [-f] [--service NAME] [--trace ID] [-n N] [--json]: init's structured log.
import { formatText, type LogEntry } from "../../lib/log/entry.ts";
import { runCommand, withInit } from "./local.ts";

const USAGE = "usage: logs [-f] [--service NAME] [--trace ID] [-n LINES (default 200)] [--json]";

export interface LogsArgs {
  follow: boolean;
  service?: string;
  trace?: string;
  limit: number;
  json: boolean;
}

export function parseLogsArgs(args: string[]): LogsArgs | string {
  const a: LogsArgs = { follow: false, limit: 200, json: false };
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    const val = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${x} needs a value`);
      return v;
    };
    try {
      if (x === "-f" || x === "--follow") a.follow = true;
      else if (x === "--json") a.json = true;
      else if (x === "--service" || x === "-s") a.service = val();
      else if (x === "--trace") a.trace = val();
      else if (x === "-n") {
        a.limit = Number(val());
        if (!Number.isInteger(a.limit) || a.limit < 0) return "logs: -n needs a whole number";
      } else return `logs: unknown option ${x}\n${USAGE}`;
    } catch (e) {
      return `logs: ${(e as Error).message}`;
    }
  }
  return a;
}

export function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return Promise.resolve(0);
  }
  const a = parseLogsArgs(args);
  if (typeof a === "string") {
    console.error(a);
    return Promise.resolve(2);
  }
  const print = (e: LogEntry) => console.log(a.json ? JSON.stringify(e) : formatText(e));
  return runCommand("logs", () =>
    withInit(async (c) => {
      const req = c.request<{ entries: LogEntry[] }>("logs", { service: a.service, match: a.trace, limit: a.limit, follow: a.follow }, (ev) => {
        if (ev.event === "log") print(ev.entry as LogEntry);
      });
      for (const e of (await req.reply).entries) print(e);
      if (a.follow) await new Promise(() => {}); // until interrupted
      return 0;
    }),
  );
}
