import fc from 'fast-check';
import { Document, visit, isMap } from 'yaml';
import { identifier, layerTypes, objectOf, optionsOf, schema, valueOf, type LayerType } from './schema.js';
import type { FuzzCase } from './case.js';

/**
 * Whole specs built from the schema's layer types: stacks of layers fed
 * inputs of a rank each layer takes, `repeat` blocks (counted, zipped,
 * nested), `from` graphs with merges, several models, `type: model`
 * composition, contracts, symbols, params, defaults and lint settings.
 *
 * Generation is two-step so that fast-check shrinks well: the arbitraries
 * draw plain drafts (a layer type with options, a few numbers), and `build`
 * folds them into a spec, tracking each tensor's rank and which tensors
 * share a shape, so merges and ranks usually fit and about a third of the
 * specs compile clean. Dropping a draft while shrinking keeps the rest valid.
 */

/** Layer types whose output has the shape of their input (merges of equal shapes included): what merges may combine. */
const shapeKeeping = new Set(['activation', 'leakyReLU', 'reLU', 'elu', 'softmax', 'dropout', 'batchNormalization', 'layerNormalization', 'groupNormalization', 'instanceNormalization', 'pixelNormalization', 'add', 'multiply']);
const merges = new Set(['concatenate', 'add', 'multiply']);

interface LayerDraft {
  readonly kind: 'layer';
  readonly type: string;
  readonly options: Record<string, unknown>;
  /** Insert flatten/dense/reshape when the layer needs another rank (false leaves a rank error). */
  readonly adapt: boolean;
  /** 0..99: picks `from` branches and merge partners. */
  readonly branch: number;
  readonly named: number;
  readonly weights: unknown;
}

interface RepeatDraft {
  readonly kind: 'repeat';
  readonly count: number;
  /** Zipped lists instead of a count: values for a loop variable `f`. */
  readonly lists?: readonly number[];
  readonly as?: string;
  readonly body: readonly (LayerDraft | RepeatDraft)[];
  readonly adapt: boolean;
}

type Item = LayerDraft | RepeatDraft;

const weightFiles = fc.constantFrom<unknown>('w/f32_2x3.npy', 'w/f32_3.json', 'missing.npy', 'bad.json', 'w/all.json', { kernel: 'w/f32_4x2.npy', bias: 'w/f32_2.npy' }, 'w/f32_3x3x2x1.npy');

/** `arbitrary` in `percent` of the cases, else undefined (fc.record's optional keys are there half the time). */
function rarely<T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(undefined) }, { weight: percent, arbitrary });
}

function layerDraft(t: LayerType): fc.Arbitrary<LayerDraft> {
  return fc.record(
    {
      kind: fc.constant('layer' as const),
      type: fc.constant(t.type),
      options: optionsOf(t),
      adapt: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      branch: fc.nat(99),
      named: fc.nat(99),
      weights: rarely(fc.oneof({ weight: 1, arbitrary: weightFiles }, { weight: 1, arbitrary: fc.constant('match') }), 6),
    },
    { requiredKeys: ['kind', 'type', 'options', 'adapt', 'branch', 'named', 'weights'] },
  );
}

/** Every type of the schema; transposed convolutions, the project's subject, three times as often. */
const anyLayer: fc.Arbitrary<LayerDraft> = fc.oneof(...layerTypes.map((t) => ({ weight: /Transpose$/.test(t.type) ? 3 : 1, arbitrary: layerDraft(t) })));

function repeatDraft(body: fc.Arbitrary<Item>): fc.Arbitrary<RepeatDraft> {
  return fc.record(
    {
      kind: fc.constant('repeat' as const),
      count: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(0) }),
      lists: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
      as: fc.constantFrom('k', 'step'),
      body: fc.array(body, { minLength: 1, maxLength: 3 }),
      adapt: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    },
    { requiredKeys: ['kind', 'count', 'body', 'adapt'] },
  );
}

const inner = repeatDraft(anyLayer);
const item: fc.Arbitrary<Item> = fc.oneof({ weight: 10, arbitrary: anyLayer }, { weight: 1, arbitrary: repeatDraft(fc.oneof({ weight: 6, arbitrary: anyLayer }, { weight: 1, arbitrary: inner })) });

