import fc from 'fast-check';
import { Document } from 'yaml';
import type { FuzzCase } from './case.js';
import { quote } from './properties.js';

/**
 * Attacks: one extreme input put into an otherwise clean spec. Each kind is
 * one that found real bugs in compilers of this sort: huge and odd numbers,
 * deep and long expressions, empty and huge repeats, reserved and
 * tfjs-illegal names, odd source paths (they reach comments of the generated
 * module), YAML aliases, deep nesting, unknown tags, complex keys, weights
 * of the wrong type, and source text oddities.
 *
 * YAML that plain data cannot express (anchors, tags, `.inf`, complex keys)
 * is written raw: `raw(text)` leaves a placeholder that `yamlOf` replaces
 * with the text after the `yaml` package has written the rest.
 */

class Raw {
  readonly texts: string[] = [];
  raw(text: string): string {
    this.texts.push(text);
    return `@@R${this.texts.length - 1}@@`;
  }
}

function yamlOf(data: unknown, raws: Raw): string {
  const text = new Document(data).toString({ lineWidth: 0 });
  return text.replace(/"@@R(\d+)@@"|@@R(\d+)@@/g, (_, a: string | undefined, b: string | undefined) => raws.texts[Number(a ?? b)]!);
}

interface Base {
  name?: string;
  model?: string;
  input?: string;
  shape?: unknown;
  layerId?: string;
  output?: string;
  params?: Record<string, unknown>;
  conv?: Record<string, unknown>;
  dense?: Record<string, unknown>;
  layers?: unknown[];
  more?: unknown[];
  top?: Record<string, unknown>;
}

/** A clean decoder: z [4, 4, 2] -> conv2dTranspose (stride 2) -> dense; every part can be replaced. */
function base(o: Base = {}): Record<string, unknown> {
  const layerId = o.layerId ?? 'up';
  const layers = o.layers ?? [
    { type: 'conv2dTranspose', id: layerId, filters: 2, kernelSize: 2, strides: 2, padding: 'same', ...o.conv },
    { type: 'dense', id: 'head', from: layerId, units: 3, ...o.dense },
    ...(o.more ?? []),
  ];
  return {
    netspec: 1,
    ...(o.name !== undefined ? { name: o.name } : {}),
    params: { p: 2, ...o.params },
    ...o.top,
    models: { [o.model ?? 'decoder']: { inputs: { [o.input ?? 'z']: o.shape ?? [4, 4, 2] }, layers, outputs: { [o.output ?? 'head']: null } } },
  };
}

const one = (family: string, text: string, path = 'specs/attack.yaml'): FuzzCase => ({ family: 'attack', note: family, sources: [{ path, text }] });

/** Numbers as YAML writes them raw, and expressions (quoted). */
const numbers = [
  '1e300', '-1e300', '987654321', '.inf', '-.inf', '.nan', '-0', '1e-320', '4294967297', '9007199254740993', '0x10', '0o17', '+5', '5.0', '1e3',
  '"10**200"', '"2**1023"', '"2**1024"', '"2 ** 2 ** 2 ** 2 ** 2"', '"1 / 0"', '"0 // 0"', '"5 % 0"', '"(-8) ** 0.5"', '"-(2**53)"', '"p ** p ** p ** p ** p"',
  '"1e308 * 10"', '"max()"', '"min(1)"', `"${'9'.repeat(400)}"`, '"0.1 + 0.2"', '"-0"', '"1e-320"', '"p // 0.0"', '"2 ** -1075"',
];

