import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../helpers/gallery.js';

/**
 * Arbitraries read off schemas/netspec.schema.json: every layer type of the
 * `layer` oneOf with its properties, and a value generator for any property
 * schema. Nothing here names a layer type, so a type added to the schema is
 * generated the day it lands. The few hints below only bias sizes towards
 * values that give valid networks, so that enough specs compile clean.
 */

/** A JSON Schema node, as loosely typed as the file it comes from. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;

export const schema = JSON.parse(readFileSync(join(root, 'schemas', 'netspec.schema.json'), 'utf8')) as Schema;

/** Follows `$ref` (`#/$defs/a/properties/b`) until a node without one. */
export function deref(node: Schema): Schema {
  let s = node;
  for (let hops = 0; s['$ref'] !== undefined && hops < 20; hops++) {
    s = (s['$ref'] as string)
      .slice(2)
      .split('/')
      .reduce<Schema>((at, key) => at[key] as Schema, schema);
  }
  return s;
}

export interface LayerType {
  readonly type: string;
  /** Every property, merged from allOf (layerBase, weightOptions) and the type's own. */
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required: readonly string[];
  /** Spatial axes a `...1d/2d/3d` type works on; undefined for types of any rank. */
  readonly spatial?: number;
}

export const layerTypes: readonly LayerType[] = (deref(schema['$defs'].layer).oneOf as Schema[]).map((ref) => {
  const def = deref(ref);
  const properties: Record<string, Schema> = {};
  for (const part of [...((def['allOf'] as Schema[] | undefined) ?? []), def]) Object.assign(properties, deref(part)['properties'] ?? {});
  const type = properties['type']!['const'] as string;
  const spatial = /([123])d(?:Transpose)?$/.exec(type);
  return { type, properties, required: (def['required'] as string[] | undefined) ?? [], ...(spatial ? { spatial: Number(spatial[1]) } : {}) };
});

/** How far above its minimum an integer option goes: small kernels and strides keep spatial sizes positive. */
const spans: Record<string, number> = {
  filters: 5,
  units: 5,
  kernelSize: 2,
  poolSize: 2,
  strides: 1,
  size: 1,
  dilationRate: 1,
  outputPadding: 0,
  cropping: 1,
  padding: 1,
  multipleOf: 7,
  min: 7,
};

/** Probability that an optional option is written; options that usually contradict the input are rarer. */
export const inclusion: Record<string, number> = {
  outputShape: 0.02,
  inputShape: 0.005,
  batchInputShape: 0.005,
  batchSize: 0.005,
  noiseShape: 0.05,
  dilationRate: 0.08,
  dataFormat: 0.06,
  outputPadding: 0.06,
  lint: 0.05,
  trainable: 0.15,
  dtype: 0.05,
};

/** Identifiers the emitter must keep apart from its own names and JavaScript's. */
export const trickyIdentifiers = ['tf', 'model', 'inputs', 'outputs', 'class', 'default', 'constructor', 'toString', 'valueOf', '__proto__', 'x_', '_x', 'build', 'input', 'undefined', 'NaN', 'await', 'let', 'static', 'Model'];

export const identifier: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,6}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...trickyIdentifiers) },
);

/**
 * An expression string that evaluates to `v` whatever the value of the param `p`
 * (every generated spec declares `p`), so writing a number as an expression
 * exercises the evaluator without making the spec wrong.
 */
export function asExpression(v: number, form: number): string {
  const forms = [`${v} * p / p`, `${v} + p - p`, `max(${v}, ${v} - p)`, `(${v})`, `${v}`, `min(${v}, ${v} + p)`];
  return forms[form % forms.length]!;
}

function integer(s: Schema, prop: string): fc.Arbitrary<number> {
  const lo = (s['minimum'] as number | undefined) ?? (s['exclusiveMinimum'] !== undefined ? (s['exclusiveMinimum'] as number) + 1 : -1);
  const span = spans[prop] ?? 4;
  const hi = s['maximum'] !== undefined ? Math.min(s['maximum'] as number, lo + span) : lo + span;
  return fc.oneof({ weight: 12, arbitrary: fc.integer({ min: lo, max: hi }) }, { weight: 1, arbitrary: fc.integer({ min: lo, max: lo + 64 }) });
}

function number(s: Schema): fc.Arbitrary<number> {
  const min = s['minimum'] as number | undefined;
  const xmin = s['exclusiveMinimum'] as number | undefined;
  const xmax = s['exclusiveMaximum'] as number | undefined;
  const max = s['maximum'] as number | undefined;
  const fits = (v: number) => (min === undefined || v >= min) && (xmin === undefined || v > xmin) && (xmax === undefined || v < xmax) && (max === undefined || v <= max);
  const nice = [0, 0.5, 1, 0.1, 0.02, 2, 0.001, -1, 0.99].filter(fits);
  const lo = min ?? xmin ?? -2;
  const hi = max ?? xmax ?? lo + 4;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...nice) },
    { weight: 1, arbitrary: fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).filter(fits) },
  );
}

