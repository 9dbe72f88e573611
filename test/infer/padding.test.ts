/**
 * Shape rules of the padding family: reflectionPadding1d/2d/3d, explicit
 * `[begin, end]` pads (PyTorch meaning) and `paddingMode: reflect` on the
 * convolutions, explicit pads on pooling, causal and channelsFirst conv1d,
 * and the located errors for pads the input cannot hold; then reflection
 * bounds on symbolic sizes through `check`.
 */
import { describe, expect, test } from 'vitest';
import { Locator } from '../../src/diagnostics/location.js';
import { showShape } from '../../src/diagnostics/describe.js';
import { check as checkSpec } from '../../src/index.js';
import { check, type Case } from './helpers.js';

type TypedCase = [string, Case[1] & { type: string }];

const tooShort = (pad: string, axis: number, length: number) =>
  `reflection padding ${pad} on spatial axis ${axis} must be shorter than the axis, which has length ${length} (PyTorch's ReflectionPad and tf.mirrorPad require padding < input size)`;

describe('reflectionPadding', () => {
  const table: TypedCase[] = [
    ['1d default 1', { type: 'reflectionPadding1d', given: { input: [null, 5, 2] }, want: { shape: [null, 7, 2], macs: 0 } }],
    ['1d [begin, end]', { type: 'reflectionPadding1d', given: { args: { padding: [2, 1] }, input: [null, 5, 2] }, want: { shape: [null, 8, 2] } }],
    ['1d channelsFirst', { type: 'reflectionPadding1d', given: { args: { padding: 2, dataFormat: 'channelsFirst' }, input: [null, 2, 5] }, want: { shape: [null, 2, 9] } }],
    ['1d pad = length - 1 is the most there is', { type: 'reflectionPadding1d', given: { args: { padding: 4 }, input: [null, 5, 1] }, want: { shape: [null, 13, 1] } }],
    ['1d unknown length is checked at run time', { type: 'reflectionPadding1d', given: { args: { padding: 3 }, input: [null, null, 2] }, want: { shape: [null, null, 2] } }],
    ['2d pairs', { type: 'reflectionPadding2d', given: { args: { padding: [[1, 0], [0, 2]] }, input: [null, 4, 3, 2] }, want: { shape: [null, 5, 5, 2] } }],
    ['2d int and pair mixed', { type: 'reflectionPadding2d', given: { args: { padding: [1, [0, 2]] }, input: [null, 4, 3, 2] }, want: { shape: [null, 6, 5, 2] } }],
    ['2d channelsFirst', { type: 'reflectionPadding2d', given: { args: { padding: 2, dataFormat: 'channelsFirst' }, input: [null, 2, 4, 4] }, want: { shape: [null, 2, 8, 8] } }],
    ['3d mixed', { type: 'reflectionPadding3d', given: { args: { padding: [[1, 0], 1, [0, 2]] }, input: [null, 3, 3, 4, 1] }, want: { shape: [null, 4, 5, 6, 1] } }],
    ['3d channelsFirst', { type: 'reflectionPadding3d', given: { args: { padding: [1, 2, 0], dataFormat: 'channelsFirst' }, input: [null, 1, 3, 3, 3] }, want: { shape: [null, 1, 5, 7, 3] } }],
    ['1d pad = length', { type: 'reflectionPadding1d', given: { args: { padding: [0, 5] }, input: [null, 5, 1] }, want: { code: 'NS4009', message: tooShort('[0, 5]', 0, 5), option: 'padding' } }],
    ['1d length 1', { type: 'reflectionPadding1d', given: { input: [null, 1, 2] }, want: { code: 'NS4009', message: tooShort('[1, 1]', 0, 1), option: 'padding' } }],
    ['2d too long on cols', { type: 'reflectionPadding2d', given: { args: { padding: [[1, 0], [0, 3]] }, input: [null, 4, 3, 2] }, want: { code: 'NS4009', message: tooShort('[0, 3]', 1, 3), option: 'padding' } }],
    [
      '2d rank 3 input',
      { type: 'reflectionPadding2d', given: { input: [null, 4, 3] }, want: { code: 'NS4001', message: "reflectionPadding2d expects rank 4 input [batch, rows, cols, channels], received rank 3 [null, 4, 3] from 'x'" } },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('convolutions: explicit pads, paddingMode, causal and channelsFirst conv1d', () => {
  const k3 = (inC: number, f: number, rank = 2): [string, number[]][] => [
    ['kernel', [...new Array<number>(rank).fill(3), inC, f]],
    ['bias', [f]],
  ];
  const table: TypedCase[] = [
    // PyTorch Conv2d(2, 3, 3, padding=1): the output keeps the size.
    ['conv2d [[1, 1], [1, 1]] is Conv2d(padding=1)', { type: 'conv2d', given: { args: { filters: 3, kernelSize: 3, padding: [[1, 1], [1, 1]] }, input: [null, 5, 6, 2] }, want: { shape: [null, 5, 6, 3], weights: k3(2, 3), macs: 5 * 6 * 9 * 2 * 3 } }],
    ['conv2d uneven pairs', { type: 'conv2d', given: { args: { filters: 3, kernelSize: 3, padding: [[1, 1], [2, 0]] }, input: [null, 5, 5, 2] }, want: { shape: [null, 5, 5, 3], weights: k3(2, 3), macs: 1350 } }],
    // floor((7 + 1 + 2 - 3) / 2) + 1 = 4
    ['conv1d pair with stride 2 (PyTorch floor rule)', { type: 'conv1d', given: { args: { filters: 2, kernelSize: 3, strides: 2, padding: [[1, 2]] }, input: [null, 7, 1] }, want: { shape: [null, 4, 2], weights: k3(1, 2, 1) } }],
    ['conv3d pairs channelsFirst', { type: 'conv3d', given: { args: { filters: 2, kernelSize: 2, padding: [[1, 0], [0, 1], [1, 1]], dataFormat: 'channelsFirst' }, input: [null, 1, 3, 3, 4] }, want: { shape: [null, 2, 3, 3, 5], weights: [['kernel', [2, 2, 2, 1, 2]], ['bias', [2]]] } }],
    ['conv2d reflect pairs', { type: 'conv2d', given: { args: { filters: 3, kernelSize: 3, padding: [[1, 1], [1, 1]], paddingMode: 'reflect' }, input: [null, 2, 5, 2] }, want: { shape: [null, 2, 5, 3], weights: k3(2, 3) } }],
    ['conv2d reflect same', { type: 'conv2d', given: { args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', paddingMode: 'reflect' }, input: [null, 5, 6, 1] }, want: { shape: [null, 3, 3, 2], weights: [['kernel', [3, 3, 1, 2]], ['bias', [2]]] } }],
    ['conv2d reflect valid pads nothing', { type: 'conv2d', given: { args: { filters: 2, kernelSize: 1, paddingMode: 'reflect' }, input: [null, 1, 1, 1] }, want: { shape: [null, 1, 1, 2], weights: [['kernel', [1, 1, 1, 2]], ['bias', [2]]] } }],
    ['conv1d causal dilated', { type: 'conv1d', given: { args: { filters: 3, kernelSize: 3, dilationRate: 2, padding: 'causal' }, input: [null, 7, 2] }, want: { shape: [null, 7, 3], weights: k3(2, 3, 1), macs: 126 } }],
    ['conv1d causal stride 2', { type: 'conv1d', given: { args: { filters: 1, kernelSize: 3, strides: 2, padding: 'causal' }, input: [null, 7, 2] }, want: { shape: [null, 4, 1], weights: k3(2, 1, 1) } }],
    ['conv1d channelsFirst same', { type: 'conv1d', given: { args: { filters: 3, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst' }, input: [null, 2, 6] }, want: { shape: [null, 3, 6], weights: k3(2, 3, 1), macs: 108 } }],
    ['conv1d channelsFirst causal', { type: 'conv1d', given: { args: { filters: 3, kernelSize: 2, padding: 'causal', dataFormat: 'channelsFirst' }, input: [null, 2, 6] }, want: { shape: [null, 3, 6], weights: [['kernel', [2, 2, 3]], ['bias', [3]]] } }],
    ['conv2d reflect pad as long as the axis', { type: 'conv2d', given: { args: { filters: 3, kernelSize: 3, padding: [[1, 1], [1, 1]], paddingMode: 'reflect' }, input: [null, 1, 5, 2] }, want: { code: 'NS4009', message: tooShort('[1, 1]', 0, 1), option: 'padding' } }],
    ['conv2d reflect same too wide', { type: 'conv2d', given: { args: { filters: 2, kernelSize: 5, padding: 'same', paddingMode: 'reflect' }, input: [null, 2, 6, 1] }, want: { code: 'NS4009', message: tooShort('[2, 2]', 0, 2), option: 'padding' } }],
    ['conv1d reflect causal too long', { type: 'conv1d', given: { args: { filters: 3, kernelSize: 3, padding: 'causal', paddingMode: 'reflect' }, input: [null, 2, 2] }, want: { code: 'NS4009', message: tooShort('[2, 0]', 0, 2), option: 'padding' } }],
    [
      'conv2d pairs that leave no output',
      {
        type: 'conv2d',
        given: { args: { filters: 1, kernelSize: 5, padding: [[0, 1], [0, 0]] }, input: [null, 3, 8, 1] },
        want: { code: 'NS4004', message: "conv2d would produce an empty output: spatial axis 0 has length 0 (input 3, kernel 5, stride 1, padding [0, 1])" },
      },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('pooling: explicit pads (PyTorch MaxPool/AvgPool padding)', () => {
  const table: TypedCase[] = [
    // PyTorch MaxPool2d(3, 2, padding=1) on 5x5: floor((5 + 2 - 3) / 2) + 1 = 3
    ['maxPooling2d [[1, 1], [1, 1]] stride 2', { type: 'maxPooling2d', given: { args: { poolSize: 3, strides: 2, padding: [[1, 1], [1, 1]] }, input: [null, 5, 5, 2] }, want: { shape: [null, 3, 3, 2], macs: 0 } }],
    ['averagePooling1d [[1, 1]]', { type: 'averagePooling1d', given: { args: { poolSize: 2, padding: [[1, 1]] }, input: [null, 5, 2] }, want: { shape: [null, 3, 2] } }],
    ['maxPooling3d channelsFirst', { type: 'maxPooling3d', given: { args: { poolSize: 2, padding: [[1, 0], [0, 1], [1, 1]], dataFormat: 'channelsFirst' }, input: [null, 1, 3, 3, 4] }, want: { shape: [null, 1, 2, 2, 3] } }],
    [
      'a pad of more than half the window',
      {
        type: 'maxPooling2d',
        given: { args: { poolSize: 3, strides: 2, padding: [[1, 1], [2, 0]] }, input: [null, 5, 5, 2] },
        want: { code: 'NS4009', message: 'padding [2, 0] on spatial axis 1 is more than half the window (poolSize 3): PyTorch allows at most 1, since a larger pad makes windows that see only padding', option: 'padding' },
      },
    ],
    [
      'a window of 1 takes no pad',
      {
        type: 'averagePooling1d',
        given: { args: { poolSize: 1, padding: [[0, 1]] }, input: [null, 5, 2] },
        want: { code: 'NS4009', message: 'padding [0, 1] on spatial axis 0 is more than half the window (poolSize 1): PyTorch allows at most 0, since a larger pad makes windows that see only padding', option: 'padding' },
      },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('softmax on any axis and elu with any alpha keep the shape', () => {
  const table: TypedCase[] = [
    ['softmax axis 1 of rank 3', { type: 'softmax', given: { args: { axis: 1 }, input: [null, 5, 2] }, want: { shape: [null, 5, 2], macs: 0 } }],
    ['softmax axis -2 of rank 4', { type: 'softmax', given: { args: { axis: -2 }, input: [null, 3, 5, 2] }, want: { shape: [null, 3, 5, 2] } }],
    ['elu alpha 0.5', { type: 'elu', given: { args: { alpha: 0.5 }, input: [null, 5, 2] }, want: { shape: [null, 5, 2] } }],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('reflection on symbolic sizes: a bound checked at the smallest sizes the symbols allow', () => {
  const file = 'specs/s.yaml';
  const spec = (symbols: string, layers: readonly string[]) =>
    ['netspec: 1', `symbols: ${symbols}`, 'models:', '  m:', '    inputs: { x: [L, 2] }', '    layers:', ...layers.map((l) => `      - ${l}`)].join('\n') + '\n';
  function run(text: string) {
    const result = checkSpec([{ path: file, text }]);
    const locator = new Locator(new Map([[file, text]]));
    const reports = result.diagnostics
      .filter((d) => !d.code.startsWith('NS5'))
      .map((d) => {
        const at = d.span ? locator.locate(d.span) : undefined;
        return `${at ? `${at.line}:${at.column} ` : ''}${d.code} ${d.message}${d.fix ? ` | fix: ${d.fix}` : ''}`;
      });
    return { result, reports };
  }
  const pad2 = '{ type: reflectionPadding1d, padding: 2 }';
  const convReflect = '{ type: conv1d, filters: 2, kernelSize: 3, padding: [[3, 0]], paddingMode: reflect }';

  test('a length the symbols allow to be too short is reported at the padding, with the min that fixes it', () => {
    expect(run(spec('{ L: { min: 2 } }', [pad2, convReflect])).reports).toEqual([
      "7:47 NS4009 L must be at least 3 for 'reflectionPadding1d_1' to reflect 2 positions on spatial axis 0 (reflection padding must be shorter than the axis), but the symbols allow 2 (at L = 2) | fix: declare `L: { min: 3 }` under `symbols:`",
    ]);
  });

  test('the same model with a large enough min compiles, and the sizes stay symbolic', () => {
    const { result, reports } = run(spec('{ L: { min: 3 } }', [pad2, convReflect]));
    expect(reports).toEqual([]);
    expect(result.models[0]!.layers.map((l) => showShape(l.outputShape))).toEqual(['[null, L + 4, 2]', '[null, L + 5, 2]']);
  });

  test('a later layer whose padded input is long enough at the smallest size is not reported', () => {
    expect(run(spec('{ L: { min: 3 } }', [pad2, '{ type: reflectionPadding1d, padding: 6 }'])).reports).toEqual([]);
    expect(run(spec('{ L: { min: 3 } }', [pad2, '{ type: reflectionPadding1d, padding: 7 }'])).reports).toEqual([
      "8:47 NS4009 L + 4 must be at least 8 for 'reflectionPadding1d_2' to reflect 7 positions on spatial axis 0 (reflection padding must be shorter than the axis), but the symbols allow 7 (at L = 3) | fix: declare `L: { min: 4 }` under `symbols:`",
    ]);
  });
});