/** Where a number goes: an option, a param, a shape, a repeat count, a symbol's multiple... */
const numberSlots: Record<string, (v: string, r: Raw) => Record<string, unknown>> = {
  filters: (v, r) => base({ conv: { filters: r.raw(v) } }),
  units: (v, r) => base({ dense: { units: r.raw(v) } }),
  kernelSize: (v, r) => base({ conv: { kernelSize: r.raw(v) } }),
  strides: (v, r) => base({ conv: { strides: r.raw(v), padding: 'valid' } }),
  param: (v, r) => base({ params: { p: r.raw(v) }, conv: { filters: 'p' } }),
  shape: (v, r) => base({ shape: [r.raw(v), 4, 2] }),
  repeat: (v, r) => base({ more: [{ repeat: r.raw(v), layers: [{ type: 'activation', activation: 'relu' }] }] }),
  rate: (v, r) => base({ more: [{ type: 'dropout', rate: r.raw(v) }] }),
  multipleOf: (v, r) => base({ top: { symbols: { H: { multipleOf: r.raw(v) } } }, shape: ['H', 4, 2] }),
  symbolMin: (v, r) => base({ top: { symbols: { H: { min: r.raw(v) } } }, shape: ['H', 4, 2] }),
  outputPadding: (v, r) => base({ conv: { outputPadding: r.raw(v), padding: 'valid' } }),
  outputShape: (v, r) => base({ conv: { outputShape: [r.raw(v), 8] } }),
  targetShape: (v, r) => base({ more: [{ type: 'reshape', targetShape: [r.raw(v), -1] }] }),
  cropping: (v, r) => base({ more: [{ type: 'reshape', targetShape: [8, 3, 1] }, { type: 'cropping2d', cropping: r.raw(v) }] }),
  axis: (v, r) => base({ more: [{ type: 'batchNormalization', axis: r.raw(v) }] }),
  stddev: (v, r) => base({ conv: { kernelInitializer: { type: 'randomNormal', stddev: r.raw(v), seed: r.raw(v) } } }),
  l1: (v, r) => base({ dense: { kernelRegularizer: { l1: r.raw(v) } } }),
  alpha: (v, r) => base({ more: [{ type: 'leakyReLU', alpha: r.raw(v) }] }),
  batchSize: (v, r) => base({ shape: { shape: [4, 4, 2], batchSize: r.raw(v) } }),
  dilation: (v, r) => base({ conv: { dilationRate: r.raw(v), strides: 1 } }),
  zipped: (v, r) => base({ more: [{ repeat: { f: [r.raw(v), 2] }, layers: [{ type: 'dense', units: 'f' }] }] }),
  version: (v, r) => ({ ...base(), netspec: r.raw(v) }),
};

function numberCase(slot: string, v: string): FuzzCase {
  const r = new Raw();
  return one(`number ${slot}`, yamlOf(numberSlots[slot]!(v, r), r));
}

/** Expressions that recurse deep or run long in a parser and an evaluator. */
const longExpressions: Record<string, (n: number) => string> = {
  parens: (n) => '('.repeat(n) + '1' + ')'.repeat(n),
  sum: (n) => Array(n).fill('1').join(' + '),
  minus: (n) => '-'.repeat(n) + '1',
  power: (n) => Array(n).fill('1').join(' ** '),
  max: (n) => 'max('.repeat(n) + '1' + ')'.repeat(n),
  product: (n) => Array(n).fill('p').join(' * '),
  unclosed: (n) => '('.repeat(n),
  args: (n) => `max(${Array(n).fill('1').join(', ')})`,
};

function expressionCase(form: string, n: number, slot: string): FuzzCase {
  const r = new Raw();
  return one(`expression ${form} ${n} at ${slot}`, yamlOf(numberSlots[slot]!(JSON.stringify(longExpressions[form]!(n)), r), r));
}

const relu = { type: 'activation', activation: 'relu' };
const up = { type: 'conv2dTranspose', filters: 1, kernelSize: 2, strides: 2, padding: 'same' };
/** Repeats that make no layers, or astronomically many. */
const repeats: Record<string, unknown[]> = {
  'billion of nothing': [{ repeat: 1000000000, layers: [] }],
  'millions of an empty repeat': [{ repeat: 3000000, layers: [{ repeat: 0, layers: [relu] }] }],
  'millions of an empty list': [{ repeat: 3000000, layers: [{ repeat: 1000000000, layers: [] }] }],
  'thousands of stride-2 transposed convolutions': [{ repeat: 3000, layers: [up] }],
  'tens of thousands of dense layers': [{ repeat: 20000, layers: [{ type: 'dense', units: 2 }] }],
  'nested big counts': [{ repeat: 100000, layers: [{ repeat: 100000, as: 'j', layers: [relu] }] }],
  'a billion': [{ repeat: 1e9, layers: [relu] }],
  'expression count': [{ repeat: '10**12', layers: [relu] }],
  'empty lists': [{ repeat: { f: [] }, layers: [relu] }],
  'negative': [{ repeat: -1, layers: [relu] }],
  'fractional': [{ repeat: 2.5, layers: [relu] }],
  'ids from a huge index': [{ repeat: 3, layers: [{ type: 'dense', id: 'd{i * 10**300}', units: 2 }] }],
  'ids with fraction': [{ repeat: 3, layers: [{ type: 'dense', id: 'd{i / 2}', units: 2 }] }],
  'unclosed brace id': [{ repeat: 3, layers: [{ type: 'dense', id: 'd{i', units: 2 }] }],
  'just under the cap': [{ repeat: 9999, layers: [relu] }],
  '2999 stride-2 then dense': [{ repeat: 2999, layers: [up] }, { type: 'dense', units: 1 }],
};

