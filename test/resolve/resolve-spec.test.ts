import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Code } from '../../src/diagnostics/codes.js';
import { Locator } from '../../src/diagnostics/location.js';
import type { LayerIR, ModelIR, SpecIR, Value } from '../../src/ir.js';
import { parseSpec } from '../../src/parse/parse-spec.js';
import { resolveSpec } from '../../src/resolve/resolve-spec.js';
import { validateSpec } from '../../src/validate/validate-spec.js';

const file = 'specs/test.yaml';

interface Layout {
  /** Lines after `netspec: 1` (params, defaults, ...); each shifts the layers down one line. */
  readonly head?: string;
  /** The flow mapping of inputs on line 4 (plus head). */
  readonly inputs?: string;
  /** Lines after the layers, e.g. `outputs:`. */
  readonly tail?: string;
}

/**
 * A spec with one model `g`. Without `head`, its inputs are on line 4 and its
 * layers start on line 6; layers are written `      - { ... }`, so a layer
 * mapping starts at column 9 and `type:`'s value at column 17.
 */
function spec(layers: readonly string[], { head = '', inputs = '{ x: [8, 8, 3] }', tail = '' }: Layout = {}): string {
  return `netspec: 1\n${head}models:\n  g:\n    inputs: ${inputs}\n    layers:\n${layers.map((l) => `      - ${l}\n`).join('')}${tail}`;
}

interface Found {
  readonly code: Code;
  /** `line:column` where the diagnostic starts, 1-based. */
  readonly at: string;
  readonly message: string;
  readonly fix?: string;
  readonly notes: readonly string[];
}

/** The public pipeline up to resolve; parse and validate must accept the spec. */
function resolve(text: string, path = file): { spec: SpecIR; found: Found[] } {
  const parsed = parseSpec({ path, text });
  expect(parsed.diagnostics).toEqual([]);
  const validated = validateSpec(parsed.value!);
  expect(validated.diagnostics).toEqual([]);
  const result = resolveSpec(validated.value!);
  const locator = new Locator(new Map([[path, text]]));
  const where = (span: { file: string; start: number; end: number }) => {
    const loc = locator.locate(span);
    return `${loc.line}:${loc.column}`;
  };
  const found = result.diagnostics.map((d) => ({
    code: d.code,
    at: where(d.span!),
    message: d.message,
    ...(d.fix ? { fix: d.fix } : {}),
    notes: d.notes.map((n) => `${n.span ? where(n.span) + ' ' : ''}${n.message}`),
  }));
  expect(result.value).toBeDefined();
  return { spec: result.value!, found };
}

function model(text: string): ModelIR {
  const { spec: ir, found } = resolve(text);
  expect(found).toEqual([]);
  expect(ir.models).toHaveLength(1);
  return ir.models[0]!;
}

const args = (text: string): Record<string, Value>[] => model(text).layers.map((l) => ({ ...l.args }));

/** What a case expects of one diagnostic: code and place exactly, message, fix and notes by substring. */
interface Want {
  readonly code: Code;
  readonly at: string;
  readonly message: string;
  readonly fix?: string;
  readonly note?: string;
}

function expectDiagnostics(text: string, want: readonly Want[], { modelsLeftOut = true, path = file } = {}): void {
  const { spec: ir, found } = resolve(text, path);
  expect(found.map((f) => `${f.code} ${f.at}`)).toEqual(want.map((w) => `${w.code} ${w.at}`));
  want.forEach((w, i) => {
    expect(found[i]!.message).toContain(w.message);
    if (w.fix !== undefined) expect(found[i]!.fix ?? '').toContain(w.fix);
    if (w.note !== undefined) expect(found[i]!.notes.join('\n')).toContain(w.note);
  });
  // A model with an error is marked incomplete: later stages check the rest of it but never report or emit its shapes.
  if (modelsLeftOut) expect(ir.models.map((m) => m.incomplete)).toEqual([true]);
}

