/**
 * Symbolic dimensions through the whole pipeline: shapes written with
 * `symbols:`, every layer family on symbolic inputs, the constraints strided
 * layers put on the symbols (with exact messages and locations), the JSON and
 * summary output, and a symbolic U-Net that tfjs runs at two sizes with
 * exactly the shapes the affine expressions evaluate to.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Locator } from '../../src/diagnostics/location.js';
import { Call, Ident, type Code } from '../../src/emit/code.js';
import { factoryOf, layerConfig } from '../../src/emit/layer-call.js';
import * as runtime from '../../src/runtime/index.js';
import { showShape } from '../../src/diagnostics/describe.js';
import { check, compile } from '../../src/index.js';
import { evaluateAffine, isAffine } from '../../src/infer/affine.js';
import type { ModelShapes, Shape } from '../../src/ir.js';
import { checkJson } from '../../src/report/check-json.js';
import { summaryText } from '../../src/report/summary.js';

const file = 'specs/s.yaml';

/** A one-model spec: `symbols`, the inputs (flow style) and the layers, one per line (line 9 on). */
function spec(symbols: string, inputs: string, layers: readonly string[], outputs?: string): string {
  return [
    'netspec: 1',
    'params: { nf: 8 }',
    `symbols: ${symbols}`,
    'models:',
    '  m:',
    `    inputs: ${inputs}`,
    '    layers:',
    '      # layers',
    ...layers.map((l) => `      - ${l}`),
    ...(outputs ? [`    outputs: ${outputs}`] : []),
  ].join('\n') + '\n';
}

function run(text: string) {
  const result = check([{ path: file, text }]);
  const locator = new Locator(new Map([[file, text]]));
  // Lints (an unused `nf`, checkerboard kernels) are not what these cases are about.
  const reports = result.diagnostics.filter((d) => !d.code.startsWith('NS5')).map((d) => {
    const at = d.span ? locator.locate(d.span) : undefined;
    // Advice is a note without a place.
    const advice = d.notes.filter((n) => !n.span).map((n) => ` | note: ${n.message}`).join('');
    return `${at ? `${at.line}:${at.column} ` : ''}${d.code} ${d.message}${d.fix ? ` | fix: ${d.fix}` : ''}${advice}`;
  });
  return { result, reports };
}

/** The last layer's output shape, as `check` and `summary` print it. */
function lastShape(text: string): string {
  const { result, reports } = run(text);
  expect(reports).toEqual([]);
  const layers = result.models[0]!.layers;
  return showShape(layers[layers.length - 1]!.outputShape);
}

const HW = '{ H: { multipleOf: 16 }, W: { multipleOf: 16 } }';
const image = '{ x: [H, W, 3] }';