function repeatCase(kind: string): FuzzCase {
  return one(`repeat ${kind}`, new Document(base({ more: repeats[kind] })).toString({ lineWidth: 0 }));
}

/** Names JavaScript, TypeScript, tfjs or a comment treat specially. */
const names = [
  '__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty', 'prototype', '_x', '__x', 'class', 'function', 'delete', 'new', 'this', 'tf', 'Infinity',
  'x*/y', "a'b", 'a"b', 'a\\b', 'a\nb', 'a\u2028b', 'a\u2029b', 'é', '名前', 'x y', '', '1abc', '$x', 'a-b', 'a.b', 'a/b', '*/', '${x}', 'A', 'build', 'run',
];

const nameSlots: Record<string, (n: string, r: Raw) => Record<string, unknown>> = {
  model: (n, r) => base({ model: r.raw(JSON.stringify(n)) }),
  input: (n, r) => base({ input: r.raw(JSON.stringify(n)) }),
  layer: (n) => base({ layerId: n }),
  output: (n, r) => base({ dense: { id: n }, output: r.raw(JSON.stringify(n)) }),
  param: (n, r) => base({ params: { [r.raw(JSON.stringify(n))]: 4 }, conv: { filters: n } }),
  name: (n) => base({ name: n }),
  symbol: (n, r) => base({ top: { symbols: { [r.raw(JSON.stringify(n))]: { multipleOf: 2 } } }, shape: [n, 4, 2] }),
  as: (n) => base({ more: [{ repeat: 2, as: n, layers: [{ type: 'dense', id: `d{${n}}`, units: 2 }] }] }),
  layerName: (n) => base({ dense: { id: undefined, name: n } }),
  list: (n, r) => base({ more: [{ repeat: { [r.raw(JSON.stringify(n))]: [2, 3] }, layers: [{ type: 'dense', units: n }] }] }),
  contract: (n) => ({ ...base(), contracts: [`${n}.head == decoder.z`] }),
  description: (n) => ({ ...base(), description: n }),
  symbolDescription: (n) => base({ top: { symbols: { H: { multipleOf: 2, description: n } } }, shape: ['H', 4, 2] }),
  twoModels: (n, r) => {
    const spec = base({ model: r.raw(JSON.stringify(n)) });
    (spec['models'] as Record<string, unknown>)['gan'] = { inputs: { z: [4, 4, 2] }, layers: [{ type: 'model', model: n }] };
    return spec;
  },
};

function nameCase(slot: string, n: string): FuzzCase {
  const r = new Raw();
  return one(`name ${slot} ${quote(n)}`, yamlOf(nameSlots[slot]!(n, r), r));
}

/** Source paths: they become the default module name and reach the generated module's comments. */
const paths = [
  "specs/x*/ console.log('INJECTED'); /* .yaml", 'specs/a\nconsole.log("INJECTED")\n.yaml', 'specs/a\rb.yaml', 'specs/a\u2028b.yaml', 'specs/a\u2029b.yaml', 'specs/a\u001bb.yaml',
  "specs/it's.yaml", 'specs/"q".yaml', 'specs/back\\slash.yaml', '...yaml', 'my-spec.yaml', 'specs/.yaml', 'specs/über.yaml', 'specs/${x}.yaml', 'specs/a b.yaml',
  'C:\\specs\\win.yaml', '/abs/spec.yaml', 'specs/name.YAML', 'specs/noext', '', 'specs/2d.yaml', 'specs/__proto__.yaml', 'specs/constructor.yaml', 'specs/class.yaml', 'specs/x\u0000y.yaml',
];

function pathCase(path: string, named: boolean): FuzzCase {
  return one(`path ${quote(path)}${named ? ' with name' : ''}`, new Document(base(named ? { name: 'attack' } : {})).toString(), path);
}