interface ModelDraft {
  readonly items: readonly Item[];
  readonly sizes: readonly number[];
  readonly channels: number;
  readonly symbolic: boolean;
  readonly secondInput: boolean;
  readonly inputObject: boolean;
  /** 0 none, 1 `null` assertion on the last layer, 2 two outputs, 3 a wrong assertion. */
  readonly outputs: number;
  readonly compose: number;
  readonly inputId: string;
}

const modelDraft: fc.Arbitrary<ModelDraft> = fc.record({
  items: fc.array(item, { minLength: 1, maxLength: 5 }),
  sizes: fc.array(fc.integer({ min: 3, max: 9 }), { minLength: 3, maxLength: 3 }),
  channels: fc.integer({ min: 1, max: 4 }),
  symbolic: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  secondInput: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  inputObject: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  outputs: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: fc.constant(3) }),
  compose: fc.nat(9),
  inputId: fc.oneof({ weight: 8, arbitrary: fc.constant('x') }, { weight: 1, arbitrary: identifier }),
});

export interface SpecDraft {
  readonly models: readonly ModelDraft[];
  readonly p: number;
  readonly q: boolean;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly defaults: Record<string, unknown> | undefined;
  readonly lint: unknown;
  readonly contract: boolean;
  readonly multipleOf: number;
  readonly style: number;
}

/** `option: value` for every type, or `type: { option: value }`: a random optional option of a random type. */
const defaultsArb: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom(...layerTypes.flatMap((t) => Object.keys(t.properties).filter((k) => !t.required.includes(k) && !['type', 'id', 'name', 'from', 'weights', 'model', 'output', 'inputShape', 'batchInputShape', 'batchSize'].includes(k)).map((k) => [t.type, k] as const)))
  .chain(([type, key]) => fc.tuple(fc.boolean(), valueOf(layerTypes.find((t) => t.type === type)!.properties[key]!, key)).map(([perType, value]) => (perType ? { [type]: { [key]: value } } : { [key]: value })));

export const specDraft: fc.Arbitrary<SpecDraft> = fc.record(
  {
    models: fc.oneof({ weight: 5, arbitrary: fc.array(modelDraft, { minLength: 1, maxLength: 1 }) }, { weight: 2, arbitrary: fc.array(modelDraft, { minLength: 2, maxLength: 3 }) }),
    p: fc.integer({ min: 1, max: 4 }),
    q: fc.boolean(),
    name: rarely(identifier, 30),
    description: rarely(fc.constantFrom('A decoder.', 'ünïcödé'), 20),
    defaults: rarely(defaultsArb, 15),
    lint: rarely(objectOf(schema['$defs'].lintSettings), 15),
    contract: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    multipleOf: fc.constantFrom(1, 2, 4, 8),
    style: fc.nat(2),
  },
  { requiredKeys: ['models', 'p', 'q', 'name', 'description', 'defaults', 'lint', 'contract', 'multipleOf', 'style'] },
);

/** A tensor a layer can read: rank with batch, shape class, and how to name it. */
interface Tensor {
  readonly rank: number;
  readonly cls: number;
  /** The layer object that makes it: `id()` names the layer on first use. */
  readonly layer?: Record<string, unknown>;
  /** An input's id. */
  readonly fixedId?: string;
  /** The `{i}` part a repeat body adds to the ids it makes. */
  readonly template: string;
  /** Loop variables fixed by now: read after its block, a body layer is the one of the last iteration. */
  readonly last?: readonly (readonly [string, number])[];
}

class ModelBuilder {
  readonly layers: Record<string, unknown>[] = [];
  readonly available: Tensor[] = [];
  cur!: Tensor;
  /** The shape of the model's input, for weight files that fit the first layer. */
  inputShape?: readonly unknown[];
  #classes = 0;
  #ids = 0;

  constructor(
    readonly name: string,
    readonly models: ReadonlyMap<string, { inputs: Record<string, unknown>; rank: number; outputs?: string[] }>,
  ) {}

  newClass(): number {
    return ++this.#classes;
  }