describe('layer families on symbolic inputs', () => {
  const table: [string, { given: { layers: string[]; inputs?: string; symbols?: string }; want: string }][] = [
    ['conv2d same s=2 halves', { given: { layers: ['{ type: conv2d, filters: nf, kernelSize: 3, strides: 2, padding: same }'] }, want: '[null, H/2, W/2, 8]' }],
    ['conv2d valid k=3 s=2: ceil((H - 2) / 2)', { given: { layers: ['{ type: conv2d, filters: nf, kernelSize: 3, strides: 2 }'] }, want: '[null, H/2 - 1, W/2 - 1, 8]' }],
    ['conv2d valid k=3 s=1', { given: { layers: ['{ type: conv2d, filters: nf, kernelSize: 3 }'] }, want: '[null, H - 2, W - 2, 8]' }],
    ['conv2d dilated k=3 d=2', { given: { layers: ['{ type: conv2d, filters: nf, kernelSize: 3, dilationRate: 2 }'] }, want: '[null, H - 4, W - 4, 8]' }],
    ['conv2d per-axis strides', { given: { layers: ['{ type: conv2d, filters: nf, kernelSize: 1, strides: [4, 1] }'] }, want: '[null, H/4, W, 8]' }],
    ['conv1d valid k=3', { given: { symbols: '{ L: { min: 3 } }', inputs: '{ x: [L, 1] }', layers: ['{ type: conv1d, filters: 4, kernelSize: 3 }'] }, want: '[null, L - 2, 4]' }],
    ['conv3d same s=2', { given: { symbols: '{ D: { multipleOf: 2 }, H: { multipleOf: 2 }, W: { multipleOf: 2 } }', inputs: '{ x: [D, H, W, 1] }', layers: ['{ type: conv3d, filters: 2, kernelSize: 3, strides: 2, padding: same }'] }, want: '[null, D/2, H/2, W/2, 2]' }],
    ['maxPooling2d (strides = poolSize)', { given: { layers: ['{ type: maxPooling2d }'] }, want: '[null, H/2, W/2, 3]' }],
    ['averagePooling2d pool 3 stride 1', { given: { layers: ['{ type: averagePooling2d, poolSize: 3, strides: 1 }'] }, want: '[null, H - 2, W - 2, 3]' }],
    ['maxPooling2d same pool 3 stride 2', { given: { layers: ['{ type: maxPooling2d, poolSize: 3, strides: 2, padding: same }'] }, want: '[null, H/2, W/2, 3]' }],
    ['conv2dTranspose same s=2 doubles', { given: { layers: ['{ type: conv2dTranspose, filters: 4, kernelSize: 4, strides: 2, padding: same }'] }, want: '[null, 2*H, 2*W, 4]' }],
    ['conv2dTranspose valid k=3 s=2', { given: { layers: ['{ type: conv2dTranspose, filters: 4, kernelSize: 4, strides: 2, outputPadding: 1 }'] }, want: '[null, 2*H + 3, 2*W + 3, 4]' }],
    ['conv2dTranspose explicit pads', { given: { layers: ['{ type: conv2dTranspose, filters: 4, kernelSize: 4, strides: 2, padding: [[1, 1], [1, 2]] }'] }, want: '[null, 2*H, 2*W - 1, 4]' }],
    ['conv1dTranspose valid k=25 s=4', { given: { symbols: '[L]', inputs: '{ x: [L, 8] }', layers: ['{ type: conv1dTranspose, filters: 1, kernelSize: 24, strides: 4, padding: same }'] }, want: '[null, 4*L, 1]' }],
    ['upSampling2d', { given: { layers: ['{ type: upSampling2d, size: [2, 3] }'] }, want: '[null, 2*H, 3*W, 3]' }],
    ['zeroPadding2d', { given: { layers: ['{ type: zeroPadding2d, padding: [[1, 2], [0, 1]] }'] }, want: '[null, H + 3, W + 1, 3]' }],
    ['cropping2d', { given: { layers: ['{ type: cropping2d, cropping: [[1, 1], [2, 0]] }'] }, want: '[null, H - 2, W - 2, 3]' }],
    ['globalAveragePooling2d drops the symbols', { given: { layers: ['{ type: globalAveragePooling2d }'] }, want: '[null, 3]' }],
    ['dense keeps symbolic leading dims', { given: { layers: ['{ type: dense, units: 5 }'] }, want: '[null, H, W, 5]' }],
    ['batchNormalization and activation keep the shape', { given: { layers: ['{ type: batchNormalization }', '{ type: activation, activation: relu }'] }, want: '[null, H, W, 3]' }],
    ['reshape with -1 takes a symbolic size', { given: { inputs: '{ x: [H, 4, 3] }', layers: ['{ type: reshape, targetShape: [-1, 3] }'] }, want: '[null, 4*H, 3]' }],
    ['reshape of two symbolic dims: the -1 entry is known at run time only', { given: { layers: ['{ type: reshape, targetShape: [-1, 3] }'] }, want: '[null, null, 3]' }],
    ['affine input expressions', { given: { inputs: '{ x: [2 * H + 1, W / 4 - 1, 3] }', layers: ['{ type: activation, activation: relu }'] }, want: '[null, 2*H + 1, W/4 - 1, 3]' }],
    [
      'concatenate: H/8 * 2 and H/4 are the same size',
      {
        given: { inputs: '{ x: [H, W, 3] }', layers: ['{ type: maxPooling2d, id: q, poolSize: 4 }', '{ type: maxPooling2d, id: e, from: x, poolSize: 8 }', '{ type: upSampling2d, id: u }', '{ type: concatenate, from: [q, u] }'] },
        want: '[null, H/4, W/4, 6]',
      },
    ],
    ['concatenate along a symbolic axis adds', { given: { inputs: '{ a: [H, 3], b: [2 * H, 3] }', layers: ['{ type: concatenate, axis: 1, from: [a, b] }'] }, want: '[null, 3*H, 3]' }],
    ['add of equal expressions', { given: { inputs: '{ a: [H / 2, 3], b: [H / 2, 3] }', layers: ['{ type: add, from: [a, b] }'] }, want: '[null, H/2, 3]' }],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(lastShape(spec(given.symbols ?? HW, given.inputs ?? image, given.layers))).toBe(want));

  test('an asserted output may use the symbols', () => {
    expect(lastShape(spec(HW, image, ['{ type: conv2d, filters: 2, kernelSize: 1 }'], '{ conv2d_1: [H, W, 2] }'))).toBe('[null, H, W, 2]');
  });
});

