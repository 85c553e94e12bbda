import * as fs from "node:fs";
import { basename } from "node:path";
import { errText, human, usageError } from "./lib.ts";
import type { Command, Ctx } from "./types.ts";

// Exit codes follow wget's: 1 generic, 2 usage, 3 file I/O, 4 network, 8 server error response.
const EXIT = { usage: 2, io: 3, network: 4, server: 8 } as const;

interface Opts {
  url?: string;
  output?: string;
  quiet: boolean;
  timeoutS: number;
  headers: string[];
}

function parse(name: string, args: string[]): Opts | string {
  const o: Opts = { quiet: false, timeoutS: 30, headers: [] };
  const outFlag = name === "wget" ? "-O" : "-o";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === outFlag || a === "--output" || a === "--output-document") o.output = args[++i];
    else if (a === "-q" || a === "--quiet") o.quiet = true;
    else if (a === "-T" || a === "--timeout") o.timeoutS = Number(args[++i]);
    else if (a === "-H" || a === "--header") o.headers.push(args[++i] ?? "");
    else if (a.startsWith("-") && a !== "-") return `invalid option '${a}'`;
    else if (o.url) return `extra operand '${a}'`;
    else o.url = a;
  }
  if (!o.url) return "missing URL";
  if (!Number.isFinite(o.timeoutS) || o.timeoutS <= 0) return "invalid timeout";
  if (o.output === undefined && args.some((a) => a === outFlag)) return `option ${outFlag} needs a file name`;
  return o;
}

/** The file name wget would pick: the URL path's last segment, or index.html. */
export function defaultFileName(url: URL): string {
  const last = basename(decodeURIComponent(url.pathname));
  return last && last !== "/" && last !== "." && last !== ".." ? last : "index.html";
}

async function get(ctx: Ctx, o: Opts): Promise<number> {
  let url: URL;
  try {
    url = new URL(o.url!);
  } catch {
    await ctx.err(`${o.url}: not a URL (expected http://HOST/PATH)`);
    return EXIT.usage;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    await ctx.err(`${url.protocol} URLs are not supported (http and https only)`);
    return EXIT.usage;
  }
  const headers = new Headers();
  for (const h of o.headers) {
    const i = h.indexOf(":");
    if (i > 0) headers.append(h.slice(0, i).trim(), h.slice(i + 1).trim());
  }
  const timeout = AbortSignal.timeout(o.timeoutS * 1000);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, { headers, signal, redirect: "follow" });
  } catch (e) {
    await ctx.err(`${url.href}: ${timeout.aborted ? `no response within ${o.timeoutS} s` : errText(e)}`);
    return EXIT.network;
  }
  if (!res.ok) {
    await ctx.err(`${url.href}: server answered ${res.status} ${res.statusText}`);
    await res.body?.cancel().catch(() => {});
    return EXIT.server;
  }
  const toStdout = o.output === "-";
  const file = toStdout ? "" : ctx.resolve(o.output ?? defaultFileName(new URL(res.url || url.href)));
  // Download beside the target and rename at the end: a failed transfer leaves any existing file untouched.
  const part = `${file}.part-${process.pid}`;
  let fd = -1;
  let bytes = 0;
  try {
    if (!toStdout) fd = fs.openSync(part, "w", 0o644);
    for await (const chunk of res.body ?? []) {
      bytes += chunk.length;
      if (toStdout) await ctx.out(chunk);
      else fs.writeSync(fd, chunk);
    }
    if (!toStdout) {
      fs.closeSync(fd);
      fd = -1;
      fs.renameSync(part, file);
    }
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    if (!toStdout) fs.rmSync(part, { force: true });
    const net = signal.aborted || !(e as { code?: string }).code?.startsWith("E");
    await ctx.err(`${url.href}: ${timeout.aborted ? `transfer stalled past ${o.timeoutS} s` : errText(e)}`);
    return net ? EXIT.network : EXIT.io;
  }
  const secs = (performance.now() - started) / 1000;
  if (!o.quiet && !toStdout) await ctx.stderr.write(`'${o.output ?? basename(file)}' saved: ${human(bytes)}B in ${secs.toFixed(2)} s (${human(Math.round(bytes / Math.max(secs, 0.001)))}B/s)\n`);
  return 0;
}

function command(name: "fetch" | "wget"): Command {
  const flag = name === "wget" ? "-O" : "-o";
  return {
    name,
    summary: `${name}: download a URL to a file (HTTP GET)`,
    usage: [
      `Usage: ${name} [${flag} FILE] [-q] [-T SECONDS] [-H 'Name: value'] URL`,
      "Downloads URL with an HTTP(S) GET, following redirects. The file is written",
      "under a temporary name and renamed when complete.",
      `  ${flag} FILE   where to save (default: the URL's last path segment or index.html; - for stdout)`,
      "  -q        no summary line      -T SECONDS  give up after this long (default 30)",
      "  -H HEADER extra request header (repeatable)",
      "Exit status: 0 ok, 2 usage, 3 file error, 4 network error, 8 server error (4xx/5xx).",
    ].join("\n"),
    async run(ctx) {
      const o = parse(name, ctx.args);
      if (typeof o === "string") {
        await usageError(ctx, o);
        return EXIT.usage;
      }
      return get(ctx, o);
    },
  };
}

export const fetchCommand = command("fetch");
export const wgetCommand = command("wget");
export default fetchCommand;