describe('resolveSpec: params and expressions', () => {
  const cases: [string, { given: string; want: Record<string, Value>[] }][] = [
    ['a param uses earlier params', {
      given: spec(['{ type: dense, units: c }'], { head: 'params: { a: 2, b: a + 1, c: "b ** 2" }\n' }),
      want: [{ units: 9 }],
    }],
    ['expressions in options', {
      given: spec(['{ type: conv2d, filters: ngf * 2, kernelSize: [k, k + 2], strides: 4 // 2 }'], { head: 'params: { ngf: 64, k: 3 }\n' }),
      want: [{ filters: 128, kernelSize: [3, 5], strides: 2 }],
    }],
    ['a quoted expression', { given: spec(['{ type: dense, units: "ngf // 3" }'], { head: 'params: { ngf: 64 }\n' }), want: [{ units: 21 }] }],
    // In a flow mapping a comma ends a plain scalar, so calls with several arguments are quoted there.
    ['min and max', { given: spec(['{ type: dense, units: "max(1, min(n, 4))" }'], { head: 'params: { n: 7 }\n' }), want: [{ units: 4 }] }],
    ['a number where a number is expected', { given: spec(['{ type: dropout, rate: r / 2 }'], { head: 'params: { r: 0.5 }\n' }), want: [{ rate: 0.25 }] }],
    ['a fractional param', { given: spec(['{ type: leakyReLU, alpha: a * 2 }'], { head: 'params: { a: 0.1 }\n' }), want: [{ alpha: 0.2 }] }],
    ['an expression inside an initializer object', {
      given: spec(['{ type: dense, units: 2, kernelInitializer: { type: randomNormal, stddev: s / 10 } }'], { head: 'params: { s: 0.2 }\n' }),
      want: [{ units: 2, kernelInitializer: { type: 'randomNormal', stddev: 0.02 } }],
    }],
    ['a target shape with -1', { given: spec(['{ type: reshape, targetShape: [n, -1] }'], { head: 'params: { n: 4 }\n' }), want: [{ targetShape: [4, -1] }] }],
    ['explicit transposed-conv padding pairs', {
      given: spec(['{ type: conv2dTranspose, filters: 3, kernelSize: 3, padding: [[p, p], [0, p + 1]] }'], { head: 'params: { p: 1 }\n' }),
      want: [{ filters: 3, kernelSize: 3, padding: [[1, 1], [0, 2]] }],
    }],
    ['strings that are not expressions are copied', {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, padding: same, activation: relu, useBias: false, dataFormat: channelsLast }']),
      want: [{ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', useBias: false, dataFormat: 'channelsLast' }],
    }],
    ['wiring is not an argument', { given: spec(['{ type: dense, id: fc, units: 2, from: x }']), want: [{ units: 2 }] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(args(given)).toEqual(want);
  });

  test('the IR keeps each param with its value, whether it is used, and no value for one with an error', () => {
    const { spec: ir } = resolve(spec(['{ type: dense, units: c }'], { head: 'params: { a: 2, b: a + 1, c: "b ** 2", d: 1 / 4, e: nope + 1 }\n' }));
    expect(ir.params.map(({ name, used, value }) => ({ name, used, value }))).toEqual([
      { name: 'a', used: true, value: 2 },
      { name: 'b', used: true, value: 3 },
      { name: 'c', used: true, value: 9 },
      { name: 'd', used: false, value: 0.25 },
      { name: 'e', used: false, value: undefined },
    ]);
  });

  const shapes: [string, { given: string; want: { inputs: unknown[]; outputs: unknown[] } }][] = [
    ['input and output shapes', {
      given: spec(['{ type: dense, id: out, units: 2 }'], { head: 'params: { n: 4 }\n', inputs: '{ x: [n, n * 2, null] }', tail: '    outputs: { out: [n, n * 2, n // 2] }\n' }),
      want: { inputs: [{ id: 'x', shape: [4, 8, null], batchSize: null, dtype: 'float32' }], outputs: [{ id: 'out', shape: [4, 8, 2] }] },
    }],
    ['the long form of an input', {
      given: spec(['{ type: flatten }'], { head: 'params: { n: 4 }\n', inputs: '{ z: { shape: ["n + 1"], batchSize: n * 8, dtype: int32 } }' }),
      want: { inputs: [{ id: 'z', shape: [5], batchSize: 32, dtype: 'int32' }], outputs: [{ id: 'flatten_1', shape: undefined }] },
    }],
    ['an output without a shape', {
      given: spec(['{ type: dense, id: a, units: 2 }', '{ type: dense, units: 3 }'], { tail: '    outputs: { a: null }\n' }),
      want: { inputs: [{ id: 'x', shape: [8, 8, 3], batchSize: null, dtype: 'float32' }], outputs: [{ id: 'a', shape: undefined }] },
    }],
  ];
  test.each(shapes)('%s', (_name, { given, want }) => {
    const m = model(given);
    expect(m.inputs.map((i) => ({ id: i.id, shape: i.shape, batchSize: i.batchSize, dtype: i.dtype }))).toEqual(want.inputs);
    expect(m.outputs.map((o) => ({ id: o.ref.id, shape: o.shape }))).toEqual(want.outputs);
  });
});

describe('resolveSpec: expression errors are located in the expression', () => {
  const cases: [string, { given: string; want: Want[]; modelsLeftOut?: boolean }][] = [
    ['a fraction where an integer is needed (NS3003)', {
      given: spec(['{ type: dense, units: n / 2 }'], { head: 'params: { n: 5 }\n' }),
      want: [{ code: 'NS3003', at: '7:31', message: "'units' = n / 2 evaluates to 2.5; expected an integer", fix: 'use // for integer division' }],
    }],
    ['a result below the minimum (NS3003)', {
      given: spec(['{ type: dense, units: n - 6 }'], { head: 'params: { n: 5 }\n' }),
      want: [{ code: 'NS3003', at: '7:31', message: "'units' = n - 6 evaluates to -1; it must be >= 1" }],
    }],
    ['zero filters from an expression (NS3003)', {
      given: spec(['{ type: conv2d, filters: n - n, kernelSize: 3 }'], { head: 'params: { n: 5 }\n' }),
      want: [{ code: 'NS3003', at: '7:34', message: "'filters' = n - n evaluates to 0; it must be >= 1" }],
    }],
    ['a rate outside [0, 1) (NS3003)', {
      given: spec(['{ type: dropout, rate: "1 / r" }'], { head: 'params: { r: 0.5 }\n' }),
      want: [{ code: 'NS3003', at: '7:32', message: "'rate' = 1 / r evaluates to 2; it must be >= 0 and < 1" }],
    }],
    ['an item of a per-axis list (NS3003)', {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: [k, k / 2] }'], { head: 'params: { k: 3 }\n' }),
      want: [{ code: 'NS3003', at: '7:53', message: "'1' = k / 2 evaluates to 1.5; expected an integer" }],
    }],
    ['an input dimension (NS3003)', {
      given: spec(['{ type: flatten }'], { head: 'params: { n: 5 }\n', inputs: '{ x: [n - 5] }' }),
      want: [{ code: 'NS3003', at: '5:19', message: 'evaluates to 0; it must be >= 1' }],
    }],
    ['a target dimension below -1 (NS3003)', {
      given: spec(['{ type: reshape, targetShape: [4, 1 - n] }'], { head: 'params: { n: 3 }\n' }),
      want: [{ code: 'NS3003', at: '7:43', message: 'evaluates to -2; it must be >= -1' }],
    }],
    ['an unknown name, at the name (NS3002)', {
      given: spec(['{ type: dense, units: 4 * 4 * ngff }'], { head: 'params: { ngf: 64 }\n' }),
      want: [{ code: 'NS3002', at: '7:39', message: "unknown name 'ngff' in '4 * 4 * ngff'", fix: "did you mean 'ngf'?" }],
    }],
    ['an unknown name in a quoted expression: inside the quotes', {
      given: spec(['{ type: dense, units: "2 * ngF" }'], { head: 'params: { ngf: 64 }\n' }),
      want: [{ code: 'NS3002', at: '7:36', message: "unknown name 'ngF'", fix: "did you mean 'ngf'?" }],
    }],
    ['an unknown name in a single-quoted expression', {
      given: spec(["{ type: dense, units: 'min(zdim, 2)' }"], { head: 'params: { zDim: 100 }\n' }),
      want: [{ code: 'NS3002', at: '7:36', message: "unknown name 'zdim'", fix: "did you mean 'zDim'?" }],
    }],
    ['an unknown name in a block-style layer', {
      given: spec(['type: dense\n        units: ngf * 8'], { head: 'params: { ngff: 64 }\n' }),
      want: [{ code: 'NS3002', at: '8:16', message: "unknown name 'ngf'", fix: "did you mean 'ngff'?" }],
    }],
    ['an unknown name in a shape', {
      given: spec(['{ type: flatten }'], { head: 'params: { zDim: 100 }\n', inputs: '{ z: [zDim, channels] }' }),
      want: [{ code: 'NS3002', at: '5:25', message: "unknown name 'channels'", fix: 'known names: zDim' }],
    }],
    ['an unknown name without params', {
      given: spec(['{ type: dense, units: 2 * zzz }']),
      want: [{ code: 'NS3002', at: '6:35', message: "unknown name 'zzz' in '2 * zzz'", fix: "declare 'zzz' under `params:`" }],
    }],
    ['a param that uses a later param', {
      given: spec(['{ type: flatten }'], { head: 'params: { a: b * 2, b: 2 }\n' }),
      want: [{ code: 'NS3002', at: '2:14', message: "unknown name 'b' in 'b * 2'" }],
      modelsLeftOut: false, // the model does not use the param
    }],
    ['a param that uses itself', {
      given: spec(['{ type: flatten }'], { head: 'params: { a: a + 1 }\n' }),
      want: [{ code: 'NS3002', at: '2:14', message: "unknown name 'a'" }],
      modelsLeftOut: false,
    }],
    ['a bad expression (NS3001), at the missing parenthesis', {
      given: spec(['{ type: dense, units: "2 * (3" }']),
      want: [{ code: 'NS3001', at: '6:38', message: "bad expression '2 * (3': expected ')', found end of expression" }],
    }],
    ['an unknown function (NS3001)', {
      given: spec(['{ type: dense, units: "1 + floor(n)" }'], { head: 'params: { n: 2 }\n' }),
      want: [{ code: 'NS3001', at: '7:36', message: "unknown function 'floor'" }],
    }],
    ['division by zero (NS3001), at the divisor', {
      given: spec(['{ type: dense, units: n // (n - n) }'], { head: 'params: { n: 2 }\n' }),
      want: [{ code: 'NS3001', at: '7:37', message: 'division by zero' }],
    }],
    ['a value too large to be exact (NS3003), at the expression', {
      given: spec(['{ type: dense, units: 2 ** 1024 }']),
      want: [{ code: 'NS3003', at: '6:31', message: "'2 ** 1024' is too large: past ±9007199254740991 (2^53 - 1) numbers are not exact" }],
    }],
    ['a part too large (NS3003), at the part', {
      given: spec(['{ type: dense, units: "1 + 10 ** 400" }']),
      want: [{ code: 'NS3003', at: '6:36', message: "'10 ** 400' in '1 + 10 ** 400' is too large" }],
    }],
    ['a YAML number param past the exact range (NS3003), at its use', {
      given: spec(['{ type: dense, units: big // 2 }'], { head: 'params: { big: 1e30 }\n' }),
      want: [{ code: 'NS3003', at: '7:31', message: "'big' in 'big // 2' is too large" }],
    }],
    ['a symbolic dim too large (NS3003), at the part', {
      given: spec(['{ type: flatten }'], { head: 'symbols: [H]\n', inputs: '{ x: ["H * 2 ** 52 * 4", 3] }' }),
      want: [{ code: 'NS3003', at: '5:20', message: "'H * 2 ** 52 * 4' is too large" }],
    }],
    ['an expression nested too deeply (NS3028), at the level past the limit', {
      given: spec([`{ type: dense, units: "${'('.repeat(40)}1${')'.repeat(40)}" }`]),
      want: [{ code: 'NS3028', at: '6:64', message: 'is too complex: it nests more than 32 levels deep here' }],
    }],
    ['an expression too long (NS3028), at the part past the limit', {
      given: spec([`{ type: dense, units: "${Array(600).fill('1').join(' + ')}" }`]),
      want: [{ code: 'NS3028', at: '6:1032', message: "expression '1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 +…' is too complex: it is 2397 characters long; the limit is 1000" }],
    }],
    ['an escape in a quoted expression: the whole scalar', {
      given: spec(['{ type: dense, units: "2 *\\tq" }']),
      want: [{ code: 'NS3002', at: '6:31', message: "unknown name 'q'" }],
    }],
    ['an expression folded over lines: the whole scalar', {
      given: spec(['type: dense\n        units: 2 *\n          q']),
      want: [{ code: 'NS3002', at: '7:16', message: "unknown name 'q'" }],
    }],
    ['every error of a spec is reported', {
      given: spec(['{ type: dense, units: a }', '{ type: dense, units: b }']),
      want: [
        { code: 'NS3002', at: '6:31', message: "unknown name 'a'" },
        { code: 'NS3002', at: '7:31', message: "unknown name 'b'" },
      ],
    }],
  ];
  test.each(cases)('%s', (_name, { given, want, modelsLeftOut }) => expectDiagnostics(given, want, { modelsLeftOut: modelsLeftOut ?? true }));
});

describe('resolveSpec: defaults', () => {
  const cases: [string, { given: string; want: Record<string, Value>[] }][] = [
    ['an option-level default fills every type that has the option', {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: 3 }', '{ type: flatten }', '{ type: dense, units: 2 }'], { head: 'defaults: { padding: same, activation: relu }\n' }),
      want: [{ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, {}, { units: 2, activation: 'relu' }],
    }],
    ['a per-type default fills its type only', {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: 3 }', '{ type: conv2dTranspose, filters: 4, kernelSize: 3 }'], { head: 'defaults: { conv2d: { strides: 2 } }\n' }),
      want: [{ filters: 4, kernelSize: 3, strides: 2 }, { filters: 4, kernelSize: 3 }],
    }],
    ["a layer's own option wins", {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, padding: valid, strides: 1 }'], { head: 'defaults: { padding: same, conv2d: { strides: 2 } }\n' }),
      want: [{ filters: 4, kernelSize: 3, padding: 'valid', strides: 1 }],
    }],
    ['a per-type default wins over an option-level one written after it', {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: 3 }', '{ type: conv2dTranspose, filters: 4, kernelSize: 3 }'], { head: 'defaults: { conv2d: { padding: valid }, padding: same }\n' }),
      want: [{ filters: 4, kernelSize: 3, padding: 'valid' }, { filters: 4, kernelSize: 3, padding: 'same' }],
    }],
    ['a per-type default wins over an option-level one written before it', {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: 3 }'], { head: 'defaults: { padding: same, conv2d: { padding: valid } }\n' }),
      want: [{ filters: 4, kernelSize: 3, padding: 'valid' }],
    }],
    ['a default expression is evaluated', {
      given: spec(['{ type: conv2d, kernelSize: 3 }', '{ type: conv2d, kernelSize: 3, filters: 1 }'], { head: 'params: { f: 8 }\ndefaults: { conv2d: { filters: f * 2, strides: [1, f // 4] } }\n' }),
      want: [{ kernelSize: 3, filters: 16, strides: [1, 2] }, { kernelSize: 3, filters: 1, strides: [1, 2] }],
    }],
    ['an option-level default expression for a required option', {
      given: spec(['{ type: conv2d, kernelSize: 3 }'], { head: 'params: { f: 3 }\ndefaults: { filters: f }\n' }),
      want: [{ kernelSize: 3, filters: 3 }],
    }],
    ['an enum default is a literal for convolutions, whatever zeroPadding2d would make of it', {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: 3 }'], { head: 'defaults: { padding: same }\n' }),
      want: [{ filters: 4, kernelSize: 3, padding: 'same' }],
    }],
    ['an integer default is an expression for zeroPadding2d only', {
      given: spec(['{ type: zeroPadding2d }', '{ type: conv2d, filters: 4, kernelSize: 3 }'], { head: 'params: { p: 2 }\ndefaults: { zeroPadding2d: { padding: p } }\n' }),
      want: [{ padding: 2 }, { filters: 4, kernelSize: 3 }],
    }],
    ['a nested default', {
      given: spec(['{ type: dense, units: 2 }'], { head: 'params: { s: 0.02 }\ndefaults: { kernelInitializer: { type: randomNormal, stddev: s } }\n' }),
      want: [{ units: 2, kernelInitializer: { type: 'randomNormal', stddev: 0.02 } }],
    }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(args(given)).toEqual(want);
  });

  test('a defaulted option is located at the default, an own option at the layer', () => {
    const text = spec(['{ type: conv2d, filters: 4, kernelSize: 3 }'], { head: 'defaults: { padding: same }\n' });
    const layer = model(text).layers[0]!;
    const locator = new Locator(new Map([[file, text]]));
    const at = (option: string) => {
      const loc = locator.locate(layer.argSpans[option]!);
      return `${loc.line}:${loc.column}`;
    };
    expect({ padding: at('padding'), filters: at('filters') }).toEqual({ padding: '2:22', filters: '7:34' });
  });

  test('an error in a default is reported once, at the default, however many layers it fills', () => {
    expectDiagnostics(
      spec(['{ type: conv2d, filters: 4, kernelSize: 3 }', '{ type: conv2d, filters: 4, kernelSize: 3 }'], { head: 'params: { s: 2 }\ndefaults: { strides: t }\n' }),
      [{ code: 'NS3002', at: '3:22', message: "unknown name 't' in 't'", fix: "did you mean 's'?" }],
    );
  });

  test('a default that fills nothing is not evaluated', () => {
    expect(resolve(spec(['{ type: dense, units: 2 }'], { head: 'defaults: { conv2d: { filters: nothing } }\n' })).found).toEqual([]);
  });

  test('an option-level enum default does not turn into an expression for zeroPadding2d', () => {
    const text = spec(['{ type: conv2d, filters: 4, kernelSize: 3 }', '{ type: zeroPadding2d }'], { head: 'defaults: { padding: same }\n' });
    expect(resolve(text).found).toEqual([]);
  });
});