/** A small U-Net over `symbols`, two halvings (the second at line 12) and a skip at line 14. */
const unet = (symbols: string, downPadding = 'same') =>
  spec(symbols, image, [
    '{ type: conv2d, id: stem, filters: nf, kernelSize: 3, padding: same }',
    `{ type: conv2d, id: down1, filters: nf, kernelSize: 4, strides: 2, padding: ${downPadding} }`,
    `{ type: conv2d, id: down2, filters: nf, kernelSize: 4, strides: 2, padding: ${downPadding} }`,
    '{ type: conv2dTranspose, id: up2, filters: nf, kernelSize: 4, strides: 2, padding: same }',
    '{ type: concatenate, id: skip1, from: [up2, down1] }',
    '{ type: conv2dTranspose, id: up1, filters: nf, kernelSize: 4, strides: 2, padding: same }',
  ]);

describe('errors, with their exact messages and locations', () => {
  const table: [string, { given: string; want: string[] }][] = [
    [
      'NS4013: the multiple every strided layer needs, at the strongest one, with the skip that breaks',
      {
        given: unet('{ H: { multipleOf: 2 }, W: { multipleOf: 4 } }'),
        want: [
          "11:73 NS4013 H must be a multiple of 4 for 'down2' (strides 2) to divide H/2 evenly, and for the skip at 'skip1' to line up | fix: declare `H: { multipleOf: 4 }` under `symbols:`",
        ],
      },
    ],
    [
      'NS4013 without multipleOf: the fix names it',
      {
        given: unet('[H, W]'),
        want: [
          "11:73 NS4013 H must be a multiple of 4 for 'down2' (strides 2) to divide H/2 evenly, and for the skip at 'skip1' to line up | fix: declare `H: { multipleOf: 4 }` under `symbols:`",
          "11:73 NS4013 W must be a multiple of 4 for 'down2' (strides 2) to divide W/2 evenly, and for the skip at 'skip1' to line up | fix: declare `W: { multipleOf: 4 }` under `symbols:`",
        ],
      },
    ],
    [
      'NS4013 keeps the declared min in the fix',
      {
        given: spec('{ H: { min: 32 }, W: { multipleOf: 8 } }', image, ['{ type: maxPooling2d, poolSize: 8 }']),
        want: ["9:41 NS4013 H must be a multiple of 8 for 'maxPooling2d_1' (poolSize 8) to divide H evenly | fix: declare `H: { multipleOf: 8, min: 32 }` under `symbols:`"],
      },
    ],
    [
      'NS4013 for a size written as a fraction',
      {
        given: spec('{ H: {}, W: { multipleOf: 2 } }', '{ x: [H / 3, W, 3] }', ['{ type: activation, activation: relu }']),
        want: ["6:15 NS4013 H must be a multiple of 3 for input 'x' to have a whole size H/3 | fix: declare `H: { multipleOf: 3 }` under `symbols:`"],
      },
    ],
    [
      'NS4014: an offset no multipleOf can express gets its exact condition',
      {
        given: spec('{ L: { min: 2 } }', '{ x: [L, 1] }', ['{ type: conv1d, filters: 4, kernelSize: 2 }', '{ type: reshape, targetShape: [-1, 8] }']),
        want: [
          "10:39 NS4014 L - 1 must be a multiple of 2 for 'reshape_1' to reshape 4*L - 4 elements into [-1, 8], which holds only for some sizes (L = 3, 5, 7, ...); no multipleOf can express that | fix: write `2*L + 1` in place of `L` in the input shape, so that it always divides | note: another fix, to make by hand: remove the offset before the division (e.g. padding: same instead of valid)",
        ],
      },
    ],
    [
      'NS4003: H/4 and H/4 + 1 do not line up, and the message shows both',
      {
        given: spec(HW, '{ a: [H / 4, W, 3], b: [H / 4 + 1, W, 3] }', ['{ type: concatenate, from: [a, b] }']),
        want: ["9:40 NS4003 layer 'concatenate_1': concatenate along axis -1 needs equal spatial dims: [H/4, W] from 'a' vs [H/4 + 1, W] from 'b'"],
      },
    ],
    [
      'NS4004: empty at the smallest legal size, with the min that fixes every layer',
      {
        given: spec('{ H: { multipleOf: 4 }, W: { multipleOf: 4 } }', image, ['{ type: conv2d, filters: 2, kernelSize: 5 }', '{ type: conv2d, filters: 2, kernelSize: 5 }']),
        want: [
          "9:17 NS4004 layer 'conv2d_1' would be empty at the smallest sizes the symbols allow: [null, H - 4, W - 4, 2] is [null, 0, 0, 2] at H = 4, W = 4 | fix: declare `H: { multipleOf: 4, min: 12 }` and `W: { multipleOf: 4, min: 12 }` under `symbols:` | note: another fix, to make by hand: use padding: same",
        ],
      },
    ],
    [
      'NS4015: flatten of a symbolic size, which tfjs cannot build either',
      {
        given: spec(HW, image, ['{ type: conv2d, filters: 2, kernelSize: 16, strides: 16 }', '{ type: flatten }']),
        want: [
          "10:17 NS4015 layer 'flatten_1': flatten needs every non-batch dimension known, as tfjs does; received [null, H/16, W/16, 2] from 'conv2d_1', where H/16 depends on a symbol | fix: use globalAveragePooling (its size does not depend on the input size) | note: another fix, to make by hand: give the input a fixed size",
        ],
      },
    ],
    [
      'NS4015: weights over a symbolic axis',
      {
        given: spec('[C]', '{ x: [8, 8, C] }', ['{ type: conv2d, filters: 2, kernelSize: 3 }']),
        want: [
          "9:17 NS4015 layer 'conv2d_1': conv2d needs a fixed channel dimension to create its weights; received [null, 8, 8, C] from 'x', whose channels C depend on a symbol | note: give the channel axis a fixed size; only spatial sizes may be symbolic",
        ],
      },
    ],
    [
      'NS4015: a fixed reshape target',
      {
        given: spec(HW, '{ x: [H, 4] }', ['{ type: reshape, targetShape: [64] }']),
        want: ["9:39 NS4015 layer 'reshape_1': cannot reshape [null, H, 4] into the fixed [64]: the input has 4*H elements per sample, which depends on a symbol | note: write -1 for the entry that takes the symbolic size, e.g. [-1, 64]"],
      },
    ],
    [
      'NS4015: outputShape over a symbolic input',
      {
        given: spec(HW, image, ['{ type: conv2dTranspose, filters: 2, kernelSize: 4, strides: 2, outputShape: [32, 32] }']),
        want: [
          "9:86 NS4015 layer 'conv2dTranspose_1': outputShape[0] = 32 fixes a size, but the input length H depends on a symbol: the legal outputShape would change with it | note: remove outputShape, and choose among the sizes the input allows with padding and outputPadding",
        ],
      },
    ],
    [
      'NS3002: a misspelled symbol',
      { given: spec(HW, '{ x: [Hh, W, 3] }', ['{ type: activation, activation: relu }']), want: ["6:19 NS3002 unknown name 'Hh' in 'Hh' | fix: did you mean 'H'?"] },
    ],
    [
      'NS3002: a symbol used but not declared',
      {
        given: spec('{ W: {} }', '{ x: [Height, W, 3] }', ['{ type: activation, activation: relu }']),
        want: ["6:19 NS3002 unknown name 'Height' in 'Height' | note: declare it under `symbols:` for a size chosen at run time (`symbols: { Height: {} }`), or under `params:` for a fixed one; known names: nf, W"],
      },
    ],
    [
      'NS3025: a symbol and a param of one name',
      {
        given: spec('{ nf: {} }', '{ x: [nf, 3] }', ['{ type: activation, activation: relu }']),
        want: ["3:12 NS3025 'nf' is both a symbol and a param: a size chosen at run time cannot also be a fixed number | note: rename one of the two: a param where the size is fixed, a symbol where it varies"],
      },
    ],
    [
      'NS3026: a symbol in a layer option',
      {
        given: spec(HW, image, ['{ type: conv2d, filters: H, kernelSize: 3 }']),
        want: ["9:34 NS3026 'H' in 'H' is a symbol, a size chosen at run time; symbols stand only in the shapes of inputs and outputs | note: use a number or a param here; netspec infers every other size from the inputs"],
      },
    ],
    [
      'NS3027: a product of symbols',
      {
        given: spec(HW, '{ x: [H * W, 3] }', ['{ type: activation, activation: relu }']),
        want: ["6:19 NS3027 dimension 'H * W' is not affine in the symbols: H * W multiplies symbols; a symbol can only be multiplied by a number"],
      },
    ],
    [
      'NS3027: floor division of a symbol',
      {
        given: spec(HW, '{ x: [H // 2, 3] }', ['{ type: activation, activation: relu }']),
        want: ["6:19 NS3027 dimension 'H // 2' is not affine in the symbols: '//' rounds down; write '/' (netspec then checks that the size divides)"],
      },
    ],
  ];
  test.each(table)('%s', (_, { given, want }) => expect(run(given).reports).toEqual(want));

  test('the legal U-Net has no diagnostics', () => expect(run(unet('{ H: { multipleOf: 4 }, W: { multipleOf: 4 } }')).reports).toEqual([]));

  test("NS4014's rewrite of the input removes the error", () => {
    const fixed = spec('{ L: { min: 2 } }', '{ x: [2 * L + 1, 1] }', ['{ type: conv1d, filters: 4, kernelSize: 2 }', '{ type: reshape, targetShape: [-1, 8] }']);
    expect(run(fixed).reports).toEqual([]);
    expect(showShape(run(fixed).result.models[0]!.layers[1]!.outputShape)).toBe('[null, L, 8]');
  });
});