  /** The tensor's id, giving its layer one (`l3`, or `l3_{i}` in a repeat body) when it has none. */
  id(t: Tensor): string {
    if (t.fixedId) return t.fixedId;
    const layer = t.layer!;
    if (typeof layer['id'] !== 'string') layer['id'] = `l${++this.#ids}${t.template}`;
    return (t.last ?? []).reduce((id, [v, n]) => id.split(`{${v}}`).join(String(n)), layer['id'] as string);
  }

  push(layer: Record<string, unknown>, rank: number, cls: number, template: string, list: Record<string, unknown>[]): Tensor {
    list.push(layer);
    this.cur = { rank, cls, layer, template };
    return this.cur;
  }

  /** flatten -> dense -> reshape to a [4, ..., 4, 2] tensor of the rank wanted. */
  adapt(rank: number, template: string, list: Record<string, unknown>[]): void {
    if (this.cur.rank === rank) return;
    if (this.cur.rank > 2) this.push({ type: 'flatten' }, 2, this.newClass(), template, list);
    if (rank > 2) {
      const spatial = Array<number>(rank - 2).fill(4);
      this.push({ type: 'dense', units: 4 ** (rank - 2) * 2 }, 2, this.newClass(), template, list);
      this.push({ type: 'reshape', targetShape: [...spatial, 2] }, rank, this.newClass(), template, list);
    }
  }

  layer(d: LayerDraft, template: string, list: Record<string, unknown>[], inBody: boolean, loopVar?: string): void {
    const t = layerTypes.find((l) => l.type === d.type)!;
    // A model layer needs another model to apply; in the first model it can only name itself (NS3021), so that stays rare.
    if (d.type === 'model' && this.models.size === 0 && d.branch >= 10) return;
    const need = t.spatial !== undefined ? t.spatial + 2 : undefined;
    if (need !== undefined && d.adapt) this.adapt(need, template, list);
    const layer: Record<string, unknown> = { type: d.type, ...d.options };
    if (loopVar) {
      const key = ['filters', 'units'].find((k) => k in t.properties);
      if (key) layer[key] = loopVar;
    }
    if (d.named < 40) layer['id'] = `${d.type}${d.named}${template}`;
    else if (d.named < 45) layer['id'] = `${d.type}_${(d.named % 3) + 1}`; // collides with a generated id, on purpose
    else if (d.named < 48 && !inBody) layer['id'] = ['tf', 'model', 'inputs', 'class', 'constructor', 'build', 'x_', 'valueOf'][d.named - 45]!;
    let rank = this.cur.rank;
    if (merges.has(d.type)) {
      const partners = [this.cur, ...(inBody ? [] : this.available.filter((a) => a.cls === this.cur.cls && a !== this.cur))];
      const other = d.branch < 85 || inBody ? partners[d.branch % partners.length]! : this.available[d.branch % this.available.length]!;
      layer['from'] = [this.id(this.cur), this.id(other)];
    } else if (d.type === 'model') {
      const names = [...this.models.keys()];
      const target = names.length > 0 && d.branch < 90 ? names[d.branch % names.length]! : this.name;
      layer['model'] = target;
      const info = this.models.get(target);
      if (info?.outputs && info.outputs.length > 1) layer['output'] = info.outputs[d.branch % info.outputs.length];
      rank = info?.rank ?? rank;
    } else if (!inBody && d.branch < 8 && this.available.length > 1) {
      const fits = this.available.filter((a) => need === undefined || a.rank === need);
      if (fits.length > 0) {
        const from = fits[d.branch % fits.length]!;
        layer['from'] = this.id(from);
        this.cur = from;
      }
    }
    if (d.weights !== undefined && d.type !== 'model') layer['weights'] = d.weights === 'match' ? this.matchingWeights(layer) : d.weights;
    if (layer['weights'] === undefined) delete layer['weights'];
    if (d.type === 'reshape' && Array.isArray(layer['targetShape'])) rank = (layer['targetShape'] as unknown[]).length + 1;
    if (d.type === 'flatten' || d.type.startsWith('global')) rank = 2;
    const cls = shapeKeeping.has(d.type) ? this.cur.cls : this.newClass();
    const made = this.push(layer, rank, cls, template, list);
    if (!inBody) this.available.push(made);
  }

