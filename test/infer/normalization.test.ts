import { describe, expect, test } from 'vitest';
import { add, multiply, symbolic } from '../../src/infer/affine.js';
import { inferModel } from '../../src/infer/infer-shapes.js';
import { check, input, layer, model, type Case } from './helpers.js';

const H = symbolic('H');
const W = symbolic('W');

describe('batchNormalization', () => {
  const stats = (n: number) =>
    [
      ['moving_mean', [n], false],
      ['moving_variance', [n], false],
    ] as const;
  const table: Case[] = [
    ['channels last', { given: { input: [null, 8, 8, 64] }, want: { shape: [null, 8, 8, 64], weights: [['gamma', [64]], ['beta', [64]], ...stats(64)], macs: 0 } }],
    ['dense features', { given: { input: [null, 10] }, want: { shape: [null, 10], weights: [['gamma', [10]], ['beta', [10]], ...stats(10)] } }],
    ['axis 1 (channelsFirst)', { given: { args: { axis: 1 }, input: [null, 3, 8, 8] }, want: { shape: [null, 3, 8, 8], weights: [['gamma', [3]], ['beta', [3]], ...stats(3)] } }],
    ['negative axis -3', { given: { args: { axis: -3 }, input: [null, 4, 5, 6] }, want: { shape: [null, 4, 5, 6], weights: [['gamma', [4]], ['beta', [4]], ...stats(4)] } }],
    ['center: false drops beta', { given: { args: { center: false }, input: [null, 4, 4, 2] }, want: { shape: [null, 4, 4, 2], weights: [['gamma', [2]], ...stats(2)] } }],
    ['scale: false drops gamma', { given: { args: { scale: false }, input: [null, 4, 4, 2] }, want: { shape: [null, 4, 4, 2], weights: [['beta', [2]], ...stats(2)] } }],
    ['neither: only the moving statistics', { given: { args: { center: false, scale: false }, input: [null, 2] }, want: { shape: [null, 2], weights: [...stats(2)] } }],
    ['unknown spatial dims pass through', { given: { input: [null, null, null, 8] }, want: { shape: [null, null, null, 8], weights: [['gamma', [8]], ['beta', [8]], ...stats(8)] } }],
    [
      'axis 0 is the batch',
      { given: { args: { axis: 0 }, input: [null, 8, 8, 3] }, want: { code: 'NS4009', message: 'axis 0 is the batch axis for input [null, 8, 8, 3] of rank 4; use 1..3 or -1..-3', option: 'axis' } },
    ],
    ['axis -4 is the batch', { given: { args: { axis: -4 }, input: [null, 8, 8, 3] }, want: { code: 'NS4009', message: 'axis -4 is the batch axis for input [null, 8, 8, 3] of rank 4; use 1..3 or -1..-3' } }],
    ['axis 4 out of range', { given: { args: { axis: 4 }, input: [null, 8, 8, 3] }, want: { code: 'NS4009', message: 'axis 4 is out of range for input [null, 8, 8, 3] of rank 4; use 1..3 or -1..-3' } }],
    ['axis -5 out of range', { given: { args: { axis: -5 }, input: [null, 8, 8, 3] }, want: { code: 'NS4009', message: 'axis -5 is out of range for input [null, 8, 8, 3] of rank 4; use 1..3 or -1..-3' } }],
    [
      'unknown channels',
      { given: { input: [null, 8, 8, null] }, want: { code: 'NS4007', message: "batchNormalization needs a known channel dimension to create its weights; received [null, 8, 8, null] from 'x'" } },
    ],
    ['two inputs', { given: { inputs: [[null, 3], [null, 3]] }, want: { code: 'NS4002', message: "batchNormalization takes 1 input, received 2 ('a', 'b')" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('batchNormalization', given, want));
});

describe('layerNormalization', () => {
  const table: Case[] = [
    ['default last axis', { given: { input: [null, 10, 16] }, want: { shape: [null, 10, 16], weights: [['gamma', [16]], ['beta', [16]]], macs: 0 } }],
    ['two axes', { given: { args: { axis: [1, 2] }, input: [null, 10, 16] }, want: { shape: [null, 10, 16], weights: [['gamma', [10, 16]], ['beta', [10, 16]]] } }],
    ['negative axes', { given: { args: { axis: [-2, -1] }, input: [null, 10, 16] }, want: { shape: [null, 10, 16], weights: [['gamma', [10, 16]], ['beta', [10, 16]]] } }],
    ['axes in the given order', { given: { args: { axis: [3, 1] }, input: [null, 2, 3, 4] }, want: { shape: [null, 2, 3, 4], weights: [['gamma', [4, 2]], ['beta', [4, 2]]] } }],
    ['center: false', { given: { args: { center: false }, input: [null, 6] }, want: { shape: [null, 6], weights: [['gamma', [6]]] } }],
    ['scale: false', { given: { args: { scale: false }, input: [null, 6] }, want: { shape: [null, 6], weights: [['beta', [6]]] } }],
    ['unknown axes not normalized', { given: { input: [null, null, 16] }, want: { shape: [null, null, 16], weights: [['gamma', [16]], ['beta', [16]]] } }],
    [
      'unknown normalized axis',
      { given: { args: { axis: [1, 2] }, input: [null, null, 16] }, want: { code: 'NS4007', message: "layerNormalization needs the normalized axes known; received [null, null, 16] from 'x'" } },
    ],
    ['axis out of range', { given: { args: { axis: 3 }, input: [null, 10, 16] }, want: { code: 'NS4009', message: 'axis 3 is out of range for input [null, 10, 16] of rank 3; use 1..2 or -1..-2', option: 'axis' } }],
    ['batch axis in a list', { given: { args: { axis: [0, 1] }, input: [null, 10, 16] }, want: { code: 'NS4009', message: 'axis 0 is the batch axis for input [null, 10, 16] of rank 3; use 1..2 or -1..-2' } }],
    [
      // tfjs LayerNormalization.build throws "Found duplicate axes"; the rule must report it statically.
      'the same axis twice',
      { given: { args: { axis: [1, -2] }, input: [null, 10, 16] }, want: { code: 'NS4009', message: 'axis [1, -2] names axis 1 twice; list each axis once', option: 'axis' } },
    ],
  ];
  test.each(table)('%s', (_, { given, want }) => check('layerNormalization', given, want));
});

describe('layerNormalization on symbolic sizes', () => {
  test('without gamma and beta any normalized axis may be unknown or symbolic; with them it may not', () => {
    check('layerNormalization', { args: { axis: [1, 2, 3], center: false, scale: false }, input: [null, H, W, 8] }, { shape: [null, H, W, 8], weights: [] });
    check('layerNormalization', { args: { axis: [1, 2], center: false, scale: false }, input: [null, null, null, 8] }, { shape: [null, null, null, 8], weights: [] });
    check('layerNormalization', { input: [null, H, W, 8] }, { shape: [null, H, W, 8], weights: [['gamma', [8]], ['beta', [8]]] });
    check('layerNormalization', { args: { axis: [1, 2, 3], scale: false }, input: [null, H, W, 8] }, {
      code: 'NS4015',
      message: "layerNormalization needs fixed sizes on the normalized axes to create its weights; received [null, H, W, 8] from 'x', where H depends on a symbol",
    });
  });
});

describe('groupNormalization: gamma and beta [channels], groups dividing the channels (Keras 3)', () => {
  const table: Case[] = [
    ['groups 8 on 32 channels: 64 parameters', { given: { args: { groups: 8 }, input: [null, 16, 16, 32] }, want: { shape: [null, 16, 16, 32], weights: [['gamma', [32]], ['beta', [32]]], macs: 0 } }],
    ['default groups 32 on 64 channels', { given: { input: [null, 4, 4, 64] }, want: { shape: [null, 4, 4, 64], weights: [['gamma', [64]], ['beta', [64]]] } }],
    ['groups -1: one per channel', { given: { args: { groups: -1 }, input: [null, 4, 4, 6] }, want: { shape: [null, 4, 4, 6], weights: [['gamma', [6]], ['beta', [6]]] } }],
    ['groups 1 on dense features', { given: { args: { groups: 1 }, input: [null, 10] }, want: { shape: [null, 10], weights: [['gamma', [10]], ['beta', [10]]] } }],
    ['axis 1 (channelsFirst)', { given: { args: { groups: 2, axis: 1 }, input: [null, 4, 8, 8] }, want: { shape: [null, 4, 8, 8], weights: [['gamma', [4]], ['beta', [4]]] } }],
    ['center: false', { given: { args: { groups: 2, center: false }, input: [null, 3, 4] }, want: { shape: [null, 3, 4], weights: [['gamma', [4]]] } }],
    ['no gamma or beta', { given: { args: { groups: 2, center: false, scale: false }, input: [null, 3, 4] }, want: { shape: [null, 3, 4], weights: [] } }],
    ['unknown spatial sizes', { given: { args: { groups: 4 }, input: [null, null, null, 8] }, want: { shape: [null, null, null, 8], weights: [['gamma', [8]], ['beta', [8]]] } }],
    ['symbolic spatial sizes', { given: { args: { groups: 4 }, input: [null, H, W, 8] }, want: { shape: [null, H, W, 8], weights: [['gamma', [8]], ['beta', [8]]] } }],
    ['a volume', { given: { args: { groups: 2 }, input: [null, H, 4, 4, 8] }, want: { shape: [null, H, 4, 4, 8], weights: [['gamma', [8]], ['beta', [8]]] } }],
    [
      'groups that do not divide the channels',
      {
        given: { args: { groups: 5 }, input: [null, 4, 4, 48] },
        want: { code: 'NS4020', option: 'groups', message: "groupNormalization: the 48 channels of [null, 4, 4, 48] from 'x' do not split into 5 equal groups" },
      },
    ],
    [
      'more groups than channels, by default',
      { given: { input: [null, 8, 8, 16] }, want: { code: 'NS4020', message: "groupNormalization: 32 groups are more than the 16 channels of [null, 8, 8, 16] from 'x' (groups defaults to 32, as in Keras)" } },
    ],
    ['groups 0', { given: { args: { groups: 0 }, input: [null, 8] }, want: { code: 'NS4020', option: 'groups', message: "groupNormalization: groups 0 is not a group count for the 8 channels of [null, 8] from 'x'" } }],
    [
      'one value per group',
      {
        given: { args: { groups: 8 }, input: [null, 8] },
        want: { code: 'NS4021', message: "groupNormalization would normalize single values: each of the 8 groups of [null, 8] from 'x' holds 1 value per sample, so every output is beta whatever the input" },
      },
    ],
    [
      'unknown channels',
      { given: { args: { groups: 2 }, input: [null, 4, null] }, want: { code: 'NS4007', message: "groupNormalization needs a fixed channel count to split into groups; received [null, 4, null] from 'x', whose channels are unknown" } },
    ],
    [
      'symbolic channels',
      {
        given: { args: { groups: 2 }, input: [null, 4, H] },
        want: { code: 'NS4015', message: "groupNormalization needs a fixed channel count to split into groups; received [null, 4, H] from 'x', whose channels H depend on a symbol" },
      },
    ],
    ['axis 0', { given: { args: { axis: 0 }, input: [null, 4, 8] }, want: { code: 'NS4009', option: 'axis', message: 'axis 0 is the batch axis for input [null, 4, 8] of rank 3; use 1..2 or -1..-2' } }],
    ['rank 1', { given: { input: [null] }, want: { code: 'NS4001', message: "groupNormalization expects rank 2 or more [batch, ..., channels], received rank 1 [null] from 'x'" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('groupNormalization', given, want));

  test('the note names the divisors nearest the groups asked for, when they cannot be written as edits', () => {
    // A layer built here has no recorded layout, so the fix stays words, in a note (specs/invalid has the edits).
    const errors: string[] = [];
    const l = layer('groupNormalization', { groups: 5 });
    const inferred = inferModel('t.yaml', model([input('x', [4, 4, 48])], [l]));
    for (const d of inferred.diagnostics) errors.push(`${d.code}: ${d.fix ?? ''} | ${d.notes.map((n) => n.message).join(' | ')}`);
    expect(errors).toEqual([
      "NS4020:  | shape [null, 4, 4, 48] comes from 'x' | use `groups: 4` or `groups: 6` (the divisors of 48 are 1, 2, 3, 4, 6, 8, 12, 16, 24, 48); or change the channel count to a multiple of 5",
    ]);
  });
});

describe('instanceNormalization: one group per channel', () => {
  const table: Case[] = [
    ['64 channels: 128 parameters', { given: { input: [null, 8, 8, 64] }, want: { shape: [null, 8, 8, 64], weights: [['gamma', [64]], ['beta', [64]]], macs: 0 } }],
    ['PyTorch default (affine=False): no weights', { given: { args: { center: false, scale: false }, input: [null, 8, 8, 64] }, want: { shape: [null, 8, 8, 64], weights: [] } }],
    ['no weights: unknown channels are fine', { given: { args: { center: false, scale: false }, input: [null, null, null, null] }, want: { shape: [null, null, null, null], weights: [] } }],
    ['symbolic spatial sizes', { given: { input: [null, H, multiply(W, 2), 8] }, want: { shape: [null, H, multiply(W, 2), 8], weights: [['gamma', [8]], ['beta', [8]]] } }],
    ['channelsFirst', { given: { args: { axis: 1, scale: false }, input: [null, 3, H, W] }, want: { shape: [null, 3, H, W], weights: [['beta', [3]]] } }],
    ['a sequence', { given: { input: [null, 10, 4] }, want: { shape: [null, 10, 4], weights: [['gamma', [4]], ['beta', [4]]] } }],
    [
      'a 1x1 feature map',
      {
        given: { input: [null, 1, 1, 64] },
        want: { code: 'NS4021', message: "instanceNormalization would normalize single values: each channel of [null, 1, 1, 64] from 'x' holds 1 value per sample, so every output is beta whatever the input" },
      },
    ],
    [
      'a 1x1 feature map without beta',
      {
        given: { args: { center: false }, input: [null, 1, 1, 4] },
        want: { code: 'NS4021', message: "instanceNormalization would normalize single values: each channel of [null, 1, 1, 4] from 'x' holds 1 value per sample, so every output is 0 whatever the input" },
      },
    ],
    ['a symbolic size of 1 + H is not judged', { given: { args: { center: false, scale: false }, input: [null, add(H, 1), 1, 4] }, want: { shape: [null, add(H, 1), 1, 4], weights: [] } }],
    [
      'dense features',
      { given: { input: [null, 8] }, want: { code: 'NS4001', message: "instanceNormalization expects rank 3 or more [batch, ...spatial, channels] (it normalizes over the spatial axes), received rank 2 [null, 8] from 'x'" } },
    ],
    [
      'weights need a fixed channel count',
      { given: { input: [null, 4, 4, H] }, want: { code: 'NS4015', message: "instanceNormalization needs a fixed channel dimension to create its weights; received [null, 4, 4, H] from 'x', whose channels H depend on a symbol" } },
    ],
    ['unknown channels with weights', { given: { input: [null, 4, 4, null] }, want: { code: 'NS4007', message: "instanceNormalization needs a known channel dimension to create its weights; received [null, 4, 4, null] from 'x'" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('instanceNormalization', given, want));
});

describe('pixelNormalization: no weights, any rank from 2', () => {
  const table: Case[] = [
    ['feature maps', { given: { input: [null, 4, 4, 512] }, want: { shape: [null, 4, 4, 512], weights: [], macs: 0 } }],
    ['dense outputs (the ProGAN latent)', { given: { input: [null, 512] }, want: { shape: [null, 512], weights: [] } }],
    ['symbolic and unknown sizes', { given: { input: [null, H, W, null] }, want: { shape: [null, H, W, null], weights: [] } }],
    ['channelsFirst', { given: { args: { axis: 1, epsilon: 1e-6 }, input: [null, 8, H, W] }, want: { shape: [null, 8, H, W], weights: [] } }],
    [
      'one channel',
      { given: { input: [null, 4, 4, 1] }, want: { code: 'NS4021', message: "pixelNormalization would normalize single values: [null, 4, 4, 1] from 'x' has 1 channel, so every output is the sign of its input" } },
    ],
    ['axis out of range', { given: { args: { axis: 2 }, input: [null, 8] }, want: { code: 'NS4009', option: 'axis', message: 'axis 2 is out of range for input [null, 8] of rank 2; use 1..1 or -1..-1' } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('pixelNormalization', given, want));
});

test('parameter counts of whole models: instanceNormalization on 64 channels is 128, groupNormalization groups 8 on 32 is 64', () => {
  const counts = (type: string, args: Record<string, number>, channels: number) => inferModel('t.yaml', model([input('x', [H, W, channels])], [layer(type, args)])).value!.params;
  expect(counts('instanceNormalization', {}, 64)).toEqual({ trainable: 128, nonTrainable: 0 });
  expect(counts('groupNormalization', { groups: 8 }, 32)).toEqual({ trainable: 64, nonTrainable: 0 });
  expect(counts('pixelNormalization', {}, 32)).toEqual({ trainable: 0, nonTrainable: 0 });
});
