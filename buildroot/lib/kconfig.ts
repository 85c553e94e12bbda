// Kconfig text: parse a .config and check which requested options survived olddefconfig.

export type KconfigValues = Map<string, string>;

/** `CONFIG_X=y` -> X:"y"; `# CONFIG_X is not set` -> X:"n". */
export function parseConfig(text: string): KconfigValues {
  const values: KconfigValues = new Map();
  for (const line of text.split("\n")) {
    const set = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (set) {
      values.set(set[1]!, set[2]!);
      continue;
    }
    const unset = /^# CONFIG_([A-Za-z0-9_]+) is not set$/.exec(line);
    if (unset) values.set(unset[1]!, "n");
  }
  return values;
}

/**
 * Every option a fragment asks for must hold in the final config: `=y` and
 * values must match exactly; `=n` must not be enabled. Returns "NAME (fragment: want, got)".
 */
export function checkConfig(fragments: { name: string; text: string }[], final: KconfigValues): string[] {
  const lost: string[] = [];
  for (const frag of fragments) {
    for (const [name, want] of parseConfig(frag.text)) {
      const got = final.get(name) ?? "n";
      const ok = want === "n" ? got === "n" : got === want;
      if (!ok) lost.push(`CONFIG_${name} (${frag.name}: want ${want}, got ${got})`);
    }
  }
  return lost;
}
