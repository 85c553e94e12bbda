// A small declarative option parser: every option has a default and a line of
// help, so `tsos VERB --help` is generated from the same table that parses.

export interface OptionSpec {
  name: string; // long name without dashes
  short?: string;
  help: string;
  /** Options with a value: a string default; flags: boolean; repeatable options: a list. */
  default: string | boolean | string[];
}

export interface VerbSpec {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec[];
}

export class UsageError extends Error {}

export interface Parsed {
  opts: Record<string, string | boolean | string[]>;
  rest: string[];
}

export function parseArgs(spec: VerbSpec, argv: string[]): Parsed {
  const opts: Parsed["opts"] = Object.fromEntries(spec.options.map((o) => [o.name, Array.isArray(o.default) ? [...o.default] : o.default]));
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      rest.push(a);
      continue;
    }
    const [flag, inline] = a.startsWith("--") ? (a.slice(2).split(/=(.*)/s) as [string, string | undefined]) : [a.slice(1), undefined];
    const o = spec.options.find((x) => (a.startsWith("--") ? x.name === flag : x.short === flag));
    if (!o) throw new UsageError(`unknown option ${a}; see 'tsos ${spec.name} --help'`);
    if (typeof o.default === "boolean") {
      opts[o.name] = true;
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new UsageError(`option --${o.name} needs a value`);
    if (Array.isArray(o.default)) (opts[o.name] as string[]).push(v);
    else opts[o.name] = v;
  }
  return { opts, rest };
}

export function helpText(spec: VerbSpec): string {
  const lines = [`usage: ${spec.usage}`, "", spec.summary, ""];
  if (spec.options.length) lines.push("options:");
  for (const o of spec.options) {
    const names = `${o.short ? `-${o.short}, ` : "    "}--${o.name}${typeof o.default === "boolean" ? "" : " VALUE"}`;
    const def = typeof o.default === "boolean" ? " (default: off)" : Array.isArray(o.default) ? " (repeatable)" : ` (default: ${o.default === "" ? "none" : o.default})`;
    lines.push(`  ${names.padEnd(26)} ${o.help}${def}`);
  }
  return lines.join("\n");
}

export function intOption(v: string | boolean | string[], name: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}