describe('output', () => {
  const text = unet('{ H: { multipleOf: 4 }, W: { multipleOf: 4 } }');
  const { result } = run(text);
  const m = result.models[0]!;

  test('check --format json prints symbolic dims as strings', () => {
    const json = JSON.parse(checkJson([], [m], new Locator(new Map([[file, text]])))) as { models: { inputs: { shape: unknown }[]; layers: { id: string; outputShape: unknown; macs: unknown }[] }[] };
    expect(json.models[0]!.inputs[0]!.shape).toEqual([null, 'H', 'W', 3]);
    expect(json.models[0]!.layers.map((l) => [l.id, l.outputShape, l.macs])).toEqual([
      ['stem', [null, 'H', 'W', 8], null],
      ['down1', [null, 'H/2', 'W/2', 8], null],
      ['down2', [null, 'H/4', 'W/4', 8], null],
      ['up2', [null, 'H/2', 'W/2', 8], null],
      ['skip1', [null, 'H/2', 'W/2', 16], 0],
      ['up1', [null, 'H', 'W', 8], null],
    ]);
  });

  test('summary shows the expressions; parameters stay exact', () => {
    expect(summaryText(m)).toBe(
      [
        'specs/s.yaml: model m',
        '  layer  type             output shape          params  MACs',
        '  ----------------------------------------------------------',
        '  x      input            [null, H, W, 3]            0     0',
        '  stem   conv2d           [null, H, W, 8]          224     ?',
        '  down1  conv2d           [null, H/2, W/2, 8]    1,032     ?',
        '  down2  conv2d           [null, H/4, W/4, 8]    1,032     ?',
        '  up2    conv2dTranspose  [null, H/2, W/2, 8]    1,032     ?',
        '  skip1  concatenate      [null, H/2, W/2, 16]       0     0',
        '  up1    conv2dTranspose  [null, H, W, 8]        2,056     ?',
        '  ----------------------------------------------------------',
        '  total                                          5,376     ?',
        '  trainable 5,376, non-trainable 0; MACs per sample',
        '',
      ].join('\n'),
    );
  });

  test('generated shape constants and inputs use null for symbolic dims', () => {
    const text = compile([{ path: file, text: unet('{ H: { multipleOf: 4 }, W: { multipleOf: 4 } }') }]).modules[0]!.text;
    expect(text).toContain('export const mInputShapes = [[null, null, null, 3]] as const;');
    expect(text).toContain('export const mOutputShapes = [[null, null, null, 8]] as const;');
    expect(text).toContain("tf.input({ name: 'x', shape: [null, null, 3] })");
    expect(text).toContain('Sizes chosen at run time are null: x is [null, H, W, 3] (H a multiple of 4; W a multiple of 4).');
  });
});