describe('resolveSpec: ids', () => {
  const cases: [string, { given: string; want: [string, boolean][] }][] = [
    ['generated per type, counted in layer order', {
      given: spec(['{ type: dense, units: 2 }', '{ type: dense, units: 2 }', '{ type: batchNormalization }', '{ type: dense, units: 2 }']),
      want: [['dense_1', false], ['dense_2', false], ['batchNormalization_1', false], ['dense_3', false]],
    }],
    ['explicit ids are kept', {
      given: spec(['{ type: dense, id: fc1, units: 2 }', '{ type: dense, units: 2 }']),
      want: [['fc1', true], ['dense_1', false]],
    }],
    ['a generated id skips an explicit one, even a later one', {
      given: spec(['{ type: dense, units: 2 }', '{ type: dense, units: 2 }', '{ type: dense, id: dense_2, units: 2 }']),
      want: [['dense_1', false], ['dense_3', false], ['dense_2', true]],
    }],
    ['a generated id skips an input id', {
      given: spec(['{ type: flatten }'], { inputs: '{ flatten_1: [4, 4] }' }),
      want: [['flatten_2', false]],
    }],
    ['`name` is the Keras spelling of `id`', {
      given: spec(['{ type: dense, name: fc, units: 2 }', '{ type: dense, id: out, name: out, units: 2 }']),
      want: [['fc', true], ['out', true]],
    }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(model(given).layers.map((l: LayerIR) => [l.id, l.explicitId])).toEqual(want);
  });
});

