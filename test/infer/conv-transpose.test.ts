/** Transposed convolutions with the Keras 3 semantics of docs/semantics.md; kernel `[k..., filters, inChannels]`, MACs per input position. */
import { describe, test } from 'vitest';
import { check, type Case } from './helpers.js';

describe('conv2dTranspose', () => {
  const table: Case[] = [
    [
      'DCGAN block: same s=2 doubles',
      {
        given: { args: { filters: 256, kernelSize: 5, strides: 2, padding: 'same', useBias: false }, input: [null, 4, 4, 512] },
        want: { shape: [null, 8, 8, 256], weights: [['kernel', [5, 5, 256, 512]]], macs: 52428800 },
      },
    ],
    [
      "The documented JSON example's image layer: 4803 params, 4915200 MACs",
      {
        given: { args: { filters: 3, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' }, input: [null, 32, 32, 64] },
        want: { shape: [null, 64, 64, 3], weights: [['kernel', [5, 5, 3, 64]], ['bias', [3]]], macs: 4915200 },
      },
    ],
    ['valid k=3 s=2', { given: { args: { filters: 4, kernelSize: 3, strides: 2 }, input: [null, 4, 4, 8] }, want: { shape: [null, 9, 9, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]], macs: 4608 } }],
    ['valid k=1 s=2: max(ek, s)', { given: { args: { filters: 4, kernelSize: 1, strides: 2 }, input: [null, 4, 4, 8] }, want: { shape: [null, 8, 8, 4], weights: [['kernel', [1, 1, 4, 8]], ['bias', [4]]], macs: 512 } }],
    ['valid outputPadding 1', { given: { args: { filters: 4, kernelSize: 3, strides: 2, outputPadding: 1 }, input: [null, 4, 4, 8] }, want: { shape: [null, 10, 10, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]], macs: 4608 } }],
    ['valid outputPadding per axis', { given: { args: { filters: 4, kernelSize: 3, strides: 2, outputPadding: [0, 1] }, input: [null, 4, 4, 8] }, want: { shape: [null, 9, 10, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]] } }],
    ['valid k=1 s=2 outputPadding 0: ek, not max(ek, s)', { given: { args: { filters: 4, kernelSize: 1, strides: 2, outputPadding: 0 }, input: [null, 4, 4, 8] }, want: { shape: [null, 7, 7, 4], weights: [['kernel', [1, 1, 4, 8]], ['bias', [4]]] } }],
    ['same k=3 s=2 outputPadding 1', { given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 }, input: [null, 4, 4, 8] }, want: { shape: [null, 8, 8, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]] } }],
    ['same k=3 s=2 outputPadding 0: one short of i*s', { given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 0 }, input: [null, 4, 4, 8] }, want: { shape: [null, 7, 7, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]] } }],
    ['same k=4 s=2 outputPadding 1: even kernel', { given: { args: { filters: 4, kernelSize: 4, strides: 2, padding: 'same', outputPadding: 1 }, input: [null, 4, 4, 8] }, want: { shape: [null, 7, 7, 4], weights: [['kernel', [4, 4, 4, 8]], ['bias', [4]]] } }],
    ['valid dilation 2 (ek 5)', { given: { args: { filters: 1, kernelSize: 3, dilationRate: 2 }, input: [null, 5, 5, 2] }, want: { shape: [null, 9, 9, 1], weights: [['kernel', [3, 3, 1, 2]], ['bias', [1]]], macs: 450 } }],
    ['same dilation 2 keeps the size', { given: { args: { filters: 1, kernelSize: 3, dilationRate: 2, padding: 'same' }, input: [null, 5, 5, 2] }, want: { shape: [null, 5, 5, 1], weights: [['kernel', [3, 3, 1, 2]], ['bias', [1]]], macs: 450 } }],
    ['explicit pads per axis', { given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: [[0, 0], [1, 2]] }, input: [null, 4, 4, 8] }, want: { shape: [null, 9, 6, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]], macs: 4608 } }],
    ['explicit pads with outputPadding', { given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: [[1, 1], [1, 1]], outputPadding: 1 }, input: [null, 4, 4, 8] }, want: { shape: [null, 8, 8, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]] } }],
    ['PyTorch DCGAN k=4 s=2 pads 1', { given: { args: { filters: 4, kernelSize: 4, strides: 2, padding: [[1, 1], [1, 1]] }, input: [null, 4, 4, 8] }, want: { shape: [null, 8, 8, 4], weights: [['kernel', [4, 4, 4, 8]], ['bias', [4]]] } }],
    ['outputShape at both ends of the valid range', { given: { args: { filters: 4, kernelSize: 3, strides: 2, outputShape: [10, 9] }, input: [null, 4, 4, 8] }, want: { shape: [null, 10, 9, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]], macs: 4608 } }],
    ['outputShape at both ends of the same range', { given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', outputShape: [7, 8] }, input: [null, 4, 4, 8] }, want: { shape: [null, 7, 8, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]] } }],
    ['outputShape with explicit pads', { given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: [[1, 1], [0, 0]], outputShape: [8, 9] }, input: [null, 4, 4, 8] }, want: { shape: [null, 8, 9, 4], weights: [['kernel', [3, 3, 4, 8]], ['bias', [4]]] } }],
    [
      'channelsFirst same s=2',
      {
        given: { args: { filters: 3, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst' }, input: [null, 8, 4, 4] },
        want: { shape: [null, 3, 8, 8], weights: [['kernel', [3, 3, 3, 8]], ['bias', [3]]], macs: 3456 },
      },
    ],
    [
      'per-axis kernel and strides',
      {
        given: { args: { filters: 2, kernelSize: [4, 3], strides: [2, 1], padding: 'same' }, input: [null, 3, 5, 2] },
        want: { shape: [null, 6, 5, 2], weights: [['kernel', [4, 3, 2, 2]], ['bias', [2]]], macs: 720 },
      },
    ],
    ['1x1 seed, k=4 valid (PyTorch DCGAN first layer)', { given: { args: { filters: 8, kernelSize: 4 }, input: [null, 1, 1, 16] }, want: { shape: [null, 4, 4, 8], weights: [['kernel', [4, 4, 8, 16]], ['bias', [8]]], macs: 2048 } }],
    ['known batch kept', { given: { args: { filters: 1, kernelSize: 2, strides: 2 }, input: [3, 2, 2, 1] }, want: { shape: [3, 4, 4, 1], weights: [['kernel', [2, 2, 1, 1]], ['bias', [1]]], macs: 16 } }],
    ['unknown spatial dim', { given: { args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, input: [null, null, 4, 8] }, want: { shape: [null, null, 8, 2], weights: [['kernel', [3, 3, 2, 8]], ['bias', [2]]], macs: null } }],
    [
      'unknown spatial dim fixed by outputShape',
      {
        given: { args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputShape: [16, 7] }, input: [null, null, 4, 8] },
        want: { shape: [null, 16, 7, 2], weights: [['kernel', [3, 3, 2, 8]], ['bias', [2]]], macs: null },
      },
    ],
    // Invalid combinations (NS4008).
    [
      'outputPadding not below the stride, second axis',
      {
        given: { args: { filters: 4, kernelSize: 3, strides: [2, 3], outputPadding: [1, 3] }, input: [null, 4, 4, 8] },
        want: { code: 'NS4008', message: 'outputPadding[1] = 3 must be < strides[1] = 3', option: 'outputPadding' },
      },
    ],
    ['outputPadding equal to the stride', { given: { args: { filters: 4, kernelSize: 3, strides: 2, outputPadding: 2 }, input: [null, 4, 4, 8] }, want: { code: 'NS4008', message: 'outputPadding[0] = 2 must be < strides[0] = 2' } }],
    ['outputPadding with stride 1', { given: { args: { filters: 4, kernelSize: 3, padding: 'same', outputPadding: 1 }, input: [null, 4, 4, 8] }, want: { code: 'NS4008', message: 'outputPadding[0] = 1 must be < strides[0] = 1' } }],
    [
      'stride together with dilation',
      {
        given: { args: { filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 }, input: [null, 4, 4, 8] },
        want: { code: 'NS4008', message: 'strides 2 > 1 cannot be combined with dilationRate 2 > 1 (Keras rejects it too)', option: 'dilationRate' },
      },
    ],
    [
      'outputShape above the valid range',
      {
        given: { args: { filters: 4, kernelSize: 3, strides: 2, outputShape: [11, 9] }, input: [null, 4, 4, 8] },
        want: { code: 'NS4008', message: 'outputShape[0] = 11 is not reachable: legal sizes are 9..10', option: 'outputShape' },
      },
    ],
    ['outputShape below the valid range', { given: { args: { filters: 4, kernelSize: 3, strides: 2, outputShape: [9, 8] }, input: [null, 4, 4, 8] }, want: { code: 'NS4008', message: 'outputShape[1] = 8 is not reachable: legal sizes are 9..10' } }],
    ['outputShape below the same range', { given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', outputShape: [8, 6] }, input: [null, 4, 4, 8] }, want: { code: 'NS4008', message: 'outputShape[1] = 6 is not reachable: legal sizes are 7..8' } }],
    ['outputShape above the same range', { given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', outputShape: [9, 8] }, input: [null, 4, 4, 8] }, want: { code: 'NS4008', message: 'outputShape[0] = 9 is not reachable: legal sizes are 7..8' } }],
    [
      'outputShape beyond explicit pads',
      {
        given: { args: { filters: 4, kernelSize: 3, strides: 2, padding: [[1, 1], [1, 1]], outputShape: [9, 7] }, input: [null, 4, 4, 8] },
        want: { code: 'NS4008', message: 'outputShape[0] = 9 is not reachable: legal sizes are 7..8' },
      },
    ],
    [
      'outputShape together with outputPadding',
      {
        given: { args: { filters: 4, kernelSize: 3, strides: 2, outputPadding: 1, outputShape: [10, 10] }, input: [null, 4, 4, 8] },
        want: { code: 'NS4008', message: 'outputShape and outputPadding both fix the output size; set only one', option: 'outputPadding' },
      },
    ],
    [
      'explicit pads crop everything',
      {
        given: { args: { filters: 4, kernelSize: 3, padding: [[2, 2], [0, 0]] }, input: [null, 1, 1, 8] },
        want: { code: 'NS4004', message: 'conv2dTranspose would produce an empty output: spatial axis 0 has length -1 (input 1, kernel 3, stride 1, padding [2, 2])', option: 'padding' },
      },
    ],
    [
      'rank 2 input',
      { given: { args: { filters: 4, kernelSize: 3 }, input: [null, 100] }, want: { code: 'NS4001', message: "conv2dTranspose expects rank 4 input [batch, rows, cols, channels], received rank 2 [null, 100] from 'x'" } },
    ],
    [
      'unknown channels',
      { given: { args: { filters: 4, kernelSize: 3 }, input: [null, 4, 4, null] }, want: { code: 'NS4007', message: "conv2dTranspose needs a known channel dimension to create its weights; received [null, 4, 4, null] from 'x'" } },
    ],
    [
      'unknown channels, channelsFirst',
      {
        given: { args: { filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' }, input: [null, null, 4, 4] },
        want: { code: 'NS4007', message: "conv2dTranspose needs a known channel dimension to create its weights; received [null, null, 4, 4] from 'x'" },
      },
    ],
    ['two inputs', { given: { args: { filters: 4, kernelSize: 3 }, inputs: [[null, 4, 4, 8], [null, 4, 4, 8]] }, want: { code: 'NS4002', message: "conv2dTranspose takes 1 input, received 2 ('a', 'b')" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('conv2dTranspose', given, want));
});

describe('conv1dTranspose', () => {
  const table: Case[] = [
    ['same s=2', { given: { args: { filters: 2, kernelSize: 4, strides: 2, padding: 'same' }, input: [null, 10, 4] }, want: { shape: [null, 20, 2], weights: [['kernel', [4, 2, 4]], ['bias', [2]]], macs: 320 } }],
    ['valid s=2', { given: { args: { filters: 2, kernelSize: 4, strides: 2 }, input: [null, 10, 4] }, want: { shape: [null, 22, 2], weights: [['kernel', [4, 2, 4]], ['bias', [2]]], macs: 320 } }],
    ['valid s=3 outputPadding 2', { given: { args: { filters: 1, kernelSize: 3, strides: 3, outputPadding: 2 }, input: [null, 5, 1] }, want: { shape: [null, 17, 1], weights: [['kernel', [3, 1, 1]], ['bias', [1]]], macs: 15 } }],
    ['channelsFirst', { given: { args: { filters: 3, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst' }, input: [null, 4, 6] }, want: { shape: [null, 3, 12], weights: [['kernel', [2, 3, 4]], ['bias', [3]]], macs: 144 } }],
    ['explicit pads', { given: { args: { filters: 1, kernelSize: 4, strides: 2, padding: [[1, 2]] }, input: [null, 5, 1] }, want: { shape: [null, 9, 1], weights: [['kernel', [4, 1, 1]], ['bias', [1]]], macs: 20 } }],
    [
      'explicit pads leave nothing',
      {
        given: { args: { filters: 1, kernelSize: 2, padding: [[1, 2]] }, input: [null, 2, 1] },
        want: { code: 'NS4004', message: 'conv1dTranspose would produce an empty output: spatial axis 0 has length 0 (input 2, kernel 2, stride 1, padding [1, 2])' },
      },
    ],
    [
      'outputShape with stride 1 has one legal size',
      { given: { args: { filters: 1, kernelSize: 3, outputShape: [8] }, input: [null, 5, 1] }, want: { code: 'NS4008', message: 'outputShape[0] = 8 is not reachable: legal sizes are 7..7' } },
    ],
    ['rank 4 input', { given: { args: { filters: 1, kernelSize: 3 }, input: [null, 4, 4, 1] }, want: { code: 'NS4001', message: "conv1dTranspose expects rank 3 input [batch, steps, channels], received rank 4 [null, 4, 4, 1] from 'x'" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('conv1dTranspose', given, want));
});

describe('conv3dTranspose', () => {
  const table: Case[] = [
    [
      'valid, per-axis kernel and strides',
      {
        given: { args: { filters: 6, kernelSize: [2, 3, 3], strides: [2, 1, 2] }, input: [null, 2, 3, 4, 5] },
        want: { shape: [null, 4, 5, 9, 6], weights: [['kernel', [2, 3, 3, 6, 5]], ['bias', [6]]], macs: 12960 },
      },
    ],
    [
      'channelsFirst same s=2',
      {
        given: { args: { filters: 1, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst' }, input: [null, 5, 2, 2, 2] },
        want: { shape: [null, 1, 4, 4, 4], weights: [['kernel', [3, 3, 3, 1, 5]], ['bias', [1]]], macs: 1080 },
      },
    ],
    [
      'outputPadding per axis',
      {
        given: { args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [1, 0, 1], useBias: false }, input: [null, 2, 2, 2, 1] },
        want: { shape: [null, 4, 3, 4, 2], weights: [['kernel', [3, 3, 3, 2, 1]]], macs: 432 },
      },
    ],
    [
      'outputPadding not below the stride, third axis',
      {
        given: { args: { filters: 2, kernelSize: 3, strides: [2, 2, 1], outputPadding: [1, 1, 1] }, input: [null, 2, 2, 2, 1] },
        want: { code: 'NS4008', message: 'outputPadding[2] = 1 must be < strides[2] = 1' },
      },
    ],
    [
      'rank 4 input',
      { given: { args: { filters: 1, kernelSize: 3 }, input: [null, 4, 4, 8] }, want: { code: 'NS4001', message: "conv3dTranspose expects rank 5 input [batch, depth, rows, cols, channels], received rank 4 [null, 4, 4, 8] from 'x'" } },
    ],
  ];
  test.each(table)('%s', (_, { given, want }) => check('conv3dTranspose', given, want));
});
