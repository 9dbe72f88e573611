import { describe, expect, test } from 'vitest';
import { Locator } from '../../src/diagnostics/location.js';
import { showShape } from '../../src/diagnostics/describe.js';
import { check as checkSpec } from '../../src/index.js';
import { check, type Case } from './helpers.js';

/** depthwise_kernel `[k..., C, m]`, bias `[C*m]`; MACs = output positions * prod(k) * C * m. */
describe('depthwiseConv2d', () => {
  const table: Case[] = [
    ['k3 on 32 channels, multiplier 1: 3*3*32 + 32 = 320', { given: { args: { kernelSize: 3, padding: 'same' }, input: [null, 8, 8, 32] }, want: { shape: [null, 8, 8, 32], weights: [['depthwise_kernel', [3, 3, 32, 1]], ['bias', [32]]], macs: 8 * 8 * 9 * 32 } }],
    ['multiplier 2 doubles the channels', { given: { args: { kernelSize: 3, depthMultiplier: 2 }, input: [null, 6, 7, 3] }, want: { shape: [null, 4, 5, 6], weights: [['depthwise_kernel', [3, 3, 3, 2]], ['bias', [6]]], macs: 4 * 5 * 9 * 6 } }],
    ['useBias: false', { given: { args: { kernelSize: [1, 3], useBias: false }, input: [null, 4, 4, 2] }, want: { shape: [null, 4, 2, 2], weights: [['depthwise_kernel', [1, 3, 2, 1]]], macs: 4 * 2 * 3 * 2 } }],
    ['same s=2 halves (ceil)', { given: { args: { kernelSize: 3, strides: 2, padding: 'same' }, input: [null, 7, 8, 4] }, want: { shape: [null, 4, 4, 4], weights: [['depthwise_kernel', [3, 3, 4, 1]], ['bias', [4]]], macs: 16 * 9 * 4 } }],
    ['dilation 2 (ek 5), which tfjs would drop', { given: { args: { kernelSize: 3, dilationRate: 2 }, input: [null, 9, 9, 1] }, want: { shape: [null, 5, 5, 1], weights: [['depthwise_kernel', [3, 3, 1, 1]], ['bias', [1]]], macs: 25 * 9 } }],
    ['channelsFirst', { given: { args: { kernelSize: 3, depthMultiplier: 3, dataFormat: 'channelsFirst' }, input: [null, 2, 5, 5] }, want: { shape: [null, 6, 3, 3], weights: [['depthwise_kernel', [3, 3, 2, 3]], ['bias', [6]]], macs: 9 * 9 * 6 } }],
    ['unknown spatial dims', { given: { args: { kernelSize: 3 }, input: [null, null, null, 3] }, want: { shape: [null, null, null, 3], weights: [['depthwise_kernel', [3, 3, 3, 1]], ['bias', [3]]], macs: null } }],
    ['stride with dilation', { given: { args: { kernelSize: 3, strides: 2, dilationRate: 2 }, input: [null, 16, 16, 3] }, want: { code: 'NS4009', message: 'strides 2 > 1 cannot be combined with dilationRate 2 > 1', option: 'dilationRate' } }],
    ['unknown channels', { given: { args: { kernelSize: 3 }, input: [null, 8, 8, null] }, want: { code: 'NS4007', message: "depthwiseConv2d needs a known channel dimension to create its weights; received [null, 8, 8, null] from 'x'" } }],
    ['rank 3 input', { given: { args: { kernelSize: 3 }, input: [null, 8, 3] }, want: { code: 'NS4001', message: "depthwiseConv2d expects rank 4 input [batch, rows, cols, channels], received rank 3 [null, 8, 3] from 'x'" } }],
    ['kernel larger than input', { given: { args: { kernelSize: 5 }, input: [null, 4, 8, 3] }, want: { code: 'NS4004', message: 'depthwiseConv2d would produce an empty output: spatial axis 0 has length 0 (input 4, kernel 5, stride 1, padding valid)', option: 'kernelSize' } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('depthwiseConv2d', given, want));
});

/** + pointwise_kernel `[1..., C*m, filters]`, bias `[filters]`; MACs = positions * (prod(k) * C*m + C*m * filters). */
describe('separableConv2d', () => {
  const table: Case[] = [
    [
      '32 -> 64, k3: 288 + 2048 + 64 = 2400',
      {
        given: { args: { filters: 64, kernelSize: 3, padding: 'same' }, input: [null, 8, 8, 32] },
        want: { shape: [null, 8, 8, 64], weights: [['depthwise_kernel', [3, 3, 32, 1]], ['pointwise_kernel', [1, 1, 32, 64]], ['bias', [64]]], macs: 64 * (288 + 2048) },
      },
    ],
    [
      'multiplier 2, valid, no bias',
      {
        given: { args: { filters: 5, kernelSize: [3, 2], depthMultiplier: 2, useBias: false }, input: [null, 5, 6, 3] },
        want: { shape: [null, 3, 5, 5], weights: [['depthwise_kernel', [3, 2, 3, 2]], ['pointwise_kernel', [1, 1, 6, 5]]], macs: 15 * (6 * 6 + 6 * 5) },
      },
    ],
    [
      'channelsFirst, strides 2',
      {
        given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst' }, input: [null, 2, 6, 6] },
        want: { shape: [null, 4, 3, 3], weights: [['depthwise_kernel', [3, 3, 2, 1]], ['pointwise_kernel', [1, 1, 2, 4]], ['bias', [4]]], macs: 9 * (18 + 8) },
      },
    ],
    ['stride with dilation', { given: { args: { filters: 4, kernelSize: 3, strides: [2, 1], dilationRate: [1, 2] }, input: [null, 16, 16, 3] }, want: { code: 'NS4009', message: 'strides [2, 1] > 1 cannot be combined with dilationRate [1, 2] > 1' } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('separableConv2d', given, want));
});

describe('separableConv1d', () => {
  const table: Case[] = [
    [
      'k5 same, 16 -> 32',
      {
        given: { args: { filters: 32, kernelSize: 5, padding: 'same' }, input: [null, 100, 16] },
        want: { shape: [null, 100, 32], weights: [['depthwise_kernel', [5, 16, 1]], ['pointwise_kernel', [1, 16, 32]], ['bias', [32]]], macs: 100 * (80 + 512) },
      },
    ],
    [
      'dilation 3, multiplier 2',
      {
        given: { args: { filters: 2, kernelSize: 3, dilationRate: 3, depthMultiplier: 2 }, input: [null, 9, 2] },
        want: { shape: [null, 3, 2], weights: [['depthwise_kernel', [3, 2, 2]], ['pointwise_kernel', [1, 4, 2]], ['bias', [2]]], macs: 3 * (12 + 8) },
      },
    ],
    ['channelsFirst', { given: { args: { filters: 3, kernelSize: 2, dataFormat: 'channelsFirst' }, input: [null, 4, 6] }, want: { shape: [null, 3, 5], weights: [['depthwise_kernel', [2, 4, 1]], ['pointwise_kernel', [1, 4, 3]], ['bias', [3]]], macs: 5 * (8 + 12) } }],
    ['rank 4 input', { given: { args: { filters: 3, kernelSize: 2 }, input: [null, 4, 4, 6] }, want: { code: 'NS4001', message: "separableConv1d expects rank 3 input [batch, steps, channels], received rank 4 [null, 4, 4, 6] from 'x'" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('separableConv1d', given, want));
});

const file = 'specs/m.yaml';

/** A one-model spec over symbols, one layer per line from line 7 on. */
function spec(symbols: string, inputs: string, layers: readonly string[]): string {
  return ['netspec: 1', `symbols: ${symbols}`, 'models:', '  m:', `    inputs: ${inputs}`, '    layers:', ...layers.map((l) => `      - ${l}`)].join('\n') + '\n';
}

function run(text: string): { shape?: string; reports: string[] } {
  const result = checkSpec([{ path: file, text }]);
  const locator = new Locator(new Map([[file, text]]));
  const reports = result.diagnostics.map((d) => `${d.span ? `${locator.locate(d.span).line}:${locator.locate(d.span).column} ` : ''}${d.code} ${d.message}`);
  const layers = result.models[0]?.layers;
  return { ...(layers ? { shape: showShape(layers[layers.length - 1]!.outputShape) } : {}), reports };
}

describe('symbolic sizes, through the whole pipeline (schema included)', () => {
  test.each([
    ['depthwise same keeps H and W', '[H, W]', '{ x: [H, W, 8] }', '{ type: depthwiseConv2d, kernelSize: 3, padding: same, depthMultiplier: 2 }', '[null, H, W, 16]'],
    ['depthwise valid shrinks by ek - 1', '{ H: { min: 5 }, W: { min: 5 } }', '{ x: [H, W, 8] }', '{ type: depthwiseConv2d, kernelSize: 3, dilationRate: 2 }', '[null, H - 4, W - 4, 8]'],
    ['separable same s=2 halves multiples of 2', '{ H: { multipleOf: 2 }, W: { multipleOf: 2 } }', '{ x: [H, W, 8] }', '{ type: separableConv2d, filters: 4, kernelSize: 3, strides: 2, padding: same }', '[null, H/2, W/2, 4]'],
    ['separable1d valid', '{ L: { min: 5 } }', '{ x: [L, 3] }', '{ type: separableConv1d, filters: 2, kernelSize: 5 }', '[null, L - 4, 2]'],
  ])('%s', (_, symbols, inputs, layer, want) => {
    expect(run(spec(symbols, inputs, [layer]))).toEqual({ shape: want, reports: [] });
  });

  test('a valid window on a symbol that may be too short is NS4004 at the smallest size', () => {
    expect(run(spec('[L]', '{ x: [L, 3] }', ['{ type: separableConv1d, filters: 2, kernelSize: 5 }'])).reports).toEqual([
      "7:17 NS4004 layer 'separableConv1d_1' would be empty at the smallest sizes the symbols allow: [null, L - 4, 2] is [null, -3, 2] at L = 1",
    ]);
  });

  test('a stride on a symbol without its multipleOf is NS4013 at strides', () => {
    expect(run(spec('[H, W]', '{ x: [H, W, 3] }', ['{ type: separableConv2d, id: sep, filters: 4, kernelSize: 3, strides: 2, padding: same }'])).reports).toEqual([
      "7:79 NS4013 H must be a multiple of 2 for 'sep' (strides 2) to divide H evenly",
      "7:79 NS4013 W must be a multiple of 2 for 'sep' (strides 2) to divide W evenly",
    ]);
  });
});