/** A hint that overrides the schema for a property name: the values that usually fit. */
function hint(prop: string, s: Schema, depth: number): fc.Arbitrary<unknown> | undefined {
  const generic = () => valueOf(s, '', depth + 1);
  switch (prop) {
    case 'axis':
      return fc.oneof({ weight: 8, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: generic() });
    case 'alpha':
      return fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: generic() });
    case 'padding': {
      const text = JSON.stringify(deref(s));
      if (!text.includes('"same"')) return undefined;
      return fc.oneof({ weight: 6, arbitrary: fc.constant('same') }, { weight: 3, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: generic() });
    }
    case 'targetShape':
      return fc.oneof({ weight: 4, arbitrary: fc.constant([-1]) }, { weight: 1, arbitrary: fc.constantFrom([-1, 1], [1, -1], [1, 1, -1], [-1, 1, 1, 1]) }, { weight: 1, arbitrary: generic() });
    case 'activation':
      // softmax over a non-last axis and friends stay possible, but relu-like names dominate.
      return fc.oneof({ weight: 2, arbitrary: fc.constantFrom('relu', 'tanh', 'sigmoid', 'linear') }, { weight: 1, arbitrary: generic() });
    default:
      return undefined;
  }
}

/** Values for a property schema: enums, consts, if/then/else, oneOf/anyOf, every `type` listed, expressions where `x-expr` allows. */
export function valueOf(node: Schema, prop = '', depth = 0): fc.Arbitrary<unknown> {
  const hinted = depth < 4 ? hint(prop, node, depth) : undefined;
  if (hinted) return hinted;
  const s = deref(node);
  if ('const' in s) return fc.constant(s['const']);
  if (s['enum']) return fc.constantFrom(...(s['enum'] as unknown[]));
  if (s['if']) return fc.oneof(valueOf(s['then'] as Schema, prop, depth + 1), valueOf(s['else'] as Schema, prop, depth + 1));
  const alternatives = (s['oneOf'] ?? s['anyOf']) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valueOf(a, prop, depth + 1)));
  const types = ([s['type']].flat().filter(Boolean) as string[]).concat(s['type'] === undefined && s['properties'] ? ['object'] : []);
  const numeric = types.includes('integer') ? integer(s, prop) : number(s);
  const arbs = types.map((t): fc.WeightedArbitrary<unknown> => {
    switch (t) {
      case 'integer':
        return { weight: 5, arbitrary: integer(s, prop) };
      case 'number':
        return { weight: 5, arbitrary: number(s) };
      case 'string':
        if (s['x-expr']) return { weight: 1, arbitrary: fc.tuple(numeric, fc.nat(5)).map(([v, form]) => asExpression(v, form)) };
        if (s['pattern']) return { weight: 1, arbitrary: identifier };
        return { weight: 1, arbitrary: fc.constantFrom('a', 'x', 'some text') };
      case 'boolean':
        return { weight: 1, arbitrary: fc.boolean() };
      case 'null':
        return { weight: 1, arbitrary: fc.constant(null) };
      case 'array': {
        const minLength = (s['minItems'] as number | undefined) ?? 0;
        const maxLength = Math.min((s['maxItems'] as number | undefined) ?? minLength + 2, minLength + 3);
        return { weight: 2, arbitrary: fc.array(valueOf((s['items'] as Schema | undefined) ?? {}, prop, depth + 1), { minLength, maxLength }) };
      }
      case 'object':
        return { weight: 2, arbitrary: objectOf(s, depth + 1) };
      default:
        return { weight: 1, arbitrary: fc.constant(null) };
    }
  });
  return arbs.length > 0 ? fc.oneof(...arbs) : fc.constant(null);
}

/** An object of a schema: every required property, each optional one with its inclusion probability, extra keys where allowed. */
export function objectOf(s: Schema, depth = 0, skip: readonly string[] = []): fc.Arbitrary<Record<string, unknown>> {
  const properties = (s['properties'] as Record<string, Schema> | undefined) ?? {};
  const required = new Set((s['required'] as string[] | undefined) ?? []);
  // `minProperties: 1` with nothing required (a regularizer's `{ l1, l2 }`): the first property is always written.
  if (((s['minProperties'] as number | undefined) ?? 0) > required.size && Object.keys(properties).length > 0) required.add(Object.keys(properties)[0]!);
  const entries = Object.entries(properties)
    .filter(([key]) => !skip.includes(key))
    .map(([key, sub]) => {
      const value = valueOf(sub, key, depth);
      const p = inclusion[key] ?? 0.2;
      const permille = Math.max(1, Math.round(1000 * p));
      return fc.tuple(fc.constant(key), required.has(key) ? value : fc.oneof({ weight: 1000 - permille, arbitrary: fc.constant(undefined) }, { weight: permille, arbitrary: value }));
    });
  const extra = s['additionalProperties'] && typeof s['additionalProperties'] === 'object' && depth < 4
    ? fc.array(fc.tuple(identifier, valueOf(s['additionalProperties'] as Schema, '', depth + 1)), { minLength: (s['minProperties'] as number | undefined) ?? 0, maxLength: 2 })
    : fc.constant([] as [string, unknown][]);
  return fc.tuple(fc.tuple(...entries), extra).map(([own, more]) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of [...more, ...own]) if (value !== undefined) out[key] = value;
    return out;
  });
}

/** The options of one layer type (id, from, weights and model wiring are the stack builder's). */
export function optionsOf(t: LayerType): fc.Arbitrary<Record<string, unknown>> {
  return objectOf({ properties: t.properties, required: t.required }, 0, ['type', 'id', 'name', 'from', 'weights', 'model', 'output']);
}
