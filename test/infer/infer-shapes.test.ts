import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { LayerIR, SpecIR } from '../../src/ir.js';
import { inferModel, inferShapes } from '../../src/infer/infer-shapes.js';
import { input, layer, model, output, span } from './helpers.js';

/** Layer n gets spans from n * 1000 on, so every span in a model is distinct. */
function layers(...defs: [id: string, type: string, args: LayerIR['args'], from: string[]][]): LayerIR[] {
  return defs.map(([id, type, args, from], n) => layer(type, args, from, id, (n + 1) * 1000));
}

function brief(d: Diagnostic): { code: string; message: string; start: number | undefined } {
  return { code: d.code, message: d.message, start: d.span?.start };
}

const dcgan = layers(
  ['project', 'dense', { units: 128, useBias: false }, ['z']],
  ['seed', 'reshape', { targetShape: [4, 4, 8] }, ['project']],
  ['bn', 'batchNormalization', {}, ['seed']],
  ['relu', 'activation', { activation: 'relu' }, ['bn']],
  ['image', 'conv2dTranspose', { filters: 3, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' }, ['relu']],
);

describe('inferModel', () => {
  test('a small DCGAN generator: shapes, parameter counts and MACs', () => {
    const result = inferModel('g.yaml', model([input('z', [100])], dcgan, [output('image', [8, 8, 3])]));
    expect(result.diagnostics).toEqual([]);
    const value = result.value!;
    expect(value.file).toBe('g.yaml');
    expect(value.inputs).toEqual([{ name: 'z', shape: [null, 100] }]);
    expect(value.outputs).toEqual([{ name: 'image', shape: [null, 8, 8, 3] }]);
    expect(value.layers.map((l) => [l.layer.id, l.inputShapes, l.outputShape, l.macs])).toEqual([
      ['project', [[null, 100]], [null, 128], 12800],
      ['seed', [[null, 128]], [null, 4, 4, 8], 0],
      ['bn', [[null, 4, 4, 8]], [null, 4, 4, 8], 0],
      ['relu', [[null, 4, 4, 8]], [null, 4, 4, 8], 0],
      ['image', [[null, 4, 4, 8]], [null, 8, 8, 3], 9600],
    ]);
    // dense 100*128; bn gamma+beta 16 (+16 moving); conv2dTranspose 5*5*3*8 + 3.
    expect(value.params).toEqual({ trainable: 12800 + 16 + 603, nonTrainable: 16 });
    expect(value.macs).toBe(22400);
  });

  test('an input batchSize flows through every shape', () => {
    const result = inferModel('g.yaml', model([input('z', [100], 16)], dcgan));
    expect(result.value!.layers.map((l) => l.outputShape)).toEqual([
      [16, 128],
      [16, 4, 4, 8],
      [16, 4, 4, 8],
      [16, 4, 4, 8],
      [16, 8, 8, 3],
    ]);
    expect(result.value!.inputs).toEqual([{ name: 'z', shape: [16, 100] }]);
  });

  test('trainable: false freezes every weight of the layer', () => {
    const m = model(
      [input('x', [10])],
      layers(['frozen', 'dense', { units: 4, trainable: false }, ['x']], ['bnFrozen', 'batchNormalization', { trainable: false }, ['frozen']], ['head', 'dense', { units: 2 }, ['bnFrozen']]),
    );
    const value = inferModel('f.yaml', m).value!;
    expect(value.layers.map((l) => l.weights.map((w) => [w.name, w.trainable]))).toEqual([
      [
        ['kernel', false],
        ['bias', false],
      ],
      [
        ['gamma', false],
        ['beta', false],
        ['moving_mean', false],
        ['moving_variance', false],
      ],
      [
        ['kernel', true],
        ['bias', true],
      ],
    ]);
    expect(value.params).toEqual({ trainable: 4 * 2 + 2, nonTrainable: 10 * 4 + 4 + 4 * 4 });
  });

  test('trainable: true changes nothing', () => {
    const value = inferModel('f.yaml', model([input('x', [10])], layers(['d', 'dense', { units: 4, trainable: true }, ['x']]))).value!;
    expect(value.params).toEqual({ trainable: 44, nonTrainable: 0 });
  });

  test('MACs are unknown when a dimension is', () => {
    const value = inferModel('u.yaml', model([input('x', [null, null, 3])], layers(['c', 'conv2d', { filters: 2, kernelSize: 3, padding: 'same' }, ['x']]))).value!;
    expect(value.layers[0]!.macs).toBeNull();
    expect(value.macs).toBeNull();
    expect(value.params).toEqual({ trainable: 3 * 3 * 3 * 2 + 2, nonTrainable: 0 });
  });

  test('a skip connection reads an earlier layer', () => {
    const m = model(
      [input('x', [8, 8, 3])],
      layers(['a', 'conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, ['x']], ['b', 'conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, ['a']], ['sum', 'add', {}, ['a', 'b']], ['cat', 'concatenate', {}, ['x', 'sum']]),
    );
    const value = inferModel('s.yaml', m).value!;
    expect(value.layers.map((l) => l.outputShape)).toEqual([
      [null, 8, 8, 4],
      [null, 8, 8, 4],
      [null, 8, 8, 4],
      [null, 8, 8, 7],
    ]);
    expect(value.layers[3]!.inputShapes).toEqual([
      [null, 8, 8, 3],
      [null, 8, 8, 4],
    ]);
  });
});

describe('inferModel diagnostics', () => {
  const table: [string, { given: { inputs: ReturnType<typeof input>[]; layers: LayerIR[]; outputs?: ReturnType<typeof output>[] }; want: ReturnType<typeof brief>[] }][] = [
    [
      'output assertion mismatch, at the asserted shape',
      {
        given: { inputs: [input('z', [100])], layers: dcgan, outputs: [output('image', [16, 16, 3])] },
        want: [{ code: 'NS4006', message: "output 'image' is asserted as [null, 16, 16, 3] but inferred as [null, 8, 8, 3]", start: 950 }],
      },
    ],
    [
      'output assertion of the wrong rank',
      { given: { inputs: [input('z', [100])], layers: dcgan, outputs: [output('image', [192])] }, want: [{ code: 'NS4006', message: "output 'image' is asserted as [null, 192] but inferred as [null, 8, 8, 3]", start: 950 }] },
    ],
    ['output assertion with unknown dims matches', { given: { inputs: [input('z', [100])], layers: dcgan, outputs: [output('image', [null, 8, null])] }, want: [] }],
    [
      'an unknown inferred dim does not satisfy a known assertion',
      {
        given: { inputs: [input('x', [null, 3])], layers: layers(['d', 'dense', { units: 2 }, ['x']]), outputs: [output('d', [5, 2])] },
        want: [{ code: 'NS4006', message: "output 'd' is asserted as [null, 5, 2] but inferred as [null, null, 2]", start: 950 }],
      },
    ],
    [
      'an error without an option points at the layer id; later layers reading it are skipped',
      {
        given: {
          inputs: [input('z', [100])],
          layers: layers(['c', 'conv2d', { filters: 2, kernelSize: 3 }, ['z']], ['f', 'flatten', {}, ['c']], ['d', 'dense', { units: 2 }, ['f']]),
          outputs: [output('d', [3])],
        },
        want: [{ code: 'NS4001', message: "layer 'c': conv2d expects rank 4 input [batch, rows, cols, channels], received rank 2 [null, 100] from 'z'", start: 1012 }],
      },
    ],
    [
      'a merge reading a failed layer is skipped too',
      {
        given: {
          inputs: [input('x', [4, 4, 3])],
          layers: layers(['bad', 'cropping2d', { cropping: 2 }, ['x']], ['good', 'conv2d', { filters: 3, kernelSize: 1 }, ['x']], ['sum', 'add', {}, ['bad', 'good']]),
        },
        want: [{ code: 'NS4004', message: "layer 'bad': cropping2d would produce an empty output: spatial axis 0 has length 0 (input 4, cropping [2, 2])", start: 1100 }],
      },
    ],
    [
      'independent errors are all reported, each at its option',
      {
        given: {
          inputs: [input('x', [10])],
          layers: layers(['r', 'reshape', { targetShape: [3, 3] }, ['x']], ['ok', 'dense', { units: 2 }, ['x']], ['s', 'softmax', { axis: 0 }, ['ok']]),
        },
        want: [
          { code: 'NS4005', message: "layer 'r': cannot reshape [null, 10] (10 elements per sample) into [3, 3] (9 elements)", start: 1100 },
          { code: 'NS4009', message: "layer 's': axis 0 is the batch axis for input [null, 2] of rank 2; use 1..1 or -1..-1", start: 3100 },
        ],
      },
    ],
    [
      'an error about `from` points at the first reference',
      {
        given: { inputs: [input('x', [3])], layers: layers(['cat', 'concatenate', {}, ['x']]) },
        want: [{ code: 'NS4002', message: "layer 'cat': concatenate merges two or more tensors, received 1", start: 1050 }],
      },
    ],
    [
      'a layer type without a rule',
      { given: { inputs: [input('x', [3])], layers: layers(['sub', 'hologram', {}, ['x']]) }, want: [{ code: 'NS4010', message: "layer type 'hologram' has no shape rule yet", start: 1012 }] },
    ],
    ['inputShape that matches', { given: { inputs: [input('z', [100])], layers: layers(['d', 'dense', { units: 2, inputShape: [100] }, ['z']]) }, want: [] }],
    [
      'inputShape that does not match, at the option',
      {
        given: { inputs: [input('z', [100])], layers: layers(['d', 'dense', { units: 2, inputShape: [10] }, ['z']]) },
        want: [{ code: 'NS4006', message: "inputShape says the layer receives [null, 10], but it receives [null, 100] from 'z'", start: 1101 }],
      },
    ],
    ['inputShape with an unknown dim', { given: { inputs: [input('x', [7, 3])], layers: layers(['d', 'dense', { units: 2, inputShape: [null, 3] }, ['x']]) }, want: [] }],
    ['batchInputShape with unknown batch', { given: { inputs: [input('z', [100])], layers: layers(['d', 'dense', { units: 2, batchInputShape: [null, 100] }, ['z']]) }, want: [] }],
    ['batchInputShape with the input batch', { given: { inputs: [input('z', [100], 8)], layers: layers(['d', 'dense', { units: 2, batchInputShape: [8, 100] }, ['z']]) }, want: [] }],
    [
      'batchInputShape with a batch the input lacks',
      {
        given: { inputs: [input('z', [100])], layers: layers(['d', 'dense', { units: 2, batchInputShape: [8, 100] }, ['z']]) },
        want: [{ code: 'NS4006', message: "batchInputShape says the layer receives [8, 100], but it receives [null, 100] from 'z'", start: 1101 }],
      },
    ],
    ['batchSize equal to the input batch', { given: { inputs: [input('z', [100], 8)], layers: layers(['d', 'dense', { units: 2, batchSize: 8 }, ['z']]) }, want: [] }],
    [
      'batchSize the input does not have',
      {
        given: { inputs: [input('z', [100], 4)], layers: layers(['d', 'dense', { units: 2, batchSize: 8 }, ['z']]) },
        want: [{ code: 'NS4006', message: "batchSize says the layer receives [8, null], but it receives [4, 100] from 'z'", start: 1101 }],
      },
    ],
    [
      'inputShape is not checked on a layer that failed',
      {
        given: { inputs: [input('z', [100])], layers: layers(['c', 'conv2d', { filters: 2, kernelSize: 3, inputShape: [28, 28, 1] }, ['z']]) },
        want: [{ code: 'NS4001', message: "layer 'c': conv2d expects rank 4 input [batch, rows, cols, channels], received rank 2 [null, 100] from 'z'", start: 1012 }],
      },
    ],
  ];
  test.each(table)('%s', (_, { given, want }) => {
    const result = inferModel('m.yaml', model(given.inputs, given.layers, given.outputs));
    expect(result.diagnostics.map(brief)).toEqual(want);
    if (want.length > 0) expect(result.value).toBeUndefined();
    else expect(result.value).toBeDefined();
  });

  test('layers no output depends on are checked but left out of the model and its counts, as tf.model does', () => {
    const given = layers(['trunk', 'dense', { units: 4 }, ['z']], ['branch', 'dense', { units: 6 }, ['trunk']], ['leaf', 'dense', { units: 2 }, ['branch']], ['head', 'dense', { units: 1 }, ['trunk']]);
    const result = inferModel('m.yaml', model([input('z', [8])], given, [output('head')]));
    expect(result.value!.layers.map((l) => l.layer.id)).toEqual(['trunk', 'head']);
    expect(result.value!.params).toEqual({ trainable: 8 * 4 + 4 + 4 * 1 + 1, nonTrainable: 0 });
    const broken = layers(['trunk', 'dense', { units: 4 }, ['z']], ['leaf', 'reshape', { targetShape: [3] }, ['trunk']], ['head', 'dense', { units: 1 }, ['trunk']]);
    expect(inferModel('m.yaml', model([input('z', [8])], broken, [output('head')])).diagnostics.map((d) => d.code)).toEqual(['NS4005']);
  });

  test('a failed output assertion names the layer it came from in a note', () => {
    const [d] = inferModel('m.yaml', model([input('z', [100])], dcgan, [output('image', [16, 16, 3])])).diagnostics;
    expect(d!.notes[0]).toEqual({ message: 'shape [null, 8, 8, 3] comes from \'image\'', span: dcgan[4]!.idSpan });
    // 4x4 to 16x16 in one same-padded layer: the solver derives strides 4 from the length formula.
    expect(d!.notes.slice(1).map((n) => n.message)).toEqual(["set `strides: 4` on 'image': it then outputs [null, 16, 16, 3] and this error is gone (checked by re-inferring the model)"]);
    expect(d!.severity).toBe('error');
  });
});

describe('inferShapes', () => {
  test('lists every model that could be inferred, with the diagnostics of the others', () => {
    const good = model([input('z', [100])], dcgan, [output('image', [8, 8, 3])]);
    const bad = { ...model([input('x', [10])], layers(['f', 'flatten', {}, ['x']])), name: 'bad' };
    const spec: SpecIR = { file: 'two.yaml', name: 'two', nameSpan: span(0), sourceHash: '0'.repeat(64), params: [], lint: {}, models: [bad, good] };
    const result = inferShapes(spec);
    expect(result.value!.map((m) => [m.model.name, m.file])).toEqual([['m', 'two.yaml']]);
    expect(result.diagnostics.map(brief)).toEqual([{ code: 'NS4001', message: "layer 'f': flatten expects rank 3 or more, received rank 2 [null, 10] from 'x'; it is already flat", start: 1012 }]);
  });
});
