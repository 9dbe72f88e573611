import { describe, test } from 'vitest';
import { symbolic } from '../../src/infer/affine.js';
import { check, type Case } from './helpers.js';

describe('repeatVector: [batch, features] -> [batch, n, features] (Keras RepeatVector)', () => {
  const F = symbolic('F');
  const table: Case[] = [
    ['a latent vector repeated 4 times', { given: { args: { n: 4 }, input: [null, 16] }, want: { shape: [null, 4, 16], weights: [], macs: 0 } }],
    ['known batch', { given: { args: { n: 1 }, input: [3, 2] }, want: { shape: [3, 1, 2] } }],
    ['symbolic features', { given: { args: { n: 2 }, input: [null, F] }, want: { shape: [null, 2, F] } }],
    ['unknown features', { given: { args: { n: 2 }, input: [null, null] }, want: { shape: [null, 2, null] } }],
    ['rank 3: NS4001', { given: { args: { n: 2 }, input: [null, 4, 3] }, want: { code: 'NS4001', message: "repeatVector expects rank 2 input [batch, features], received rank 3 [null, 4, 3] from 'x'" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('repeatVector', given, want));
});

describe('permute: axes after the batch, 1-based (Keras Permute)', () => {
  const H = symbolic('H');
  const W = symbolic('W');
  const table: Case[] = [
    ['channelsLast to channelsFirst', { given: { args: { dims: [3, 1, 2] }, input: [null, 4, 5, 3] }, want: { shape: [null, 3, 4, 5], weights: [], macs: 0 } }],
    ['channelsFirst to channelsLast', { given: { args: { dims: [2, 3, 1] }, input: [null, 3, 4, 5] }, want: { shape: [null, 4, 5, 3] } }],
    ['swap two axes', { given: { args: { dims: [2, 1] }, input: [2, 6, 7] }, want: { shape: [2, 7, 6] } }],
    ['the identity', { given: { args: { dims: [1] }, input: [null, 6] }, want: { shape: [null, 6] } }],
    ['symbolic sizes move with their axes', { given: { args: { dims: [2, 1, 3] }, input: [null, H, W, 8] }, want: { shape: [null, W, H, 8] } }],
    ['unknown sizes move too', { given: { args: { dims: [3, 2, 1] }, input: [null, null, 4, 2] }, want: { shape: [null, 2, 4, null] } }],
    [
      'a repeated axis: NS4009 at dims',
      {
        given: { args: { dims: [1, 1, 2] }, input: [null, 4, 5, 3] },
        want: { code: 'NS4009', option: 'dims', message: 'permute dims [1, 1, 2] is not a permutation of [1, 2, 3]' },
      },
    ],
    ['the batch axis 0 is not an axis to permute', { given: { args: { dims: [0, 1] }, input: [null, 4, 5] }, want: { code: 'NS4009', message: 'permute dims [0, 1] is not a permutation of [1, 2]' } }],
    ['an axis past the rank', { given: { args: { dims: [1, 3] }, input: [null, 4, 5] }, want: { code: 'NS4009', message: 'permute dims [1, 3] is not a permutation of [1, 2]' } }],
    ['too few entries', { given: { args: { dims: [2, 1] }, input: [null, 4, 5, 3] }, want: { code: 'NS4009', message: 'permute dims [2, 1] has 2 entries, but input [null, 4, 5, 3] has 3 axes after the batch' } }],
    ['too many entries', { given: { args: { dims: [1, 2] }, input: [null, 4] }, want: { code: 'NS4009', message: 'permute dims [1, 2] has 2 entries, but input [null, 4] has 1 axis after the batch' } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('permute', given, want));
});