describe('resolveSpec: from', () => {
  const cases: [string, { given: string; want: string[][] }][] = [
    ['the first layer reads the only input, the others the layer before', {
      given: spec(['{ type: dense, units: 2 }', '{ type: dense, units: 2 }', '{ type: flatten }']),
      want: [['x'], ['dense_1'], ['dense_2']],
    }],
    ['an explicit id', {
      given: spec(['{ type: dense, id: a, units: 2 }', '{ type: dense, id: b, units: 2 }', '{ type: dense, units: 2, from: a }']),
      want: [['x'], ['a'], ['a']],
    }],
    ['a list for a merge', {
      given: spec(['{ type: dense, id: a, units: 2 }', '{ type: dense, id: b, units: 2 }', '{ type: add, from: [a, b] }']),
      want: [['x'], ['a'], ['a', 'b']],
    }],
    ['a generated id', {
      given: spec(['{ type: dense, units: 2 }', '{ type: dense, units: 2 }', '{ type: concatenate, from: [dense_1, dense_2, x] }']),
      want: [['x'], ['dense_1'], ['dense_1', 'dense_2', 'x']],
    }],
    ['an input of several, by name', {
      given: spec(['{ type: dense, id: a, units: 2, from: y }', '{ type: concatenate, from: [a, x] }'], { inputs: '{ x: [2], y: [2] }' }),
      want: [['y'], ['a', 'x']],
    }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(model(given).layers.map((l) => l.from.map((r) => r.id))).toEqual(want);
  });

  test('an explicit from is located at its value, a default one at the type', () => {
    const text = spec(['{ type: dense, id: a, units: 2 }', '{ type: add, from: [x, a] }', '{ type: flatten }']);
    const layers = model(text).layers;
    const locator = new Locator(new Map([[file, text]]));
    const at = (span: { file: string; start: number; end: number }) => `${locator.locate(span).line}:${locator.locate(span).column}`;
    expect(layers.map((l) => l.from.map((r) => at(r.span)))).toEqual([['6:17'], ['7:29', '7:32'], ['8:17']]);
  });

  test('outputs default to the last layer', () => {
    expect(model(spec(['{ type: dense, id: a, units: 2 }', '{ type: flatten }'])).outputs.map((o) => o.ref.id)).toEqual(['flatten_1']);
  });

  test('an output may name an input', () => {
    expect(model(spec(['{ type: flatten }'], { tail: '    outputs: { x: null, flatten_1: [192] }\n' })).outputs.map((o) => o.ref.id)).toEqual(['x', 'flatten_1']);
  });
});

