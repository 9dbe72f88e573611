import { describe, expect, test } from 'vitest';
import type { Code } from '../../src/diagnostics/codes.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { Locator } from '../../src/diagnostics/location.js';
import { parseSpec } from '../../src/parse/parse-spec.js';
import type { ExprSlot } from '../../src/validate/schema.js';
import { validateSpec, type ValidatedSpec } from '../../src/validate/validate-spec.js';

const file = 'specs/test.yaml';

/**
 * A spec with one model `g` whose layers start on line 6 (plus one line per
 * line of `head`, which goes after `netspec: 1`). Layers are written
 * `      - { ... }`, so a layer mapping starts at column 9.
 */
function spec(layers: readonly string[], head = ''): string {
  return `netspec: 1\n${head}models:\n  g:\n    inputs: { x: [8, 8, 3] }\n    layers:\n${layers.map((l) => `      - ${l}\n`).join('')}`;
}

interface Found {
  readonly code: Code;
  /** `line:column` where the diagnostic starts, 1-based. */
  readonly at: string;
  readonly message: string;
  readonly fix?: string;
  readonly notes: readonly string[];
}

function validate(text: string): { value?: ValidatedSpec; found: Found[] } {
  const parsed = parseSpec({ path: file, text });
  expect(parsed.diagnostics).toEqual([]);
  const result = validateSpec(parsed.value!);
  const locator = new Locator(new Map([[file, text]]));
  const sorted = [...result.diagnostics].sort((a: Diagnostic, b: Diagnostic) => a.span!.start - b.span!.start);
  const found = sorted.map((d) => {
    expect(d.span!.file).toBe(file);
    expect(d.severity).toBe('error');
    const loc = locator.locate(d.span!);
    return { code: d.code, at: `${loc.line}:${loc.column}`, message: d.message, ...(d.fix ? { fix: d.fix } : {}), notes: d.notes.map((n) => n.message) };
  });
  return { ...(result.value ? { value: result.value } : {}), found };
}

/** What a case expects of one diagnostic: code and place exactly, message and fix by substring. */
interface Want {
  readonly code: Code;
  readonly at: string;
  readonly message: string;
  readonly fix?: string;
  /** Advice: a note, and then no fix. */
  readonly note?: string;
  /** Advice too, by its start. */
  readonly noteStarts?: string;
}