const aliases: Record<string, (n: number, r: Raw) => Record<string, unknown>> = {
  'a number': (n, r) => base({ params: { p: r.raw('&a 2'), ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`q${i}`, r.raw('*a')])) } }),
  'a layer': (n, r) => base({ more: [r.raw('&l { type: activation, activation: relu }'), ...Array<string>(n).fill(r.raw('*l'))] }),
  'a model': (n, r) => {
    const spec = base();
    const models = spec['models'] as Record<string, unknown>;
    const decoder = models['decoder'];
    delete models['decoder'];
    models[r.raw('decoder')] = r.raw(`&m ${JSON.stringify(decoder)}`);
    for (let i = 0; i < Math.min(n, 50); i++) models[`copy${i}`] = r.raw('*m');
    return spec;
  },
  'laughs': (n, r) => {
    const levels = Math.min(9, Math.max(2, Math.round(Math.log10(n)) + 3));
    const params: Record<string, unknown> = {};
    return base({
      params,
      top: { defaults: { lol: Object.fromEntries(Array.from({ length: levels }, (_, i) => [`l${i}`, r.raw(i === 0 ? '&l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]' : `&l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`)])) } },
    });
  },
  'a shape': (n, r) => base({ shape: r.raw('&s [4, 4, 2]'), more: Array.from({ length: Math.min(n, 200) }, () => ({ type: 'reshape', targetShape: r.raw('*s') })) }),
  'merge key': (_, r) => base({ conv: { [r.raw('<<')]: r.raw('&o { padding: valid }') } }),
  // Not an alias: as many params written out, to tell a slow alias expansion from a slow params table.
  'no alias, as many params': (n) => base({ params: Object.fromEntries(Array.from({ length: n }, (_, i) => [`q${i}`, 2])) }),
  'undefined alias': (_, r) => base({ dense: { units: r.raw('*nowhere') } }),
  'alias to itself': (_, r) => base({ dense: { units: r.raw('&x [*x]') } }),
};

function aliasCase(kind: string, n: number): FuzzCase {
  const r = new Raw();
  return one(`aliases ${kind} x${n}`, yamlOf(aliases[kind]!(n, r), r));
}

function nestingCase(depth: number, where: string, map: boolean): FuzzCase {
  const r = new Raw();
  const nested = map ? '{a: '.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + '1' + ']'.repeat(depth);
  const spec: Record<string, (v: string) => Record<string, unknown>> = {
    targetShape: (v) => base({ more: [{ type: 'reshape', targetShape: v }] }),
    units: (v) => base({ dense: { units: v } }),
    layer: (v) => base({ more: [v] }),
    params: (v) => base({ params: { deep: v } }),
    shape: (v) => base({ shape: v }),
    defaults: (v) => base({ top: { defaults: { kernelInitializer: v } } }),
    repeat: (v) => base({ more: [{ repeat: v, layers: [relu] }] }),
  };
  return one(`nesting ${map ? 'map' : 'seq'} ${depth} at ${where}`, yamlOf(spec[where]!(r.raw(nested)), r));
}

const tags = ['!foo 8', '!!binary aGVsbG8=', '!!set {a, b}', '!!omap [a: 1]', '!!timestamp 2001-12-14', '!!float 1', '!!str 3', '!!int 3.5', "!!null ''", '!<tag:yaml.org,2002:int> 3', '!!map [1]', '!!seq {}', '!!bool yes', '!!int 0x1F', '!!python/object:os.system ls', '! 3', '!!pairs [a: 1]'];
const tagSlots: Record<string, (v: string) => Record<string, unknown>> = {
  filters: (v) => base({ conv: { filters: v } }),
  padding: (v) => base({ conv: { padding: v } }),
  layer: (v) => base({ more: [v] }),
  version: (v) => ({ ...base(), netspec: v }),
  weights: (v) => base({ dense: { weights: v } }),
  shape: (v) => base({ shape: v }),
  from: (v) => base({ dense: { from: v } }),
};

function tagCase(tag: string, slot: string): FuzzCase {
  const r = new Raw();
  return one(`tag ${tag} at ${slot}`, yamlOf(tagSlots[slot]!(r.raw(tag)), r));
}

const complexKeys = ['[a, b]', '{ a: 1 }', '~', '1', 'true', '[1]', '{}', '[]', '"a\\nb"', '? x'];
const keySlots: Record<string, (k: string) => Record<string, unknown>> = {
  top: (k) => ({ ...base(), [k]: 1 }),
  models: (k) => {
    const spec = base();
    (spec['models'] as Record<string, unknown>)[k] = { inputs: { z: [2] }, layers: [{ type: 'dense', units: 2 }] };
    return spec;
  },
  layer: (k) => base({ dense: { [k]: 2 } }),
  params: (k) => base({ params: { [k]: 3 } }),
  inputs: (k) => base({ input: k }),
  outputs: (k) => base({ output: k }),
  weights: (k) => base({ dense: { weights: { [k]: 'w/f32_2.npy' } } }),
  repeat: (k) => base({ more: [{ repeat: { [k]: [1, 2] }, layers: [relu] }] }),
};