  /** Weight files (named by their shape, see files.ts) that fit a dense or transposed convolution reading an input of known size. */
  matchingWeights(layer: Record<string, unknown>): unknown {
    const input = this.cur.fixedId !== undefined ? this.inputShape : undefined;
    const last = input?.[input.length - 1];
    if (typeof last !== 'number') return undefined;
    const bias = layer['useBias'] === false ? {} : undefined;
    if (layer['type'] === 'dense' && typeof layer['units'] === 'number') {
      return { kernel: `w/f32_${last}x${layer['units']}.npy`, ...(bias ?? { bias: `w/f32_${layer['units']}.json` }) };
    }
    if (layer['type'] === 'conv2dTranspose' && typeof layer['kernelSize'] === 'number' && typeof layer['filters'] === 'number') {
      const k = layer['kernelSize'];
      return { kernel: `w/f32_${k}x${k}x${layer['filters']}x${last}.npy`, ...(bias ?? { bias: `w/f32_${layer['filters']}.npy` }) };
    }
    return undefined;
  }

  repeat(r: RepeatDraft, depth: number, list: Record<string, unknown>[], outer = ''): void {
    const loopVar = depth === 0 ? (r.as ?? 'i') : 'j';
    const listVar = depth === 0 ? 'f' : 'g';
    const template = depth === 0 ? `_{${loopVar}}` : `_{${outer}}_{${loopVar}}`;
    const body: Record<string, unknown>[] = [];
    const entry = this.cur;
    const zipped = r.lists !== undefined;
    r.body.forEach((b, n) => {
      if (b.kind === 'layer') this.layer(b, template, body, true, zipped && n === 0 ? listVar : undefined);
      else if (depth === 0) this.repeat(b, depth + 1, body, loopVar);
    });
    const iterations = zipped ? r.lists!.length : r.count;
    if (iterations > 1 && r.adapt) this.adapt(entry.rank, template, body);
    if (body.length === 0) body.push({ type: 'activation', activation: 'linear' });
    const block: Record<string, unknown> = { repeat: zipped ? { [listVar]: r.lists } : r.count, layers: body };
    if (depth > 0) block['as'] = loopVar;
    else if (r.as !== undefined) block['as'] = r.as;
    list.push(block);
    if (iterations === 0) this.cur = entry;
    else this.cur = { ...this.cur, cls: this.newClass(), last: [...(this.cur.last ?? []), [loopVar, iterations - 1]] };
  }
}

function inputShape(m: ModelDraft, rank: number): unknown[] {
  const spatial = m.sizes.slice(0, Math.max(0, rank - 2)).map((s, a) => (m.symbolic ? ['H', 'W', 'D'][a]! : s));
  return rank === 2 ? [m.sizes[0]! + m.channels] : [...spatial, m.channels];
}

/** The rank the first layer wants (any type without one: rank 4, the decoders' home). */
function firstRank(items: readonly Item[]): number {
  const first = items[0]!;
  const d = first.kind === 'layer' ? first : first.body.find((b): b is LayerDraft => b.kind === 'layer');
  const t = d && layerTypes.find((l) => l.type === d.type);
  return t?.spatial !== undefined ? t.spatial + 2 : d && (d.type === 'dense' || d.branch % 3 === 0) ? 2 : 4;
}

