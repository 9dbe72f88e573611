import { describe, expect, test } from 'vitest';
import { symbolic } from '../../src/infer/affine.js';
import { elementCount } from '../../src/infer/rule.js';
import { applyRule, check, type Case, type WeightRow } from './helpers.js';

/** The weights of selfAttention over C channels with query/key width k. */
const weightsOf = (c: number, k: number): WeightRow[] => [
  ['query_kernel', [1, 1, c, k]],
  ['query_bias', [k]],
  ['key_kernel', [1, 1, c, k]],
  ['key_bias', [k]],
  ['value_kernel', [1, 1, c, c]],
  ['value_bias', [c]],
  ['gamma', [1]],
];

describe('selfAttention: same shape, SAGAN weights (Self_Attn)', () => {
  const H = symbolic('H');
  const W = symbolic('W');
  const table: Case[] = [
    // 2 * (128*16 + 16) + 128*128 + 128 + 1 = 20,641 parameters, as PyTorch counts them (test/fixtures/torch/self-attention.json).
    // Multiply-adds for N = 64 positions: 64 * (2*128*16 + 128*128) + 64*64 * (16 + 128) + 64*128.
    ['SAGAN at 8x8 with 128 channels', { given: { input: [null, 8, 8, 128] }, want: { shape: [null, 8, 8, 128], weights: weightsOf(128, 16), macs: 64 * (2 * 128 * 16 + 128 * 128) + 64 * 64 * 144 + 64 * 128 } }],
    ['channelsFirst (SAGAN\'s NCHW)', { given: { args: { dataFormat: 'channelsFirst' }, input: [null, 16, 4, 4] }, want: { shape: [null, 16, 4, 4], weights: weightsOf(16, 2) } }],
    ['symbolic H and W: the shape is kept, multiply-adds unknown', { given: { input: [null, H, W, 64] }, want: { shape: [null, H, W, 64], weights: weightsOf(64, 8), macs: null } }],
    ['unknown spatial sizes', { given: { input: [2, null, null, 8] }, want: { shape: [2, null, null, 8], weights: weightsOf(8, 1), macs: null } }],
    ['reduction 4', { given: { args: { reduction: 4 }, input: [null, 2, 2, 12] }, want: { shape: [null, 2, 2, 12], weights: weightsOf(12, 3), macs: 4 * (2 * 12 * 3 + 144) + 16 * 15 + 48 } }],
    ['reduction 1: query and key as wide as the input', { given: { args: { reduction: 1 }, input: [null, 1, 1, 3] }, want: { shape: [null, 1, 1, 3], weights: weightsOf(3, 3) } }],
    [
      'channels not a multiple of 8: NS4025 at reduction',
      {
        given: { input: [null, 4, 4, 12] },
        want: { code: 'NS4025', option: 'reduction', message: "selfAttention with reduction 8 needs a multiple of 8 channels (the query and key have C / 8); received [null, 4, 4, 12] from 'x', with 12 channels" },
      },
    ],
    [
      'fewer channels than the reduction: NS4025',
      { given: { input: [null, 4, 4, 4] }, want: { code: 'NS4025', message: "selfAttention with reduction 8 needs a multiple of 8 channels (the query and key have C / 8); received [null, 4, 4, 4] from 'x', with 4 channels" } },
    ],
    ['unknown channels: NS4007', { given: { input: [null, 4, 4, null] }, want: { code: 'NS4007', message: "selfAttention needs a known channel dimension to create its weights; received [null, 4, 4, null] from 'x'" } }],
    ['rank 3: NS4001', { given: { input: [null, 4, 8] }, want: { code: 'NS4001', message: "selfAttention expects rank 4 input [batch, rows, cols, channels], received rank 3 [null, 4, 8] from 'x'" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('selfAttention', given, want));

  test('128 channels: exactly 20,641 parameters, all trainable', () => {
    const { out } = applyRule('selfAttention', {}, [[null, 16, 16, 128]]);
    expect(out!.weights.every((w) => w.trainable)).toBe(true);
    expect(out!.weights.reduce((n, w) => n + elementCount(w.shape), 0)).toBe(20641);
  });
});