function keyCase(key: string, slot: string): FuzzCase {
  const r = new Raw();
  return one(`key ${key} at ${slot}`, yamlOf(keySlots[slot]!(r.raw(key)), r));
}

const weightValues = ['7', 'true', '~', '{ kernel: 3 }', '[a.json]', '""', '{}', '{ kernel: [a] }', '../../../etc/passwd.npy', '/abs.npy', 'w.NPY', '.json', '{ __proto__: a.npy }', '{ constructor: w/f32_2.npy }',
  '{ kernel: w/f32_2x3.npy, bias: w/f32_3.npy, extra: w/f32_1.npy }', 'w/f32_0.npy', 'w/f32_3x3x3x3x3.npy', 'bad.npy', 'bad.json', 'w/all.json', '{ kernel: bad.json }', '"w/f32_12x3.npy"', 'w/f32_12x3.npy', 'w/f32_2x2x2x2.json', '.inf', '[]'];

function weightsCase(value: string, layer: 'conv' | 'dense'): FuzzCase {
  const r = new Raw();
  return one(`weights ${value} on ${layer}`, yamlOf(base({ [layer]: { weights: r.raw(value) } }), r));
}

/** Text a YAML parser and a span computation must survive. */
const texts: Record<string, (clean: string) => string> = {
  bom: (t) => `\ufeff${t}`,
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  cr: (t) => t.replace(/\n/g, '\r'),
  tabs: (t) => t.replace(/ {2}/g, '\t'),
  'two documents': (t) => `${t}---\n${t}`,
  'document end': (t) => `${t}...\nmore: 1\n`,
  'lone surrogate': (t) => t.replace('head', 'he\ud800ad'),
  nul: (t) => `${t}\0`,
  'long comment': (t) => `# ${'x'.repeat(200_000)}\n${t}`,
  'many layers': (t) => t.replace('    outputs:', `${'      - { type: activation, activation: relu }\n'.repeat(5000)}    outputs:`),
  'u2028 in a scalar': (t) => t.replace('padding: same', 'padding: sa\u2028me'),
  'yaml 1.1 directive': (t) => `%YAML 1.1\n---\n${t}`,
  'tag directive': (t) => `%TAG !e! tag:example.com,2000:\n---\n${t.replace('filters: 2', 'filters: !e!n 2')}`,
  'only a comment': () => '# nothing\n',
  empty: () => '',
  'whitespace': () => ' \n\t\n',
  'a scalar': () => '42',
  'a list': () => '- netspec: 1\n',
  'trailing spaces': (t) => t.replace(/\n/g, '   \n'),
  'no final newline': (t) => t.replace(/\n$/, ''),
};

function textCase(kind: string): FuzzCase {
  return one(`text ${kind}`, texts[kind]!(new Document(base()).toString({ lineWidth: 0 })));
}

const pick = <T>(o: Record<string, T>) => fc.constantFrom(...Object.keys(o));

export const attackCases: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.tuple(pick(numberSlots), fc.constantFrom(...numbers)).map(([slot, v]) => numberCase(slot, v)),
  fc.tuple(pick(longExpressions), fc.constantFrom(1000, 10000, 10), fc.constantFrom('filters', 'units', 'param', 'repeat', 'shape', 'stddev')).map(([f, n, slot]) => expressionCase(f, n, slot)),
  pick(repeats).map(repeatCase),
  fc.tuple(pick(nameSlots), fc.constantFrom(...names)).map(([slot, n]) => nameCase(slot, n)),
  fc.tuple(fc.constantFrom(...paths), fc.boolean()).map(([p, named]) => pathCase(p, named)),
  fc.tuple(pick(aliases), fc.constantFrom(2, 100, 101, 1000, 10000)).map(([k, n]) => aliasCase(k, n)),
  fc.tuple(fc.constantFrom(100, 1000, 5000), pick({ targetShape: 0, units: 0, layer: 0, params: 0, shape: 0, defaults: 0, repeat: 0 }), fc.boolean()).map(([d, w, m]) => nestingCase(d, w, m)),
  fc.tuple(fc.constantFrom(...tags), pick(tagSlots)).map(([t, s]) => tagCase(t, s)),
  fc.tuple(fc.constantFrom(...complexKeys), pick(keySlots)).map(([k, s]) => keyCase(k, s)),
  fc.tuple(fc.constantFrom(...weightValues), fc.constantFrom('conv' as const, 'dense' as const)).map(([v, l]) => weightsCase(v, l)),
  pick(texts).map(textCase),
);
