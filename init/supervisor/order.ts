// Dependency order: which services may start once a set is ready, and the
// reverse order for stopping. Unknown dependencies and cycles are errors.

export interface Node {
  name: string;
  after: string[];
}

export function checkGraph(nodes: Node[]): string[] {
  const names = new Set(nodes.map((n) => n.name));
  const errors: string[] = [];
  for (const n of nodes) for (const d of n.after) if (!names.has(d)) errors.push(`${n.name}: depends on unknown service '${d}'`);
  const state = new Map<string, "visiting" | "done">();
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const visit = (n: Node, path: string[]): void => {
    if (state.get(n.name) === "done") return;
    if (state.get(n.name) === "visiting") {
      errors.push(`dependency cycle: ${[...path, n.name].join(" -> ")}`);
      return;
    }
    state.set(n.name, "visiting");
    for (const d of n.after) {
      const dn = byName.get(d);
      if (dn) visit(dn, [...path, n.name]);
    }
    state.set(n.name, "done");
  };
  for (const n of nodes) visit(n, []);
  return errors;
}

/** Start waves: each wave's services depend only on earlier waves. */
export function startWaves(nodes: Node[]): string[][] {
  const waves: string[][] = [];
  const placed = new Set<string>();
  let rest = [...nodes];
  while (rest.length) {
    const wave = rest.filter((n) => n.after.every((d) => placed.has(d)));
    if (wave.length === 0) throw new Error(`cannot order services: ${rest.map((n) => n.name).join(", ")}`);
    waves.push(wave.map((n) => n.name));
    for (const n of wave) placed.add(n.name);
    rest = rest.filter((n) => !placed.has(n.name));
  }
  return waves;
}