describe('resolveSpec: graph and id errors', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['NS3004 two layers with one id', {
      given: spec(['{ type: dense, id: a, units: 2 }', '{ type: dense, id: a, units: 2 }']),
      want: [{ code: 'NS3004', at: '7:28', message: "duplicate id 'a' in model 'g'", note: "6:28 'a' is first used here" }],
    }],
    ['NS3004 a layer with the id of an input', {
      given: spec(['{ type: dense, id: x, units: 2 }']),
      want: [{ code: 'NS3004', at: '6:28', message: "duplicate id 'x' in model 'g'", note: "4:15 'x' is first used here" }],
    }],
    ['NS3004 a name that repeats an id', {
      given: spec(['{ type: dense, id: a, units: 2 }', '{ type: dense, name: a, units: 2 }']),
      want: [{ code: 'NS3004', at: '7:30', message: "duplicate id 'a'" }],
    }],
    ['NS3005 an unknown from, with did you mean', {
      given: spec(['{ type: dense, id: alpha, units: 2 }', '{ type: dense, units: 2, from: alpah }']),
      want: [{ code: 'NS3005', at: '7:40', message: "'alpah' names no input or layer of model 'g'", fix: "did you mean 'alpha'?" }],
    }],
    ['NS3005 in a from list, at the item', {
      given: spec(['{ type: dense, id: a, units: 2 }', '{ type: add, from: [a, dense_1] }']),
      want: [{ code: 'NS3005', at: '7:32', message: "'dense_1' names no input or layer" }],
    }],
    ['NS3005 nothing close: the known ids', {
      given: spec(['{ type: dense, id: a, units: 2 }', '{ type: dense, units: 2, from: encoder }']),
      want: [{ code: 'NS3005', at: '7:40', message: "'encoder' names no input or layer", fix: 'known ids: x, a, dense_1' }],
    }],
    ['NS3006 from a later layer', {
      given: spec(['{ type: dense, units: 2, from: later }', '{ type: dense, id: later, units: 2 }']),
      want: [{ code: 'NS3006', at: '6:40', message: "layer 'dense_1' reads 'later', which is defined after it", fix: 'reorder', note: "7:28 'later' is defined here" }],
    }],
    ['NS3006 from a later generated id: the note is at its type', {
      given: spec(['{ type: dense, id: a, units: 2, from: dense_1 }', '{ type: dense, units: 2 }']),
      want: [{ code: 'NS3006', at: '6:47', message: "layer 'a' reads 'dense_1', which is defined after it", note: "7:17 'dense_1' is defined here" }],
    }],
    ['NS3006 from itself', {
      given: spec(['{ type: dense, id: me, units: 2, from: me }']),
      want: [{ code: 'NS3006', at: '6:48', message: "layer 'me' reads its own output" }],
    }],
    ['NS3007 an unknown output, with did you mean', {
      given: spec(['{ type: dense, id: image, units: 2 }'], { tail: '    outputs: { imagee: [8, 8, 2] }\n' }),
      want: [{ code: 'NS3007', at: '7:16', message: "output 'imagee' names no layer or input of model 'g'", fix: "did you mean 'image'?" }],
    }],
    ['NS3008 the first layer of a model with two inputs', {
      given: spec(['{ type: dense, units: 2 }'], { inputs: '{ a: [2], b: [2] }' }),
      want: [{ code: 'NS3008', at: '6:17', message: "the first layer of model 'g' must say which input it reads: the model has 2 inputs", fix: 'add `from: a`' }],
    }],
    ['NS3009 id and name that differ', {
      given: spec(['{ type: dense, id: a, units: 2, name: b }']),
      want: [{ code: 'NS3009', at: '6:47', message: "layer has id 'a' and name 'b'", fix: 'remove `name:`' }],
    }],
    ['NS3012 a layer id that is not an identifier', {
      given: spec(['{ type: dense, id: "my-layer", units: 2 }']),
      want: [{ code: 'NS3012', at: '6:28', message: "layer id 'my-layer' is not an identifier", fix: "'my_layer'" }],
    }],
    ['NS3012 a layer id starting with a digit', {
      given: spec(['{ type: dense, id: "1st", units: 2 }']),
      want: [{ code: 'NS3012', at: '6:28', message: "layer id '1st' is not an identifier", fix: "'x1st'" }],
    }],
    ['NS3012 a layer id tfjs rejects: a leading underscore', {
      given: spec(['{ type: dense, id: _d, units: 2 }']),
      want: [{ code: 'NS3012', at: '6:28', message: "layer id '_d' is not a name tfjs accepts: tfjs names must start with a letter or digit (tfjs-layers isValidTensorName)", fix: "'d'" }],
    }],
    ['NS3012 an input named after an Object.prototype property', {
      given: spec(['{ type: flatten, from: valueOf }'], { inputs: '{ valueOf: [4] }' }),
      want: [{ code: 'NS3012', at: '4:15', message: "input id 'valueOf' is the name of a property every JavaScript object has, which tfjs and the generated code would read in its place", fix: "'valueOf1'" }],
    }],
    ['NS3012 a layer named constructor', {
      given: spec(['{ type: dense, id: constructor, units: 2 }']),
      want: [{ code: 'NS3012', at: '6:28', message: "layer id 'constructor' is the name of a property every JavaScript object has, which tfjs and the generated code would read in its place" }],
    }],
    ['NS3012 a model named toString, which `parts.toString` would find on every object', {
      given: 'netspec: 1\nmodels:\n  toString:\n    inputs: { x: [2] }\n    layers: [{ type: flatten }]\n',
      want: [{ code: 'NS3012', at: '3:3', message: "model name 'toString' is the name of a property every JavaScript object has, which tfjs and the generated code would read in its place" }],
    }],
    ['NS3012 a model name with a leading underscore names a tfjs layer when used as one', {
      given: 'netspec: 1\nmodels:\n  _enc:\n    inputs: { x: [2] }\n    layers: [{ type: flatten }]\n',
      want: [{ code: 'NS3012', at: '3:3', message: "model name '_enc' is not a name tfjs accepts: tfjs names must start with a letter or digit (tfjs-layers isValidTensorName)" }],
    }],
    ['NS3012 a param named hasOwnProperty', {
      given: spec(['{ type: dense, units: hasOwnProperty }'], { head: 'params: { hasOwnProperty: 2 }\n' }),
      want: [{ code: 'NS3012', at: '2:11', message: "param 'hasOwnProperty' is the name of a property every JavaScript object has, which tfjs and the generated code would read in its place" }],
    }],
    ['NS3012 an input id', {
      given: spec(['{ type: flatten }'], { inputs: '{ "latent z": [4] }' }),
      want: [{ code: 'NS3012', at: '4:15', message: "input id 'latent z' is not an identifier" }],
    }],
    ['NS3012 a model name', {
      given: 'netspec: 1\nmodels:\n  my-model:\n    inputs: { x: [2] }\n    layers: [{ type: flatten }]\n',
      want: [{ code: 'NS3012', at: '3:3', message: "model name 'my-model' is not an identifier" }],
    }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expectDiagnostics(given, want));

  test('NS3012 a param name, at the key', () => {
    const { found } = resolve(spec(['{ type: flatten }'], { head: 'params: { z-dim: 3 }\n' }));
    expect(found.map((f) => `${f.code} ${f.at} ${f.message}`)).toEqual(["NS3012 2:11 param 'z-dim' is not an identifier"]);
  });

  const noCascade: [string, { given: string; want: string[] }][] = [
    ['from a layer whose options have an error', {
      given: spec(['{ type: dense, id: a, units: zz }', '{ type: dense, units: 2, from: a }']),
      want: ['NS3002 6:38'],
    }],
    ['an output naming a layer with an error', {
      given: spec(['{ type: dense, id: a, units: zz }'], { tail: '    outputs: { a: null }\n' }),
      want: ['NS3002 6:38'],
    }],
    ['the layer after one with an error', {
      given: spec(['{ type: dense, units: zz }', '{ type: dense, units: 2 }']),
      want: ['NS3002 6:31'],
    }],
    ['the first layer after an input with an error', {
      given: spec(['{ type: flatten }'], { head: 'params: { n: 5 }\n', inputs: '{ x: [n - 5] }' }),
      want: ['NS3003 5:19'],
    }],
    ['from an input with an error', {
      given: spec(['{ type: flatten, from: y }'], { inputs: '{ x: [2], y: [nope] }' }),
      want: ['NS3002 4:27'],
    }],
    ['from a layer whose id conflicts with its name', {
      given: spec(['{ type: dense, id: a, name: b, units: 2 }', '{ type: dense, units: 2, from: a }']),
      want: ['NS3009 6:37'],
    }],
  ];
  test.each(noCascade)('one error, no follow-up errors: %s', (_name, { given, want }) => {
    expect(resolve(given).found.map((f) => `${f.code} ${f.at}`)).toEqual(want);
  });
});