function expectDiagnostics(text: string, want: readonly Want[]): void {
  const { value, found } = validate(text);
  // Either nothing is usable, or the spec comes back with the rejected places listed for later stages to skip,
  // or the misspelled keys they read as the options meant
  // (an unknown default key affects nothing when nothing close is an option, nor does a per-layer option given as a default).
  if (value && !found.every((f) => f.code === 'NS3011' && (!f.fix || f.message.includes('cannot be a default')))) expect(value.invalid.size + value.renamed.size + [...value.rejectedDefaults.values()].reduce((n, s) => n + s.size, 0)).toBeGreaterThan(0);
  expect(found.map((f) => `${f.code} ${f.at}`)).toEqual(want.map((w) => `${w.code} ${w.at}`));
  want.forEach((w, i) => {
    expect(found[i]!.message).toContain(w.message);
    if (w.fix !== undefined) expect(found[i]!.fix ?? '').toContain(w.fix);
    if (w.note !== undefined) expect([found[i]!.fix, found[i]!.notes]).toEqual([undefined, [w.note]]);
    if (w.noteStarts !== undefined) expect([found[i]!.fix, found[i]!.notes]).toEqual([undefined, [expect.stringMatching(new RegExp(`^${w.noteStarts.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))]]);
  });
}

describe('validateSpec: valid specs', () => {
  const cases: [string, { given: string }][] = [
    ['the DCGAN generator head', { given: spec(['{ type: dense, units: 4 * 4 * 8, useBias: false }', '{ type: reshape, targetShape: [4, 4, 8] }', '{ type: conv2dTranspose, id: image, filters: 3, kernelSize: 5, strides: 2, padding: same, activation: tanh }']) }],
    ['explicit transposed-conv padding', { given: spec(['{ type: conv2dTranspose, filters: 3, kernelSize: 3, padding: [[1, 1], [0, 2]], outputPadding: [1, 0], strides: 2 }']) }],
    ['initializer, regularizer and constraint objects', { given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, kernelInitializer: { type: randomNormal, stddev: 0.02 }, kernelRegularizer: { l2: 0.001 }, kernelConstraint: { type: maxNorm, maxValue: 2 } }']) }],
    ['initializer, regularizer and constraint names', { given: spec(['{ type: dense, units: 2, biasInitializer: zeros, biasRegularizer: l1l2, biasConstraint: nonNeg }']) }],
    ['the long form of an input', { given: 'netspec: 1\nmodels:\n  g:\n    inputs: { z: { shape: [n, null], batchSize: 2, dtype: int32 } }\n    layers: [{ type: flatten }]\n' }],
    ['outputs with a shape and with null', { given: spec(['{ type: dense, id: a, units: 2 }', '{ type: dense, id: b, units: 2 }']) + '    outputs: { a: [8, 8, 2], b: null }\n' }],
    ['params and defaults', { given: spec(['{ type: conv2d, kernelSize: 3 }'], 'params: { f: 8, g: f * 2 }\ndefaults: { padding: same, activation: relu, conv2d: { filters: f } }\n') }],
    ['name and description', { given: spec(['{ type: flatten }'], 'name: my_module\ndescription: a test\n') }],
    ['a layer named by name instead of id', { given: spec(['{ type: dense, name: fc, units: 2 }']) }],
  ];
  test.each(cases)('%s', (_name, { given }) => {
    const { value, found } = validate(given);
    expect(found).toEqual([]);
    expect(value).toBeDefined();
  });
});

describe('validateSpec: unknown options (NS2002) with "did you mean"', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['snake_case for camelCase, reported once (not also as a missing kernelSize)', {
      given: spec(['{ type: conv2d, filters: 4, kernel_size: 3 }']),
      want: [{ code: 'NS2002', at: '6:37', message: "unknown option 'kernel_size' for layer 'conv2d_1' (conv2d)", fix: "did you mean 'kernelSize'?" }],
    }],
    ['a misspelling, reported once (not also as a missing filters)', {
      given: spec(['{ type: conv2d, filtres: 4, kernelSize: 3 }']),
      want: [{ code: 'NS2002', at: '6:25', message: "unknown option 'filtres' for layer 'conv2d_1' (conv2d)", fix: "did you mean 'filters'?" }],
    }],
    ['a Keras snake_case name on a transposed conv', {
      given: spec(['{ type: conv2dTranspose, filters: 4, kernelSize: 3, output_padding: 1 }']),
      want: [{ code: 'NS2002', at: '6:61', message: "unknown option 'output_padding' for layer 'conv2dTranspose_1' (conv2dTranspose)", fix: "did you mean 'outputPadding'?" }],
    }],
    ['the layer id names the layer in the message', {
      given: spec(['{ type: dense, id: fc, units: 2, use_bias: false }']),
      want: [{ code: 'NS2002', at: '6:42', message: "unknown option 'use_bias' for layer 'fc' (dense)", fix: "did you mean 'useBias'?" }],
    }],
    ['nothing close: the fix lists the allowed options', {
      given: spec(['{ type: dense, units: 4, colour: red }']),
      want: [{ code: 'NS2002', at: '6:34', message: "unknown option 'colour' for layer 'dense_1' (dense)", noteStarts: 'allowed: ' }],
    }],
    ['an option of another layer type', {
      given: spec(['{ type: dense, units: 4, kernelSize: 3 }']),
      want: [{ code: 'NS2002', at: '6:34', message: "unknown option 'kernelSize' for layer 'dense_1' (dense)" }],
    }],
    ['inside an initializer object', {
      given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, kernelInitializer: { type: randomNormal, stdev: 1 } }']),
      want: [{ code: 'NS2002', at: '6:93', message: "unknown option 'stdev' for 'kernelInitializer' of layer 'conv2d_1' (conv2d)", fix: "did you mean 'stddev'?" }],
    }],
    ['inside a constraint object', {
      given: spec(['{ type: dense, units: 2, kernelConstraint: { type: maxNorm, max_value: 2 } }']),
      want: [{ code: 'NS2002', at: '6:69', message: "unknown option 'max_value' for 'kernelConstraint' of layer 'dense_1' (dense)", fix: "did you mean 'maxValue'?" }],
    }],
    ['a misspelled top-level key, reported once (not also as missing models)', {
      given: 'netspec: 1\nmodles: {}\n',
      want: [{ code: 'NS2002', at: '2:1', message: "unknown option 'modles' for the spec", fix: "did you mean 'models'?" }],
    }],
    ['a misspelled model key', {
      given: spec(['{ type: flatten }']) + '    output: { flatten_1: null }\n',
      want: [{ code: 'NS2002', at: '7:5', message: "unknown option 'output' for model 'g'", fix: "did you mean 'outputs'?" }],
    }],
    ['in the long form of an input', {
      given: 'netspec: 1\nmodels:\n  g:\n    inputs: { z: { shape: [4], batch_size: 2 } }\n    layers: [{ type: flatten }]\n',
      want: [{ code: 'NS2002', at: '4:32', message: "unknown option 'batch_size'", fix: "did you mean 'batchSize'?" }],
    }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expectDiagnostics(given, want));
});

describe('validateSpec: unknown layer types (NS2003)', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['a near miss', { given: spec(['{ type: conv2dTransposed, filters: 4, kernelSize: 3 }']), want: [{ code: 'NS2003', at: '6:17', message: "unknown layer type 'conv2dTransposed'", fix: "did you mean 'conv2dTranspose'?" }] }],
    ['a Keras class name', { given: spec(['{ type: Dense, units: 2 }']), want: [{ code: 'NS2003', at: '6:17', message: "unknown layer type 'Dense'", fix: "did you mean 'dense'?" }] }],
    ['snake_case', { given: spec(['{ type: batch_normalization }']), want: [{ code: 'NS2003', at: '6:17', message: "unknown layer type 'batch_normalization'", fix: "did you mean 'batchNormalization'?" }] }],
    ['nothing close: the fix lists the types', { given: spec(['{ type: lstm, units: 2 }']), want: [{ code: 'NS2003', at: '6:17', message: "unknown layer type 'lstm'", noteStarts: 'use one of: dense, depthToSpace, embedding, pixelShuffle, prelu, reshape, flatten' }] }],
    ['not a string', { given: spec(['{ type: 3 }']), want: [{ code: 'NS2003', at: '6:17', message: 'unknown layer type 3' }] }],
    ['in a block-style layer, at the type value', { given: spec(['type: conv2dTransposed\n        filters: 4']), want: [{ code: 'NS2003', at: '6:15', message: "unknown layer type 'conv2dTransposed'" }] }],
    ['only the bad layer among good ones', { given: spec(['{ type: flatten }', '{ type: dens, units: 2 }', '{ type: flatten }']), want: [{ code: 'NS2003', at: '7:17', message: "unknown layer type 'dens'", fix: "did you mean 'dense'?" }] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expectDiagnostics(given, want));
});

describe('validateSpec: missing required options (NS2004) at the mapping that lacks them', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['conv2d without filters', { given: spec(['{ type: conv2d, kernelSize: 3 }']), want: [{ code: 'NS2004', at: '6:9', message: "layer 'conv2d_1' (conv2d) is missing required option 'filters'", note: 'add `filters:`' }] }],
    ['with an id', { given: spec(['{ type: dense, id: fc }']), want: [{ code: 'NS2004', at: '6:9', message: "layer 'fc' (dense) is missing required option 'units'", note: 'add `units:`' }] }],
    ['two missing options, one diagnostic each', { given: spec(['{ type: conv2dTranspose }']), want: [
      { code: 'NS2004', at: '6:9', message: "missing required option 'filters'" },
      { code: 'NS2004', at: '6:9', message: "missing required option 'kernelSize'" },
    ] }],
    ['a layer without type: once, not also as an unknown type', { given: spec(['{ units: 4 }']), want: [{ code: 'NS2004', at: '6:9', message: "layer (#1) is missing required option 'type'" }] }],
    ['an initializer object without type: once', { given: spec(['{ type: dense, units: 2, kernelInitializer: { stddev: 1 } }']), want: [{ code: 'NS2004', at: '6:53', message: "'kernelInitializer' of layer 'dense_1' (dense) is missing required option 'type'" }] }],
    ['a model without layers', { given: 'netspec: 1\nmodels:\n  g:\n    inputs: { x: [2] }\n', want: [{ code: 'NS2004', at: '4:5', message: "model 'g' is missing required option 'layers'" }] }],
    ['a spec without models', { given: 'netspec: 1\nname: a\n', want: [{ code: 'NS2004', at: '1:1', message: "the spec is missing required option 'models'", note: 'add `models:`' }] }],
    ['an output without filters: the channels its declared shape has', { given: `${spec(['{ type: conv2d, id: out, kernelSize: 3, padding: same }'])}    outputs: { out: [8, 8, 5] }\n`, want: [{ code: 'NS2004', at: '6:9', message: "missing required option 'filters'", fix: "add `filters: 5`, the channels output 'out' declares" }] }],
    ['channelsFirst: the first entry', { given: `${spec(['{ type: conv2d, id: out, kernelSize: 3, padding: same, dataFormat: channelsFirst }'])}    outputs: { out: [5, 8, 8] }\n`, want: [{ code: 'NS2004', at: '6:9', message: "missing required option 'filters'", fix: 'add `filters: 5`' }] }],
    ['an output sized by a param', { given: `${spec(['{ type: dense, id: out }'], 'params: { n: 4 }\n')}    outputs: { out: [n] }\n`, want: [{ code: 'NS2004', at: '7:9', message: "missing required option 'units'", fix: 'add `units: n`' }] }],
    ['the long form of an input without shape', { given: 'netspec: 1\nmodels:\n  g:\n    inputs: { z: { batchSize: 2 } }\n    layers: [{ type: flatten }]\n', want: [{ code: 'NS2004', at: '4:18', message: "missing required option 'shape'" }] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expectDiagnostics(given, want));
});

describe('validateSpec: wrong values (NS2001) at the value, one per node', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['a boolean for an integer', { given: spec(['{ type: conv2d, filters: true, kernelSize: 3 }']), want: [{ code: 'NS2001', at: '6:34', message: "'filters' of layer 'conv2d_1' (conv2d) must be an integer or an expression; received true" }] }],
    ['a fraction for an integer', { given: spec(['{ type: conv2d, filters: 2.5, kernelSize: 3 }']), want: [{ code: 'NS2001', at: '6:34', message: 'must be an integer or an expression; received 2.5' }] }],
    ['zero filters', { given: spec(['{ type: conv2d, filters: 0, kernelSize: 3 }']), want: [{ code: 'NS2001', at: '6:34', message: "'filters' of layer 'conv2d_1' (conv2d) must be a value >= 1; received 0" }] }],
    ['three kernel sizes on conv2d', { given: spec(['{ type: conv2d, filters: 4, kernelSize: [3, 3, 3] }']), want: [{ code: 'NS2001', at: '6:49', message: "'kernelSize' of layer 'conv2d_1' (conv2d) must be a list of 2; received [3, 3, 3]" }] }],
    ['one kernel size in a list on conv2d', { given: spec(['{ type: conv2d, filters: 4, kernelSize: [3] }']), want: [{ code: 'NS2001', at: '6:49', message: 'must be a list of 2; received [3]' }] }],
    ['a zero stride inside a list: at the item', { given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, strides: [1, 0] }']), want: [{ code: 'NS2001', at: '6:65', message: "'strides.1' of layer 'conv2d_1' (conv2d) must be a value >= 1; received 0" }] }],
    ['a short explicit padding pair', { given: spec(['{ type: conv2dTranspose, filters: 4, kernelSize: 3, padding: [[1, 1], [1]] }']), want: [{ code: 'NS2001', at: '6:79', message: "'padding.1' of layer 'conv2dTranspose_1' (conv2dTranspose) must be a list of 2; received [1]" }] }],
    ['a dropout rate of 1.5', { given: spec(['{ type: dropout, rate: 1.5 }']), want: [{ code: 'NS2001', at: '6:32', message: "'rate' of layer 'dropout_1' (dropout) must be a value < 1; received 1.5" }] }],
    ['a string for a boolean', { given: spec(['{ type: dense, units: 2, useBias: yes }']), want: [{ code: 'NS2001', at: '6:43', message: "'useBias' of layer 'dense_1' (dense) must be true or false; received 'yes'" }] }],
    ['a number for an initializer', { given: spec(['{ type: dense, units: 2, kernelInitializer: 5 }']), want: [{ code: 'NS2001', at: '6:53', message: "'kernelInitializer' of layer 'dense_1' (dense)" }] }],
    ['a number for from', { given: spec(['{ type: dense, units: 2, from: 5 }']), want: [{ code: 'NS2001', at: '6:40', message: "'from' of layer 'dense_1' (dense) must be a string or a list; received 5" }] }],
    ['an empty from list', { given: spec(['{ type: dense, units: 2, from: [] }']), want: [{ code: 'NS2001', at: '6:40', message: 'must be at least 1 item' }] }],
    ['an empty id', { given: spec(['{ type: dense, units: 2, id: "" }']), want: [{ code: 'NS2001', at: '6:38', message: "must be a non-empty string; received ''" }] }],
    ['a layer that is not a mapping', { given: spec(['5']), want: [{ code: 'NS2001', at: '6:9', message: 'layer (#1) must be a mapping; received 5' }] }],
    ['layers that are not a list', { given: 'netspec: 1\nmodels:\n  g:\n    inputs: { x: [2] }\n    layers: { type: flatten }\n', want: [{ code: 'NS2001', at: '5:13', message: "'models.g.layers' must be a list" }] }],
    ['an empty layer list', { given: 'netspec: 1\nmodels:\n  g:\n    inputs: { x: [2] }\n    layers: []\n', want: [{ code: 'NS2001', at: '5:13', message: 'must be at least 1 item' }] }],
    ['a zero input dimension', { given: 'netspec: 1\nmodels:\n  g:\n    inputs: { x: [4, 0] }\n    layers: [{ type: flatten }]\n', want: [{ code: 'NS2001', at: '4:22', message: "'models.g.inputs.x.1' must be a value >= 1; received 0" }] }],
    ['a bad model name', { given: 'netspec: 1\nname: my-module\nmodels: { g: { inputs: { x: [2] }, layers: [{ type: flatten }] } }\n', want: [{ code: 'NS2001', at: '2:7', message: "'name' must be an identifier" }] }],
    ['a bad param', { given: spec(['{ type: flatten }'], 'params: { n: true }\n'), want: [{ code: 'NS2001', at: '2:14', message: "'params.n' must be a number or an expression; received true" }] }],
    ['two bad options: one diagnostic each', { given: spec(['{ type: conv2d, filters: 0, kernelSize: [3, 3, 3] }']), want: [
      { code: 'NS2001', at: '6:34', message: "'filters'" },
      { code: 'NS2001', at: '6:49', message: "'kernelSize'" },
    ] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expectDiagnostics(given, want));

  // ajv reports a failing anyOf/oneOf/if-then-else as one error per branch plus the combinator itself.
  const noisy: [string, { given: string }][] = [
    ['int-or-list kernelSize with a bad list', { given: spec(['{ type: conv2d, filters: 4, kernelSize: [3, 3, 3] }']) }],
    ['int-or-string filters with a boolean', { given: spec(['{ type: conv2d, filters: true, kernelSize: 3 }']) }],
    ['enum-or-pairs padding with a bad pair', { given: spec(['{ type: conv2dTranspose, filters: 4, kernelSize: 3, padding: [[1, 1], [1]] }']) }],
    ['enum-or-pairs padding with a number', { given: spec(['{ type: conv2dTranspose, filters: 4, kernelSize: 3, padding: 2 }']) }],
    ['name-or-object initializer with a number', { given: spec(['{ type: dense, units: 2, kernelInitializer: 5 }']) }],
    ['output shape or null with a string', { given: spec(['{ type: dense, id: a, units: 2 }']) + '    outputs: { a: big }\n' }],
    ['array-or-object input with a number', { given: 'netspec: 1\nmodels:\n  g:\n    inputs: { x: 5 }\n    layers: [{ type: flatten }]\n' }],
  ];
  test.each(noisy)('merged into one diagnostic: %s', (_name, { given }) => {
    const { found } = validate(given);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/must be .*; received /);
    expect(found[0]!.message).not.toMatch(/anyOf|oneOf|must match|schema/);
  });

  test('alternatives at one node are listed in one message', () => {
    const { found } = validate(spec(['{ type: conv2dTranspose, filters: 4, kernelSize: 3, padding: 2 }']));
    expect(found).toEqual([
      { code: 'NS2001', at: '6:70', message: "'padding' of layer 'conv2dTranspose_1' (conv2dTranspose) must be one of 'valid' or 'same' or a list; received 2", notes: [] },
    ]);
  });
});

describe('validateSpec: unknown names (NS2005) with a suggestion', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['padding: sme', { given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, padding: sme }']), want: [{ code: 'NS2005', at: '6:61', message: "'padding' of layer 'conv2d_1' (conv2d) must be one of 'valid' or 'same' or a list; received 'sme'", fix: "did you mean 'same'?" }] }],
    ['activation: relu7', { given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, activation: relu7 }']), want: [{ code: 'NS2005', at: '6:64', message: "received 'relu7'", fix: "did you mean 'relu'?" }] }],
    ['dataFormat: channels_last', { given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, dataFormat: channels_last }']), want: [{ code: 'NS2005', at: '6:64', message: "'dataFormat' of layer 'conv2d_1' (conv2d) must be one of 'channelsLast' or 'channelsFirst'; received 'channels_last'", fix: "did you mean 'channelsLast'?" }] }],
    ['padding: vaild on a transposed conv', { given: spec(['{ type: conv2dTranspose, filters: 4, kernelSize: 3, padding: vaild }']), want: [{ code: 'NS2005', at: '6:70', message: "received 'vaild'", fix: "did you mean 'valid'?" }] }],
    ['an initializer name', { given: spec(['{ type: dense, units: 2, kernelInitializer: glorotUnifrom }']), want: [{ code: 'NS2005', at: '6:53', message: "'kernelInitializer' of layer 'dense_1' (dense) must be one of 'zeros'", fix: "did you mean 'glorotUniform'?" }] }],
    ['an initializer object type', { given: spec(['{ type: dense, units: 2, kernelInitializer: { type: he_normal } }']), want: [{ code: 'NS2005', at: '6:61', message: "unknown kernelInitializer type 'he_normal'; expected 'zeros'", fix: "did you mean 'heNormal'?" }] }],
    ['a constraint object type', { given: spec(['{ type: dense, units: 2, biasConstraint: { type: maxnorm } }']), want: [{ code: 'NS2005', at: '6:58', message: "unknown biasConstraint type 'maxnorm'; expected 'maxNorm', 'minMaxNorm', 'nonNeg' or 'unitNorm'", fix: "did you mean 'maxNorm'?" }] }],
    ['a constraint name', { given: spec(['{ type: dense, units: 2, kernelConstraint: non_neg }']), want: [{ code: 'NS2005', at: '6:52', message: "received 'non_neg'", fix: "did you mean 'nonNeg'?" }] }],
    ['a regularizer name', { given: spec(['{ type: dense, units: 2, kernelRegularizer: L2 }']), want: [{ code: 'NS2005', at: '6:53', message: "must be one of 'l1', 'l2' or 'l1l2'; received 'L2'", fix: "did you mean 'l2'?" }] }],
    ['an input dtype', { given: 'netspec: 1\nmodels:\n  g:\n    inputs: { z: { shape: [4], dtype: float64 } }\n    layers: [{ type: flatten }]\n', want: [{ code: 'NS2005', at: '4:39', message: "must be one of 'float32' or 'int32'; received 'float64'" }] }],
    ['nothing close: no fix', { given: spec(['{ type: conv2d, filters: 4, kernelSize: 3, padding: reflect }']), want: [{ code: 'NS2005', at: '6:61', message: "received 'reflect'" }] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expectDiagnostics(given, want));

  test('no suggestion when nothing is close', () => {
    const { found } = validate(spec(['{ type: conv2d, filters: 4, kernelSize: 3, padding: reflect }']));
    expect(found[0]!.fix).toBeUndefined();
  });
});

describe('validateSpec: the spec version (NS2006)', () => {
  const cases: [string, { given: string; want: Want[] }][] = [
    ['version 2', { given: 'netspec: 2\nmodels: { g: { inputs: { x: [2] }, layers: [{ type: flatten }] } }\n', want: [{ code: 'NS2006', at: '1:10', message: 'unsupported spec version 2; this netspec reads version 1', fix: 'set `netspec: 1`' }] }],
    ['a string', { given: 'netspec: "1"\nmodels: { g: { inputs: { x: [2] }, layers: [{ type: flatten }] } }\n', want: [{ code: 'NS2006', at: '1:10', message: "unsupported spec version '1'" }] }],
    ['1.1', { given: 'netspec: 1.1\nmodels: { g: { inputs: { x: [2] }, layers: [{ type: flatten }] } }\n', want: [{ code: 'NS2006', at: '1:10', message: 'unsupported spec version 1.1' }] }],
    ['missing', { given: 'models: { g: { inputs: { x: [2] }, layers: [{ type: flatten }] } }\n', want: [{ code: 'NS2004', at: '1:1', message: "the spec is missing required option 'netspec'" }] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expectDiagnostics(given, want));

  test('1.0 is version 1', () => {
    expect(validate('netspec: 1.0\nmodels: { g: { inputs: { x: [2] }, layers: [{ type: flatten }] } }\n').found).toEqual([]);
  });
});

describe('validateSpec: defaults (NS3011 and option errors at the default)', () => {
  const layers = ['{ type: conv2d, filters: 4, kernelSize: 3 }'];
  const cases: [string, { given: string; want: Want[] }][] = [
    ['a snake_case option', { given: spec(layers, 'defaults: { kernel_size: 3 }\n'), want: [{ code: 'NS3011', at: '2:13', message: "'kernel_size' is neither an option of any layer type nor a layer type", fix: "did you mean 'kernelSize'?" }] }],
    ['a misspelled layer type', { given: spec(layers, 'defaults: { conv2dd: { padding: same } }\n'), want: [{ code: 'NS3011', at: '2:13', message: "'conv2dd' is neither", fix: "did you mean 'conv2d'?" }] }],
    ['wiring is not a default', { given: spec(layers, 'defaults: { from: x }\n'), want: [{ code: 'NS3011', at: '2:13', message: "'from' is neither" }] }],
    ['weights are per layer, not a default (it would be ignored)', { given: spec(layers, 'defaults: { weights: k.json }\n'), want: [{ code: 'NS3011', at: '2:13', message: "'weights' cannot be a default", note: 'set `weights:` on each layer that loads values' }] }],
    ['nor per layer type', { given: spec(layers, 'defaults: { dense: { weights: k.json } }\n'), want: [{ code: 'NS3011', at: '2:22', message: "'weights' cannot be a default" }] }],
    ['lint settings as a default belong to the spec', { given: spec(layers, 'defaults: { lint: { checkerboard: off } }\n'), want: [{ code: 'NS3011', at: '2:13', message: "'lint' cannot be a default", note: 'move it to the top level of the spec: `lint: { ... }`' }] }],
    ['a layer type with a scalar', { given: spec(layers, 'defaults: { conv2d: 3 }\n'), want: [{ code: 'NS3011', at: '2:21', message: "defaults for layer type 'conv2d' must be a mapping of its options" }] }],
    ['a snake_case default: its value is checked as the option meant', { given: spec(layers, 'defaults: { kernel_size: 0 }\n'), want: [
      { code: 'NS3011', at: '2:13', message: "'kernel_size' is neither an option of any layer type nor a layer type", fix: "did you mean 'kernelSize'?" },
      { code: 'NS2001', at: '2:26', message: "'defaults.kernel_size' must be a value >= 1; received 0" },
    ] }],
    ['a snake_case per-type default too', { given: spec(layers, 'defaults: { conv2d: { kernel_size: 0 } }\n'), want: [
      { code: 'NS3011', at: '2:23', message: "'kernel_size' is not an option of conv2d", fix: "did you mean 'kernelSize'?" },
      { code: 'NS2001', at: '2:36', message: "'defaults.conv2d.kernel_size' must be a value >= 1; received 0" },
    ] }],
    ['a per-type option the type lacks', { given: spec(layers, 'defaults: { conv2d: { filtres: 3 } }\n'), want: [{ code: 'NS3011', at: '2:23', message: "'filtres' is not an option of conv2d", fix: "did you mean 'filters'?" }] }],
    ['a per-type type', { given: spec(layers, 'defaults: { dense: { type: conv2d } }\n'), want: [{ code: 'NS3011', at: '2:22', message: "'type' is not an option of dense" }] }],
    ['a bad per-type value: NS2005 at the default', { given: spec(layers, 'defaults: { conv2d: { padding: sme } }\n'), want: [{ code: 'NS2005', at: '2:32', message: "'defaults.conv2d.padding' must be one of 'valid' or 'same' or a list; received 'sme'", fix: "did you mean 'same'?" }] }],
    ['a bad option-level value: NS2001 at the default', { given: spec(layers, 'defaults: { strides: 0 }\n'), want: [{ code: 'NS2001', at: '2:22', message: "'defaults.strides' must be a value >= 1; received 0" }] }],
    ['activation is an option as well as a layer type', { given: spec(layers, 'defaults: { activation: relu7 }\n'), want: [{ code: 'NS2005', at: '2:25', message: "'defaults.activation' must be one of 'elu'", fix: "did you mean 'relu'?" }] }],
    ['activation as a layer type takes its options', { given: spec(layers, 'defaults: { activation: { alpha: 1 } }\n'), want: [{ code: 'NS3011', at: '2:27', message: "'alpha' is not an option of activation" }] }],
    ['a bad nested value', { given: spec(layers, 'defaults: { kernelInitializer: { type: randomNormal, stddev: -1 } }\n'), want: [{ code: 'NS2001', at: '2:62', message: 'must be a value >= 0; received -1' }] }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => expectDiagnostics(given, want));

  test('a default no layer type accepts as a literal is an error, even if one accepts any string as an expression', () => {
    // `padding` is an enum on convolutions but an int-or-expression on zeroPadding2d: `sme` is a typo of `same`.
    const { found } = validate(spec(layers, 'defaults: { padding: sme }\n'));
    expect(found.map((f) => `${f.code} ${f.at}`)).toEqual(['NS2005 2:22']);
  });
});

describe('validateSpec: which defaults apply to which layer type', () => {
  const applied = (head: string) => {
    const { value, found } = validate(spec(['{ type: conv2d, filters: 4, kernelSize: 3 }'], head));
    expect(found).toEqual([]);
    return (type: string) => Object.fromEntries(value!.defaults.get(type) ?? []);
  };
  const cases: [string, { given: string; want: Record<string, Record<string, string>> }][] = [
    ['an option-level default applies to every type with the option', {
      given: 'defaults: { dataFormat: channelsFirst }\n',
      want: { conv2d: { dataFormat: '/defaults/dataFormat' }, maxPooling2d: { dataFormat: '/defaults/dataFormat' }, dense: {}, batchNormalization: {} },
    }],
    ['an enum default skips the types where it is not valid', {
      given: 'defaults: { padding: same }\n',
      want: { conv2d: { padding: '/defaults/padding' }, conv2dTranspose: { padding: '/defaults/padding' }, dense: {} },
    }],
    ['a per-type default applies to its type only', {
      given: 'defaults: { conv2d: { strides: 2 } }\n',
      want: { conv2d: { strides: '/defaults/conv2d/strides' }, conv2dTranspose: {}, maxPooling2d: {} },
    }],
    ['a per-type default beats an option-level one written after it', {
      given: 'defaults: { conv2d: { padding: valid }, padding: same }\n',
      want: { conv2d: { padding: '/defaults/conv2d/padding' }, conv2dTranspose: { padding: '/defaults/padding' } },
    }],
    ['a per-type default beats an option-level one written before it', {
      given: 'defaults: { padding: same, conv2d: { padding: valid } }\n',
      want: { conv2d: { padding: '/defaults/conv2d/padding' }, conv2dTranspose: { padding: '/defaults/padding' } },
    }],
    ['activation: relu is the option default', {
      given: 'defaults: { activation: relu }\n',
      want: { dense: { activation: '/defaults/activation' }, conv2dTranspose: { activation: '/defaults/activation' }, activation: { activation: '/defaults/activation' } },
    }],
    ['a nested default', {
      given: 'defaults: { kernelInitializer: { type: randomNormal, stddev: 0.02 } }\n',
      want: { dense: { kernelInitializer: '/defaults/kernelInitializer' }, conv2d: { kernelInitializer: '/defaults/kernelInitializer' }, flatten: {} },
    }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    const of = applied(given);
    for (const [type, options] of Object.entries(want)) expect(of(type), type).toEqual(options);
  });

  test('a default satisfies a required option', () => {
    const { value, found } = validate(spec(['{ type: conv2d, kernelSize: 3 }'], 'defaults: { conv2d: { filters: 8 } }\n'));
    expect(found).toEqual([]);
    expect(value!.defaults.get('conv2d')?.get('filters')).toBe('/defaults/conv2d/filters');
  });
});

describe('validateSpec: exprSlots, where expressions may stand', () => {
  const text = spec(
    [
      '{ type: dense, units: 4 * n, useBias: false, activation: relu }',
      '{ type: reshape, targetShape: [2, -1, n] }',
      '{ type: conv2dTranspose, id: up, filters: n // 2, kernelSize: [k, k], strides: 2, padding: same }',
      '{ type: dropout, rate: r }',
      '{ type: leakyReLU }',
    ],
    'params: { n: 8, k: 3, r: 0.5, m: n * 2 }\ndefaults: { leakyReLU: { alpha: r / 2 } }\n',
  );
  const { value, found } = validate(text);
  const slots = value?.exprSlots ?? new Map<string, ExprSlot>();
  const L = '/models/g/layers';

  test('the spec is valid', () => expect(found).toEqual([]));

  const cases: [string, { given: string; want: ExprSlot | undefined }][] = [
    ['a param', { given: '/params/m', want: { kind: 'number' } }],
    ['a positive integer option', { given: `${L}/0/units`, want: { kind: 'int', minimum: 1, maximum: 2147483647 } }],
    ['an input dimension', { given: '/models/g/inputs/x/0', want: { kind: 'int', minimum: 1, maximum: 2147483647 } }],
    ['a target dimension may be -1', { given: `${L}/1/targetShape/1`, want: { kind: 'int', minimum: -1, maximum: 2147483647 } }],
    ['an item of a per-axis list', { given: `${L}/2/kernelSize/1`, want: { kind: 'int', minimum: 1, maximum: 2147483647 } }],
    ['a literal number where an expression may stand', { given: `${L}/2/strides`, want: { kind: 'int', minimum: 1, maximum: 2147483647 } }],
    ['a rate: a number in [0, 1)', { given: `${L}/3/rate`, want: { kind: 'number', minimum: 0, exclusiveMaximum: 1 } }],
    ['a default, at the layer it fills', { given: `${L}/4/alpha`, want: { kind: 'number', minimum: 0 } }],
    ['not a boolean option', { given: `${L}/0/useBias`, want: undefined }],
    ['not an enum option', { given: `${L}/2/padding`, want: undefined }],
    ['not an activation name', { given: `${L}/0/activation`, want: undefined }],
    ['not an id', { given: `${L}/2/id`, want: undefined }],
    ['not the type', { given: `${L}/0/type`, want: undefined }],
    ['not a default by its own pointer', { given: '/defaults/leakyReLU/alpha', want: undefined }],
  ];
  test.each(cases)('%s', (_name, { given, want }) => {
    expect(slots.get(given)).toEqual(want);
  });

  test('every expression-valued option of the spec has a slot', () => {
    const expressions = [`${L}/0/units`, `${L}/1/targetShape/2`, `${L}/2/filters`, `${L}/2/kernelSize/0`, `${L}/2/kernelSize/1`, `${L}/3/rate`, '/params/m'];
    for (const pointer of expressions) expect(slots.has(pointer), pointer).toBe(true);
  });

  test('an option-level default gets the slot of each layer type it fills', () => {
    // `padding` is an expression on zeroPadding2d but an enum on conv2d.
    const { value: v, found: f } = validate(spec(['{ type: conv2d, filters: 4, kernelSize: 3 }', '{ type: zeroPadding2d }'], 'defaults: { padding: 1 }\n'));
    expect(f).toEqual([]);
    expect(v!.exprSlots.get(`${L}/1/padding`)).toEqual({ kind: 'int', minimum: 0, maximum: 2147483647 });
    expect(v!.exprSlots.get(`${L}/0/padding`)).toBeUndefined();
  });
});

describe('tf.nn.conv_transpose spellings get a fix in netspec terms', () => {
  // conv2d: transposed convolutions accept the tf.nn forms of strides and dilations (see test/resolve/tf-nn-forms.test.ts).
  const layer = (options: string) => ['netspec: 1', 'models:', '  m:', '    inputs: { x: [2, 2, 3] }', '    layers:', `      - { type: conv2d, filters: 2, kernelSize: 2, ${options} }`, ''].join('\n');
  const cases: [string, { given: string; want: string }][] = [
    ['NHWC', { given: layer('dataFormat: NHWC'), want: "did you mean 'channelsLast'?" }],
    ['NCHW', { given: layer('dataFormat: NCHW'), want: "did you mean 'channelsFirst'?" }],
    ['strides with batch and channel entries', { given: layer('strides: [1, 2, 2, 1]'), want: 'this looks like the tf.nn form with batch and channel entries; write the spatial entries only: [2, 2]' }],
    ['dilations with batch and channel entries', { given: layer('dilationRate: [1, 2, 2, 1]'), want: 'this looks like the tf.nn form with batch and channel entries; write the spatial entries only: [2, 2]' }],
  ];
  test.each(cases)('%s', (_, { given, want }) => {
    const parsed = parseSpec({ path: 'a.yaml', text: given }).value!;
    expect(validateSpec(parsed).diagnostics.map((d) => d.fix)).toEqual([want]);
  });
});
