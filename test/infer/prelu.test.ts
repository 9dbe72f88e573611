import { describe, test } from 'vitest';
import { symbolic } from '../../src/infer/affine.js';
import { check, type Case } from './helpers.js';

describe('prelu: alpha is the input shape without the batch, 1 on the shared axes (Keras)', () => {
  const table: Case[] = [
    ['no sharing: one alpha per element', { given: { input: [null, 4, 4, 3] }, want: { shape: [null, 4, 4, 3], weights: [['alpha', [4, 4, 3]]], macs: 0 } }],
    ['SRGAN: shared over rows and cols, C parameters', { given: { args: { sharedAxes: [1, 2] }, input: [null, 24, 24, 64] }, want: { shape: [null, 24, 24, 64], weights: [['alpha', [1, 1, 64]]] } }],
    ['one shared axis as a number', { given: { args: { sharedAxes: 3 }, input: [null, 4, 5, 3] }, want: { shape: [null, 4, 5, 3], weights: [['alpha', [4, 5, 1]]] } }],
    ['channelsFirst: shared over the spatial axes 2 and 3', { given: { args: { sharedAxes: [2, 3] }, input: [null, 8, 4, 4] }, want: { shape: [null, 8, 4, 4], weights: [['alpha', [8, 1, 1]]] } }],
    ['rank 2', { given: { input: [null, 10] }, want: { shape: [null, 10], weights: [['alpha', [10]]] } }],
    ['shared axes may be unknown', { given: { args: { sharedAxes: [1, 2] }, input: [null, null, null, 16] }, want: { shape: [null, null, null, 16], weights: [['alpha', [1, 1, 16]]] } }],
    [
      'an unknown axis it does not share',
      {
        given: { args: { sharedAxes: [1] }, input: [null, 4, null, 16] },
        want: { code: 'NS4007', option: 'sharedAxes', message: "prelu needs a known size on every axis it does not share, to create alpha; received [null, 4, null, 16] from 'x', where axis 2 is unknown" },
      },
    ],
    [
      'a shared axis past the rank',
      {
        given: { args: { sharedAxes: [1, 4] }, input: [null, 4, 4, 3] },
        want: { code: 'NS4009', option: 'sharedAxes', message: 'sharedAxes [1, 4] names axis 4, but input [null, 4, 4, 3] of rank 4 has axes 1..3 after the batch' },
      },
    ],
    ['rank 1', { given: { input: [null] }, want: { code: 'NS4001', message: "prelu expects rank 2 or more [batch, ...], received rank 1 [null] from 'x'" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('prelu', given, want));

  test('a symbolic axis it does not share is NS4015; shared, it is fine', () => {
    const H = symbolic('H');
    check('prelu', { args: { sharedAxes: [2] }, input: [null, H, H, 3] }, { code: 'NS4015', option: 'sharedAxes', message: "prelu needs a fixed size on every axis it does not share, to create alpha; received [null, H, H, 3] from 'x', where axis 1 is H, which depends on a symbol" });
    check('prelu', { args: { sharedAxes: [1, 2] }, input: [null, H, H, 3] }, { shape: [null, H, H, 3], weights: [['alpha', [1, 1, 3]]] });
  });
});