describe('resolveSpec: the spec', () => {
  const stems: [string, { given: string; want: string }][] = [
    ['a plain file', { given: 'specs/dcgan.yaml', want: 'dcgan' }],
    ['a nested file with a .yml extension', { given: 'specs/sub/my_gan.yml', want: 'my_gan' }],
    ['only the last extension goes', { given: 'specs/gan.v2.yaml', want: 'gan.v2' }],
    ['Windows separators', { given: 'specs\\sub\\gan.yaml', want: 'gan' }],
  ];
  test.each(stems)('the module name defaults to the file stem: %s', (_name, { given, want }) => {
    const { spec: ir } = resolve(spec(['{ type: flatten }']), given);
    expect({ name: ir.name, file: ir.file, nameSpan: ir.nameSpan }).toEqual({ name: want, file: given, nameSpan: { file: given, start: 0, end: 1 } });
  });

  test('an explicit name, located at its value', () => {
    const text = spec(['{ type: flatten }'], { head: 'name: gan\n' });
    const { spec: ir } = resolve(text);
    expect(ir.name).toBe('gan');
    expect(text.slice(ir.nameSpan.start, ir.nameSpan.end)).toBe('gan');
  });

  test('the source hash is the sha256 of the text', () => {
    const text = spec(['{ type: flatten }']);
    expect(resolve(text).spec.sourceHash).toBe(createHash('sha256').update(text).digest('hex'));
  });

  test('a model with an error is incomplete, without the layer in error; the others are complete', () => {
    const text = 'netspec: 1\nmodels:\n  good:\n    inputs: { x: [2] }\n    layers: [{ type: dense, units: 2 }]\n  bad:\n    inputs: { x: [2] }\n    layers: [{ type: dense, units: nope }, { type: dense, units: 3 }]\n';
    const { spec: ir, found } = resolve(text);
    expect(found.map((f) => `${f.code} ${f.at}`)).toEqual(['NS3002 8:36']);
    expect(ir.models.map((m) => [m.name, m.incomplete, m.layers.map((l) => l.id)])).toEqual([
      ['good', false, ['dense_1']],
      ['bad', true, ['dense_2']],
    ]);
  });

  test('models, inputs and layers keep their order', () => {
    const text = 'netspec: 1\nmodels:\n  b:\n    inputs: { y: [2], x: [2] }\n    layers: [{ type: concatenate, from: [x, y] }]\n  a:\n    inputs: { x: [2] }\n    layers: [{ type: flatten }]\n';
    const { spec: ir, found } = resolve(text);
    expect(found).toEqual([]);
    expect(ir.models.map((m) => [m.name, m.inputs.map((i) => i.id)])).toEqual([['b', ['y', 'x']], ['a', ['x']]]);
  });
});

