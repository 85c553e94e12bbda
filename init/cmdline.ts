// The kernel command line: the `tsos.*` keys init acts on.

export interface BootFlags {
  /** `tsos.test=poweroff`: power off right after the hello (CI boot checks). */
  test?: "poweroff";
  /** Every `tsos.key=value` seen, for diagnostics and later consumers. */
  all: Record<string, string>;
}

export function parseCmdline(text: string): BootFlags {
  const all: Record<string, string> = {};
  for (const word of text.trim().split(/\s+/)) {
    if (!word.startsWith("tsos.")) continue;
    const eq = word.indexOf("=");
    const key = word.slice(5, eq < 0 ? undefined : eq);
    if (key) all[key] = eq < 0 ? "" : word.slice(eq + 1);
  }
  return { test: all.test === "poweroff" ? "poweroff" : undefined, all };
}
