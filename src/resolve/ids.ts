/** Model names, params and ids become TypeScript identifiers and tfjs names, so they must be identifiers. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * Generated ids: `<type>_<n>`, counted per type in layer order, skipping ids the
 * spec already uses. Deterministic by construction: no clocks, no randomness.
 */
export function idGenerator(taken: ReadonlySet<string>): (type: string) => string {
  const counters = new Map<string, number>();
  const used = new Set(taken);
  return (type) => {
    let n = counters.get(type) ?? 0;
    let id: string;
    do id = `${type}_${++n}`;
    while (used.has(id));
    counters.set(type, n);
    used.add(id);
    return id;
  };
}
