/**
 * What the schema says about layer types and options, for completion: the
 * same schemas/netspec.schema.json that validation uses, so the editor offers
 * exactly what `netspec check` accepts.
 */
import { layerSchemaPointer, layerTypes, propertiesOf, schema, type SchemaObject } from '../../validate/schema.js';

const defs = schema['$defs'] as Record<string, SchemaObject>;

export { layerTypes };

/** Follows local `$ref`s, also those into a definition (`#/$defs/layerBase/properties/name`); an unknown one is an empty schema. */
function deref(s: SchemaObject, depth = 0): SchemaObject {
  const ref = s['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/') || depth > 16) return s;
  let at: unknown = schema;
  for (const segment of ref.slice(2).split('/')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[segment] : undefined;
  return at !== null && typeof at === 'object' ? deref(at as SchemaObject, depth + 1) : {};
}

/** The schema of a layer type, or undefined for a type netspec does not have. */
export function layerSchema(type: string): SchemaObject | undefined {
  if (!layerTypes.includes(type)) return undefined;
  return defs[layerSchemaPointer(type).slice('/$defs/'.length)];
}

/** A layer type's description. */
export function layerDescription(type: string): string | undefined {
  const found = layerSchema(type)?.['description'];
  return typeof found === 'string' ? found : undefined;
}

/** A layer type's options, `type` excluded, each with its schema: its own first, then those every layer has, in schema order. */
export function layerOptions(type: string): [string, SchemaObject][] {
  const s = layerSchema(type);
  if (!s) return [];
  const all = propertiesOf(s);
  const own = Object.keys((s['properties'] ?? {}) as Record<string, SchemaObject>);
  const names = [...new Set([...own, ...Object.keys(all)])].filter((name) => name !== 'type');
  return names.map((name) => [name, all[name]!]);
}

/** An option's description, from the option or the definition it refers to, and its `default` when the schema has one. */
export function optionHelp(option: SchemaObject): { description?: string; default?: unknown } {
  const target = deref(option);
  const description = option['description'] ?? target['description'];
  const fallback = option['default'] ?? target['default'];
  return { ...(typeof description === 'string' ? { description } : {}), ...(fallback !== undefined ? { default: fallback } : {}) };
}

/** The single values an option accepts (`enum`, `const`, booleans), through `$ref`, `anyOf`, `oneOf`, `allOf` and `if`/`then`/`else`. */
export function optionValues(option: SchemaObject): (string | boolean)[] {
  const found: (string | boolean)[] = [];
  const visit = (s: SchemaObject | undefined, depth: number): void => {
    if (!s || depth > 8) return;
    const d = deref(s);
    for (const v of (d['enum'] ?? []) as unknown[]) if (typeof v === 'string' || typeof v === 'boolean') found.push(v);
    if (typeof d['const'] === 'string' || typeof d['const'] === 'boolean') found.push(d['const'] as string | boolean);
    const types = ([] as unknown[]).concat(d['type'] ?? []);
    if (types.includes('boolean')) found.push(true, false);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const branch of (d[key] ?? []) as SchemaObject[]) visit(branch, depth + 1);
    visit(d['then'] as SchemaObject | undefined, depth + 1);
    visit(d['else'] as SchemaObject | undefined, depth + 1);
  };
  visit(option, 0);
  return [...new Set(found)];
}

/** Whether an option may be written as an expression over params (`x-expr` anywhere in its schema). */
export function takesExpressions(option: SchemaObject): boolean {
  const visit = (s: SchemaObject | undefined, depth: number): boolean => {
    if (!s || depth > 8) return false;
    const d = deref(s);
    if (d['x-expr'] !== undefined) return true;
    const branches = [...((d['anyOf'] ?? []) as SchemaObject[]), ...((d['oneOf'] ?? []) as SchemaObject[]), ...((d['allOf'] ?? []) as SchemaObject[])];
    const more = [d['then'], d['else'], d['items'], d['additionalProperties']].filter((x): x is SchemaObject => x !== null && typeof x === 'object');
    return [...branches, ...more].some((b) => visit(b, depth + 1));
  };
  return visit(option, 0);
}

/** The lints of `lint:` (the spec's and a layer's) by name, each with its levels; codes (`NS5001`) are accepted too, names read better. */
export function lintNames(): [string, SchemaObject][] {
  return Object.entries((defs['lintSettings']!['properties'] ?? {}) as Record<string, SchemaObject>).filter(([name]) => !/^NS\d+$/.test(name));
}

/** The top-level keys of a spec, and the keys of a model, a repeat block and a symbol, with their descriptions. */
export function keysOf(where: 'spec' | 'model' | 'repeat' | 'symbol'): [string, SchemaObject][] {
  const s = where === 'spec' ? schema : defs[where === 'model' ? 'model' : where === 'repeat' ? 'repeatBlock' : 'symbol']!;
  return Object.entries((s['properties'] ?? {}) as Record<string, SchemaObject>);
}
