import { describe, test } from 'vitest';
import { check, type Case } from './helpers.js';

describe('dense', () => {
  const table: Case[] = [
    ['features -> units with bias', { given: { args: { units: 16 }, input: [null, 100] }, want: { shape: [null, 16], weights: [['kernel', [100, 16]], ['bias', [16]]], macs: 1600 } }],
    ['useBias: false drops the bias', { given: { args: { units: 16, useBias: false }, input: [null, 100] }, want: { shape: [null, 16], weights: [['kernel', [100, 16]]], macs: 1600 } }],
    ['known batch is kept', { given: { args: { units: 3 }, input: [32, 10] }, want: { shape: [32, 3], weights: [['kernel', [10, 3]], ['bias', [3]]], macs: 30 } }],
    ['DCGAN projection 100 -> 4*4*512', { given: { args: { units: 8192, useBias: false }, input: [null, 100] }, want: { shape: [null, 8192], weights: [['kernel', [100, 8192]]], macs: 819200 } }],
    [
      'rank 3: acts on the last axis, once per position',
      { given: { args: { units: 4 }, input: [null, 5, 8] }, want: { shape: [null, 5, 4], weights: [['kernel', [8, 4]], ['bias', [4]]], macs: 160 } },
    ],
    ['rank 4', { given: { args: { units: 2 }, input: [null, 3, 5, 7] }, want: { shape: [null, 3, 5, 2], weights: [['kernel', [7, 2]], ['bias', [2]]], macs: 210 } }],
    [
      'unknown leading axis: shape known, MACs unknown',
      { given: { args: { units: 4 }, input: [null, null, 8] }, want: { shape: [null, null, 4], weights: [['kernel', [8, 4]], ['bias', [4]]], macs: null } },
    ],
    ['rank 1 is rejected', { given: { args: { units: 4 }, input: [null] }, want: { code: 'NS4001', message: "dense expects rank 2 or more [batch, ..., features], received rank 1 [null] from 'x'" } }],
    [
      'unknown features',
      { given: { args: { units: 4 }, input: [null, null] }, want: { code: 'NS4007', message: "dense needs a known channel dimension to create its weights; received [null, null] from 'x'" } },
    ],
    [
      'two inputs',
      { given: { args: { units: 4 }, inputs: [[null, 3], [null, 3]] }, want: { code: 'NS4002', message: "dense takes 1 input, received 2 ('a', 'b')", option: 'from' } },
    ],
  ];
  test.each(table)('%s', (_, { given, want }) => check('dense', given, want));
});
