import { diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../ir.js';
import type { ResolveContext } from './values.js';

/** Model names, params and ids become TypeScript identifiers and tfjs names, so they must be identifiers. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** NS3012 for a name that is not an identifier (`what`: `layer id`, `symbol`...), with the nearest one as the fix. */
export function checkIdentifier(ctx: ResolveContext, name: string, span: Span, what: string): boolean {
  if (isIdentifier(name)) return true;
  ctx.diagnostics.push(diagnostic('NS3012', span, `${what} '${name}' is not an identifier`, { fix: `use letters, digits and _, e.g. '${name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1')}'` }));
  return false;
}

/**
 * Generated ids: `<type>_<n>`, counted per type in layer order, skipping ids the
 * spec already uses. A layer with a `base` (a `type: model` layer: the model's
 * name) gets the base itself while it is free, then `<base>_2`, `<base>_3`...
 * Deterministic by construction: no clocks, no randomness.
 */
export function idGenerator(taken: ReadonlySet<string>): (type: string, base?: string) => string {
  const counters = new Map<string, number>();
  const used = new Set(taken);
  return (type, base) => {
    // Bases count apart from types: a model named `dense` does not shift the ids of dense layers.
    const key = base === undefined ? type : `model ${base}`;
    let n = counters.get(key) ?? 0;
    let id: string;
    do {
      n++;
      id = base === undefined ? `${type}_${n}` : n === 1 ? base : `${base}_${n}`;
    } while (used.has(id));
    counters.set(key, n);
    used.add(id);
    return id;
  };
}

/** The base of a layer's generated id, when it is not its type: a `type: model` layer is named after its model. */
export function idBase(type: unknown, options: { readonly [option: string]: unknown }): string | undefined {
  return type === 'model' && typeof options['model'] === 'string' ? options['model'] : undefined;
}
