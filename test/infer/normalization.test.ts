import { describe, test } from 'vitest';
import { check, type Case } from './helpers.js';

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
