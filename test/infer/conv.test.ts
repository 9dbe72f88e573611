import { describe, test } from 'vitest';
import { check, type Case } from './helpers.js';

/** Kernel `[k..., inChannels, filters]`; MACs = output positions * prod(k) * inChannels * filters. */
describe('conv2d', () => {
  const table: Case[] = [
    [
      'valid k=3',
      { given: { args: { filters: 32, kernelSize: 3 }, input: [null, 28, 28, 1] }, want: { shape: [null, 26, 26, 32], weights: [['kernel', [3, 3, 1, 32]], ['bias', [32]]], macs: 194688 } },
    ],
    ['useBias: false', { given: { args: { filters: 32, kernelSize: 3, useBias: false }, input: [null, 28, 28, 1] }, want: { shape: [null, 26, 26, 32], weights: [['kernel', [3, 3, 1, 32]]], macs: 194688 } }],
    [
      'same s=2 halves',
      {
        given: { args: { filters: 16, kernelSize: 3, strides: 2, padding: 'same' }, input: [null, 28, 28, 3] },
        want: { shape: [null, 14, 14, 16], weights: [['kernel', [3, 3, 3, 16]], ['bias', [16]]], macs: 84672 },
      },
    ],
    ['valid s=2 odd input: ceil(5 / 2)', { given: { args: { filters: 8, kernelSize: 3, strides: 2 }, input: [null, 7, 7, 4] }, want: { shape: [null, 3, 3, 8], macs: 2592, weights: [['kernel', [3, 3, 4, 8]], ['bias', [8]]] } }],
    [
      'per-axis kernel and strides',
      {
        given: { args: { filters: 6, kernelSize: [3, 5], strides: [1, 2] }, input: [null, 10, 12, 2] },
        want: { shape: [null, 8, 4, 6], weights: [['kernel', [3, 5, 2, 6]], ['bias', [6]]], macs: 5760 },
      },
    ],
    ['dilation 2 (ek 5)', { given: { args: { filters: 4, kernelSize: 3, dilationRate: 2 }, input: [null, 9, 9, 1] }, want: { shape: [null, 5, 5, 4], weights: [['kernel', [3, 3, 1, 4]], ['bias', [4]]], macs: 900 } }],
    ['kernel covers the input', { given: { args: { filters: 4, kernelSize: 5 }, input: [null, 5, 5, 2] }, want: { shape: [null, 1, 1, 4], weights: [['kernel', [5, 5, 2, 4]], ['bias', [4]]], macs: 200 } }],
    [
      'channelsFirst same',
      {
        given: { args: { filters: 8, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst' }, input: [null, 3, 32, 32] },
        want: { shape: [null, 8, 32, 32], weights: [['kernel', [3, 3, 3, 8]], ['bias', [8]]], macs: 221184 },
      },
    ],
    ['known batch kept', { given: { args: { filters: 2, kernelSize: 1 }, input: [5, 4, 4, 3] }, want: { shape: [5, 4, 4, 2], weights: [['kernel', [1, 1, 3, 2]], ['bias', [2]]], macs: 96 } }],
    ['unknown spatial dims', { given: { args: { filters: 8, kernelSize: 3 }, input: [null, null, null, 3] }, want: { shape: [null, null, null, 8], weights: [['kernel', [3, 3, 3, 8]], ['bias', [8]]], macs: null } }],
    ['one unknown spatial dim, same s=2', { given: { args: { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, input: [null, null, 9, 3] }, want: { shape: [null, null, 5, 8], weights: [['kernel', [3, 3, 3, 8]], ['bias', [8]]], macs: null } }],
    [
      'rank 2 input',
      { given: { args: { filters: 8, kernelSize: 3 }, input: [null, 100] }, want: { code: 'NS4001', message: "conv2d expects rank 4 input [batch, rows, cols, channels], received rank 2 [null, 100] from 'x'" } },
    ],
    [
      'rank 3 input, channelsFirst layout named',
      {
        given: { args: { filters: 8, kernelSize: 3, dataFormat: 'channelsFirst' }, input: [null, 5, 5] },
        want: { code: 'NS4001', message: "conv2d expects rank 4 input [batch, channels, rows, cols], received rank 3 [null, 5, 5] from 'x'" },
      },
    ],
    [
      'unknown channels',
      { given: { args: { filters: 8, kernelSize: 3 }, input: [null, 8, 8, null] }, want: { code: 'NS4007', message: "conv2d needs a known channel dimension to create its weights; received [null, 8, 8, null] from 'x'" } },
    ],
    [
      'unknown channels, channelsFirst',
      {
        given: { args: { filters: 8, kernelSize: 3, dataFormat: 'channelsFirst' }, input: [null, null, 8, 8] },
        want: { code: 'NS4007', message: "conv2d needs a known channel dimension to create its weights; received [null, null, 8, 8] from 'x'" },
      },
    ],
    [
      'kernel larger than input',
      {
        given: { args: { filters: 8, kernelSize: 3 }, input: [null, 2, 2, 3] },
        want: { code: 'NS4004', message: 'conv2d would produce an empty output: spatial axis 0 has length 0 (input 2, kernel 3, stride 1, padding valid)', option: 'kernelSize' },
      },
    ],
    [
      'dilated kernel larger than input, second axis',
      {
        given: { args: { filters: 1, kernelSize: [1, 3], dilationRate: [1, 3] }, input: [null, 4, 6, 1] },
        want: { code: 'NS4004', message: 'conv2d would produce an empty output: spatial axis 1 has length 0 (input 6, kernel 3 (dilated to 7), stride 1, padding valid)' },
      },
    ],
    [
      'stride together with dilation',
      {
        given: { args: { filters: 8, kernelSize: 3, strides: 2, dilationRate: 2 }, input: [null, 16, 16, 3] },
        want: { code: 'NS4009', message: 'strides 2 > 1 cannot be combined with dilationRate 2 > 1', option: 'dilationRate' },
      },
    ],
    [
      'stride and dilation on different axes',
      {
        given: { args: { filters: 8, kernelSize: 3, strides: [1, 2], dilationRate: [2, 1] }, input: [null, 16, 16, 3] },
        want: { code: 'NS4009', message: 'strides [1, 2] > 1 cannot be combined with dilationRate [2, 1] > 1' },
      },
    ],
    ['two inputs', { given: { args: { filters: 8, kernelSize: 3 }, inputs: [[null, 8, 8, 3], [null, 8, 8, 3]] }, want: { code: 'NS4002', message: "conv2d takes 1 input, received 2 ('a', 'b')" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('conv2d', given, want));
});

describe('conv1d', () => {
  const table: Case[] = [
    [
      'same s=2',
      {
        given: { args: { filters: 32, kernelSize: 5, strides: 2, padding: 'same' }, input: [null, 100, 16] },
        want: { shape: [null, 50, 32], weights: [['kernel', [5, 16, 32]], ['bias', [32]]], macs: 128000 },
      },
    ],
    ['causal keeps the length', { given: { args: { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal' }, input: [null, 10, 4] }, want: { shape: [null, 10, 2], weights: [['kernel', [3, 4, 2]], ['bias', [2]]], macs: 240 } }],
    ['kernel as a list of one', { given: { args: { filters: 2, kernelSize: [3], strides: [2] }, input: [null, 9, 1] }, want: { shape: [null, 4, 2], weights: [['kernel', [3, 1, 2]], ['bias', [2]]], macs: 24 } }],
    ['channelsFirst', { given: { args: { filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' }, input: [null, 4, 10] }, want: { shape: [null, 2, 8], weights: [['kernel', [3, 4, 2]], ['bias', [2]]], macs: 192 } }],
    ['unknown steps', { given: { args: { filters: 2, kernelSize: 3 }, input: [null, null, 4] }, want: { shape: [null, null, 2], weights: [['kernel', [3, 4, 2]], ['bias', [2]]], macs: null } }],
    ['rank 4 input', { given: { args: { filters: 2, kernelSize: 3 }, input: [null, 4, 4, 1] }, want: { code: 'NS4001', message: "conv1d expects rank 3 input [batch, steps, channels], received rank 4 [null, 4, 4, 1] from 'x'" } }],
    [
      'kernel 4 over 2 steps, stride 2: ceil(-1 / 2) = 0',
      { given: { args: { filters: 2, kernelSize: 4, strides: 2 }, input: [null, 2, 4] }, want: { code: 'NS4004', message: 'conv1d would produce an empty output: spatial axis 0 has length 0 (input 2, kernel 4, stride 2, padding valid)' } },
    ],
    [
      'kernel 4 over 1 step: negative length',
      { given: { args: { filters: 2, kernelSize: 4 }, input: [null, 1, 4] }, want: { code: 'NS4004', message: 'conv1d would produce an empty output: spatial axis 0 has length -2 (input 1, kernel 4, stride 1, padding valid)' } },
    ],
  ];
  test.each(table)('%s', (_, { given, want }) => check('conv1d', given, want));
});

describe('conv3d', () => {
  const table: Case[] = [
    ['valid k=3', { given: { args: { filters: 4, kernelSize: 3 }, input: [null, 8, 8, 8, 1] }, want: { shape: [null, 6, 6, 6, 4], weights: [['kernel', [3, 3, 3, 1, 4]], ['bias', [4]]], macs: 23328 } }],
    [
      'channelsFirst, per-axis kernel and strides, same',
      {
        given: { args: { filters: 3, kernelSize: [1, 2, 3], strides: [1, 2, 2], padding: 'same', dataFormat: 'channelsFirst' }, input: [null, 2, 5, 6, 7] },
        want: { shape: [null, 3, 5, 3, 4], weights: [['kernel', [1, 2, 3, 2, 3]], ['bias', [3]]], macs: 2160 },
      },
    ],
    [
      'rank 4 input',
      { given: { args: { filters: 4, kernelSize: 3 }, input: [null, 8, 8, 1] }, want: { code: 'NS4001', message: "conv3d expects rank 5 input [batch, depth, rows, cols, channels], received rank 4 [null, 8, 8, 1] from 'x'" } },
    ],
    [
      'empty depth',
      { given: { args: { filters: 4, kernelSize: [3, 1, 1] }, input: [null, 2, 8, 8, 1] }, want: { code: 'NS4004', message: 'conv3d would produce an empty output: spatial axis 0 has length 0 (input 2, kernel 3, stride 1, padding valid)' } },
    ],
  ];
  test.each(table)('%s', (_, { given, want }) => check('conv3d', given, want));
});