/** Folds a draft into the spec's plain data. */
export function buildSpec(spec: SpecDraft): Record<string, unknown> {
  const models: Record<string, unknown> = {};
  const built = new Map<string, { inputs: Record<string, unknown>; rank: number; outputs?: string[] }>();
  const usedSymbols = new Set<string>();
  spec.models.forEach((m, k) => {
    const name = `m${k}`;
    const b = new ModelBuilder(name, built);
    const reuse = k > 0 && m.compose < 4 ? built.get(`m${m.compose % k}`) : undefined;
    let inputs: Record<string, unknown>;
    if (reuse) {
      inputs = reuse.inputs;
      const ids = Object.keys(inputs);
      const first: Record<string, unknown> = { type: 'model', model: `m${m.compose % k}` };
      if (ids.length > 1) first['from'] = ids;
      if (reuse.outputs && reuse.outputs.length > 1) first['output'] = reuse.outputs[0];
      if (m.compose === 1) first['trainable'] = false;
      b.cur = { rank: 0, cls: 0, fixedId: ids[0]!, template: '' };
      b.push(first, reuse.rank, b.newClass(), '', b.layers);
      b.available.push(b.cur);
    } else {
      const rank = firstRank(m.items);
      const shape = inputShape(m, rank);
      shape.forEach((d) => typeof d === 'string' && usedSymbols.add(d));
      b.inputShape = shape;
      inputs = { [m.inputId]: m.inputObject ? { shape, batchSize: 2 } : shape };
      const cls = b.newClass();
      b.cur = { rank, cls, fixedId: m.inputId, template: '' };
      b.available.push(b.cur);
      if (m.secondInput && m.inputId !== 'y') {
        inputs['y'] = shape;
        b.available.push({ rank, cls, fixedId: 'y', template: '' });
      }
    }
    for (const it of m.items) {
      if (it.kind === 'layer') b.layer(it, '', b.layers, false);
      else b.repeat(it, 0, b.layers);
    }
    if (b.layers.length === 0) b.push({ type: 'activation', activation: 'linear' }, b.cur.rank, b.cur.cls, '', b.layers);
    let first = b.layers[0];
    while (first && Array.isArray(first['layers'])) first = (first['layers'] as Record<string, unknown>[])[0];
    if (Object.keys(inputs).length > 1 && first && first['from'] === undefined) first['from'] = Object.keys(inputs)[0];
    const model: Record<string, unknown> = { inputs, layers: b.layers };
    let outputs: string[] | undefined;
    const last = b.layers[b.layers.length - 1]!;
    if (m.outputs > 0 && last['repeat'] === undefined) {
      const lastId = b.id({ rank: 0, cls: 0, layer: last, template: '' });
      const other = b.available.length > 1 ? b.id(b.available[b.available.length - 2]!) : undefined;
      outputs = m.outputs === 2 && other !== undefined && other !== lastId ? [lastId, other] : [lastId];
      model['outputs'] = Object.fromEntries(outputs.map((o) => [o, m.outputs === 3 ? [7, 7, 7] : null]));
    }
    models[name] = model;
    built.set(name, { inputs, rank: b.cur.rank, ...(outputs ? { outputs } : {}) });
  });
  const out: Record<string, unknown> = { netspec: 1 };
  if (spec.name !== undefined) out['name'] = spec.name;
  if (spec.description !== undefined) out['description'] = spec.description;
  out['params'] = spec.q ? { p: spec.p, q: 'p * 2' } : { p: spec.p };
  if (usedSymbols.size > 0) out['symbols'] = spec.multipleOf === 1 ? [...usedSymbols] : Object.fromEntries([...usedSymbols].map((s) => [s, { multipleOf: spec.multipleOf }]));
  if (spec.defaults !== undefined) out['defaults'] = spec.defaults;
  if (spec.lint !== undefined) out['lint'] = spec.lint;
  out['models'] = models;
  if (spec.contract && built.size > 1) {
    const [a, b] = [...built.entries()];
    out['contracts'] = [`${a![0]}.${a![1].outputs?.[0] ?? Object.keys(a![1].inputs)[0]} == ${b![0]}.${Object.keys(b![1].inputs)[0]}`];
  }
  return out;
}

/** YAML text: block style, the gallery's flow mappings per layer, or flow mappings everywhere below the models. */
export function render(data: Record<string, unknown>, style: number): string {
  const doc = new Document(data);
  if (style === 1) {
    visit(doc, {
      Map(_, node) {
        if (node.has('type') || node.has('repeat')) node.flow = !node.has('repeat');
      },
    });
  } else if (style === 2) {
    visit(doc, {
      Map(_, node, path) {
        if (path.length > 6 && isMap(node)) node.flow = true;
      },
    });
  }
  return `# yaml-language-server: $schema=../schemas/netspec.schema.json\n${doc.toString({ lineWidth: 0 })}`;
}

export const schemaCases: fc.Arbitrary<FuzzCase> = fc.tuple(specDraft, fc.nat(19)).map(([draft, where]) => ({
  family: 'schema',
  sources: [{ path: where === 0 ? 'test/fixtures/fuzz/spec.yaml' : 'specs/fuzz.yaml', text: render(buildSpec(draft), draft.style) }],
}));