describe('resolveSpec: the module name', () => {
  // The module is still checked and inferred: only emitting it needs the name.
  test.each([
    ['from a file name that is not an identifier', 'specs/my-spec.yaml', '', [{ code: 'NS3012', at: '1:1', message: "module name (from the file name) 'my-spec' is not an identifier", fix: 'set `name: my_spec` in the spec, or rename the file' }]],
    ['from a file name of dots', 'specs/...yaml', '', [{ code: 'NS3012', at: '1:1', message: "module name (from the file name) '..' is not an identifier", fix: 'set `name: __`' }]],
    ['from a file name with a line break', 'specs/a\nb.yaml', '', [{ code: 'NS3012', at: '1:1', message: "module name (from the file name) 'a\\nb' is not an identifier" }]],
    ['from a file name that is fine', 'specs/dcgan.yaml', '', []],
    ['`name:` wins over the file name', 'specs/my-spec.yaml', 'name: mySpec\n', []],
    ['a reserved `name:`', 'specs/a.yaml', 'name: valueOf\n', [{ code: 'NS3012', at: '2:7', message: "module name 'valueOf' is the name of a property every JavaScript object has" }]],
  ] as const)('%s', (_, path, head, want) => {
    expectDiagnostics(spec(['{ type: flatten }'], { head }), want, { modelsLeftOut: false, path });
  });
});
