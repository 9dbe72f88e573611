import { describe, test } from 'vitest';
import { check, type Case } from './helpers.js';

describe('activation, leakyReLU, reLU, elu: same shape', () => {
  const shapes = [
    [null, 10],
    [null, 8, 8, 3],
    [4, null, 2],
  ] as const;
  const table: [string, Case[1] & { type: string }][] = [];
  for (const [type, args] of [
    ['activation', { activation: 'relu' }],
    ['leakyReLU', { alpha: 0.2 }],
    ['reLU', { maxValue: 6 }],
    ['elu', {}],
  ] as const) {
    for (const shape of shapes) table.push([`${type} ${JSON.stringify(shape)}`, { type, given: { args, input: shape }, want: { shape, macs: 0 } }]);
    table.push([`${type} with two inputs`, { type, given: { args, inputs: [[null, 2], [null, 2]] }, want: { code: 'NS4002', message: `${type} takes 1 input, received 2 ('a', 'b')` } }]);
  }
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('softmax', () => {
  const table: Case[] = [
    ['default last axis', { given: { input: [null, 10] }, want: { shape: [null, 10], macs: 0 } }],
    ['axis 1 of an image', { given: { args: { axis: 1 }, input: [null, 3, 4, 4] }, want: { shape: [null, 3, 4, 4] } }],
    ['axis -2', { given: { args: { axis: -2 }, input: [null, 3, 4] }, want: { shape: [null, 3, 4] } }],
    ['axis 0 is the batch', { given: { args: { axis: 0 }, input: [null, 10] }, want: { code: 'NS4009', message: 'axis 0 is the batch axis for input [null, 10] of rank 2; use 1..1 or -1..-1', option: 'axis' } }],
    ['axis out of range', { given: { args: { axis: 2 }, input: [null, 10] }, want: { code: 'NS4009', message: 'axis 2 is out of range for input [null, 10] of rank 2; use 1..1 or -1..-1' } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('softmax', given, want));
});

describe('dropout', () => {
  const table: Case[] = [
    ['rate only', { given: { args: { rate: 0.5 }, input: [null, 4, 4, 8] }, want: { shape: [null, 4, 4, 8], macs: 0 } }],
    ['spatial dropout noise shape', { given: { args: { rate: 0.5, noiseShape: [null, 1, 1, 8] }, input: [null, 4, 4, 8] }, want: { shape: [null, 4, 4, 8] } }],
    ['noise shape repeating the input', { given: { args: { rate: 0.1, noiseShape: [null, 4, 4, 8] }, input: [null, 4, 4, 8] }, want: { shape: [null, 4, 4, 8] } }],
    ['noise shape over unknown dims', { given: { args: { rate: 0.1, noiseShape: [null, 7, 1] }, input: [null, null, 3] }, want: { shape: [null, null, 3] } }],
    [
      'noise shape of the wrong rank',
      {
        given: { args: { rate: 0.5, noiseShape: [null, 8] }, input: [null, 4, 4, 8] },
        want: { code: 'NS4009', message: 'noiseShape [null, 8] does not fit input [null, 4, 4, 8]: it needs the same rank, with 1 or the input\'s size on each axis', option: 'noiseShape' },
      },
    ],
    [
      'noise shape with a wrong size',
      {
        given: { args: { rate: 0.5, noiseShape: [null, 4, 3, 8] }, input: [null, 4, 4, 8] },
        want: { code: 'NS4009', message: "noiseShape [null, 4, 3, 8] does not fit input [null, 4, 4, 8]: it needs the same rank, with 1 or the input's size on each axis" },
      },
    ],
  ];
  test.each(table)('%s', (_, { given, want }) => check('dropout', given, want));
});
