/**
 * The default of each option, read from the JSON Schema's descriptions
 * (schemas/netspec.schema.json says "Default 0.99." or "`valid` (default ...)"
 * for every option that has one), so that an imported spec leaves out what a
 * person would not write, and netspec keeps one statement of its defaults.
 */
import { schema, type SchemaObject } from '../validate/schema.js';

const defs = schema['$defs'] as Record<string, SchemaObject>;

export function refTarget(node: SchemaObject): SchemaObject | undefined {
  const ref = node['$ref'] as string | undefined;
  return ref?.startsWith('#/$defs/') ? defs[ref.slice('#/$defs/'.length)] : undefined;
}

/** The properties of a layer type's schema, its `allOf` parts (layerBase, weightOptions) included. */
export function optionSchemas(type: string): ReadonlyMap<string, SchemaObject> | undefined {
  const def = defs[type === 'model' ? 'modelLayer' : type];
  if (!def || type === 'layer') return undefined;
  const out = new Map<string, SchemaObject>();
  const add = (node: SchemaObject) => {
    for (const part of (node['allOf'] as SchemaObject[] | undefined) ?? []) add(refTarget(part) ?? part);
    for (const [key, value] of Object.entries((node['properties'] as Record<string, SchemaObject> | undefined) ?? {})) out.set(key, value);
  };
  add(def);
  return out;
}

/** The words that follow "Default" in a description: a number, a name, `true`/`false`, or `none`. */
function parseDefault(description: string): unknown[] | undefined {
  const stated = /\bDefault:? `?(-?[\w.]+?)`?(?:\.\s|\.$|[;,:)]|\s\(|\s|$)/.exec(description) ?? /`([\w-]+)` \(default/.exec(description);
  if (!stated) return undefined;
  const word = stated[1]!;
  const value = /^-?\d+(\.\d+)?(e-?\d+)?$/.test(word) ? Number(word) : word === 'true' ? true : word === 'false' ? false : word;
  // "Default: none (linear)": none, and the name that means none.
  const alias = /Default:? none \((\w+)\)/.exec(description)?.[1];
  return word === 'none' ? [undefined, ...(alias ? [alias] : [])] : [value];
}

const cache = new Map<string, ReadonlyMap<string, readonly unknown[]>>();

/** The defaults of one layer type's options; an option whose default depends on others (`strides`: poolSize) has none here. */
export function defaultsOf(type: string): ReadonlyMap<string, readonly unknown[]> {
  let found = cache.get(type);
  if (found) return found;
  const out = new Map<string, readonly unknown[]>();
  for (const [key, node] of optionSchemas(type) ?? []) {
    const description = (node['description'] as string | undefined) ?? (refTarget(node)?.['description'] as string | undefined) ?? '';
    const value = parseDefault(description);
    if (value) out.set(key, value);
  }
  cache.set(type, (found = out));
  return found;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return typeof b === 'number' ? a.every((v) => v === b) : Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  return a === b;
}

/** Whether an option's value is its default (a list of equal entries counts as the single value: `strides: [1, 1]` is `1`). */
export function isDefault(type: string, option: string, value: unknown, options: Readonly<Record<string, unknown>> = {}): boolean {
  if (value === undefined || value === null) return true;
  // "Default poolSize": the default is another option's value.
  const stated = (defaultsOf(type).get(option) ?? []).map((d) => (typeof d === 'string' && d in options ? options[d] : d));
  return stated.some((d) => d !== undefined && sameValue(value, d));
}

/** Whether an option holds numbers a spec may write as expressions (`x-expr`): a string there would be read as one. */
export function takesExpressions(type: string, option: string): boolean {
  let node = optionSchemas(type)?.get(option);
  for (let depth = 0; node && depth < 4; depth++) {
    if ('x-expr' in node) return true;
    const items = node['items'] as SchemaObject | undefined;
    if (items && ('x-expr' in items || 'x-expr' in (refTarget(items) ?? {}))) return true;
    node = refTarget(node);
  }
  return false;
}