/** The gallery's symbolic U-Net, through tfjs on the cpu backend, every layer at two sizes. */
describe('specs/unet-symbolic.yaml runs at every legal size', () => {
  const source = { path: 'specs/unet-symbolic.yaml', text: readFileSync(new URL('../../specs/unet-symbolic.yaml', import.meta.url), 'utf8') };
  const compiled = compile([source]);
  let model: tf.LayersModel;
  let inferred: ModelShapes;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    expect(compiled.diagnostics).toEqual([]);
    inferred = compiled.models[0]!;
    const module = (await import('../../generated/unetSymbolic.ts')) as { buildUnet: () => tf.LayersModel };
    model = module.buildUnet();
  });

  const at = (shape: Shape, sizes: Record<string, number>) => shape.map((d) => (isAffine(d) ? evaluateAffine(d, (s) => sizes[s]!) : (d ?? 2)));

  test.each([
    ['16x16', { H: 16, W: 16 }],
    ['32x24', { H: 32, W: 24 }],
  ])('%s: every layer of a real predict has the shape its expression gives', (_, sizes) => {
    const probe = tf.model({ inputs: model.inputs, outputs: inferred.layers.map((l) => model.getLayer(l.layer.id).output as tf.SymbolicTensor) });
    const x = tf.zeros(at(inferred.inputs[0]!.shape, sizes));
    const shapes = tf.tidy(() => (probe.predict(x) as tf.Tensor[]).map((t) => t.shape));
    x.dispose();
    expect(shapes).toEqual(inferred.layers.map((l) => at(l.outputShape, sizes)));
    expect(shapes[shapes.length - 1]).toEqual([2, sizes.H, sizes.W, 2]);
  });

  test('parameters are exact whatever the size', () => expect(model.countParams()).toBe(inferred.params.trainable + inferred.params.nonTrainable));
});

/** A config as generated code writes it, turned into the value that code evaluates to. */
function evaluate(code: Code): unknown {
  if (code instanceof Call) {
    const fn = code.callee.split('.').slice(1).reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], tf) as (...args: unknown[]) => unknown;
    return fn(...code.args.map(evaluate));
  }
  if (code instanceof Ident) throw new Error(`unexpected identifier ${code.name}`);
  if (Array.isArray(code)) return code.map(evaluate);
  if (code !== null && typeof code === 'object') return Object.fromEntries(Object.entries(code).map(([k, v]) => [k, v === undefined ? undefined : evaluate(v)]));
  return code;
}

/** The runtime layers (tfjs has no 1D transposed convolution, upsampling, padding or cropping) on a symbolic length. */
describe('a 1D chain of runtime and native layers runs at two lengths', () => {
  const text = spec('{ L: { multipleOf: 8 } }', '{ x: [L, 2] }', [
    '{ type: conv1d, filters: 4, kernelSize: 3, strides: 2, padding: same }',
    '{ type: maxPooling1d, poolSize: 2 }',
    '{ type: conv1dTranspose, filters: 3, kernelSize: 5, strides: 4, padding: valid, outputPadding: 1 }',
    '{ type: upSampling1d, size: 3 }',
    '{ type: zeroPadding1d, padding: [2, 1] }',
    '{ type: cropping1d, cropping: [1, 4] }',
    '{ type: conv1d, filters: 2, kernelSize: 4 }',
  ]);
  const { result, reports } = run(text);

  test('inferred', () => {
    expect(reports).toEqual([]);
    expect(result.models[0]!.layers.map((l) => showShape(l.outputShape))).toEqual([
      '[null, L/2, 4]',
      '[null, L/4, 4]',
      '[null, L + 2, 3]',
      '[null, 3*L + 6, 3]',
      '[null, 3*L + 9, 3]',
      '[null, 3*L + 4, 3]',
      '[null, 3*L + 1, 2]',
    ]);
  });

  test.each([8, 40])('L = %i: every layer computes the shape its expression gives', async (L) => {
    await tf.setBackend('cpu');
    const m = result.models[0]!;
    const x = tf.input({ shape: [null, 2] });
    let y: tf.SymbolicTensor = x;
    const outputs: tf.SymbolicTensor[] = [];
    for (const shapes of m.layers) {
      const factory = factoryOf(shapes);
      const table = (factory.source === 'tf' ? tf.layers : runtime) as unknown as Record<string, (config: unknown) => tf.layers.Layer>;
      y = table[factory.name]!(evaluate(layerConfig(shapes, factory))).apply(y) as tf.SymbolicTensor;
      outputs.push(y);
    }
    const probe = tf.model({ inputs: x, outputs });
    const input = tf.zeros([1, L, 2]);
    const shapes = tf.tidy(() => (probe.predict(input) as tf.Tensor[]).map((t) => t.shape));
    input.dispose();
    expect(shapes).toEqual(m.layers.map((l) => l.outputShape.map((d) => (isAffine(d) ? evaluateAffine(d, () => L) : (d ?? 1)))));
  });
});
