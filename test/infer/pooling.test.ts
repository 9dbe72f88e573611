import { describe, test } from 'vitest';
import { symbolic } from '../../src/infer/affine.js';
import { check, type Case } from './helpers.js';

describe('maxPooling2d / averagePooling2d', () => {
  const table: Case[] = [
    ['default pool 2, strides = pool', { given: { input: [null, 28, 28, 3] }, want: { shape: [null, 14, 14, 3], macs: 0 } }],
    ['odd input drops the last row', { given: { input: [null, 5, 5, 2] }, want: { shape: [null, 2, 2, 2] } }],
    ['odd input, same keeps it', { given: { args: { padding: 'same' }, input: [null, 5, 5, 2] }, want: { shape: [null, 3, 3, 2] } }],
    ['pool 3 stride 2 valid', { given: { args: { poolSize: 3, strides: 2 }, input: [null, 7, 7, 1] }, want: { shape: [null, 3, 3, 1] } }],
    ['pool 3 stride 2 same', { given: { args: { poolSize: 3, strides: 2, padding: 'same' }, input: [null, 7, 7, 1] }, want: { shape: [null, 4, 4, 1] } }],
    ['stride 1 overlapping windows', { given: { args: { strides: 1 }, input: [null, 5, 5, 2] }, want: { shape: [null, 4, 4, 2] } }],
    ['per-axis pool', { given: { args: { poolSize: [2, 3] }, input: [null, 6, 9, 1] }, want: { shape: [null, 3, 3, 1] } }],
    ['per-axis pool and strides', { given: { args: { poolSize: [2, 3], strides: [1, 3] }, input: [null, 6, 9, 1] }, want: { shape: [null, 5, 3, 1] } }],
    ['channelsFirst', { given: { args: { dataFormat: 'channelsFirst' }, input: [null, 3, 8, 6] }, want: { shape: [null, 3, 4, 3] } }],
    ['unknown spatial and channels pass through', { given: { input: [null, null, 8, null] }, want: { shape: [null, null, 4, null] } }],
    ['known batch kept', { given: { input: [4, 2, 2, 1] }, want: { shape: [4, 1, 1, 1] } }],
    [
      'window larger than input',
      {
        given: { input: [null, 1, 1, 3] },
        want: { code: 'NS4004', message: 'maxPooling2d would produce an empty output: spatial axis 0 has length 0 (input 1, pool 2, stride 2, padding valid)', option: 'poolSize' },
      },
    ],
    [
      'rank 3 input',
      { given: { input: [null, 10, 3] }, want: { code: 'NS4001', message: "maxPooling2d expects rank 4 input [batch, rows, cols, channels], received rank 3 [null, 10, 3] from 'x'" } },
    ],
    ['two inputs', { given: { inputs: [[null, 4, 4, 1], [null, 4, 4, 1]] }, want: { code: 'NS4002', message: "maxPooling2d takes 1 input, received 2 ('a', 'b')" } }],
  ];
  test.each(table)('maxPooling2d %s', (_, { given, want }) => check('maxPooling2d', given, want));
  test.each(table.filter(([, { want }]) => !('code' in want)))('averagePooling2d %s', (_, { given, want }) => check('averagePooling2d', given, want));
});

describe('pooling 1d and 3d', () => {
  const table: [string, Case[1] & { type: string }][] = [
    ['maxPooling1d default', { type: 'maxPooling1d', given: { input: [null, 10, 4] }, want: { shape: [null, 5, 4] } }],
    ['averagePooling1d pool 3 stride 1 same', { type: 'averagePooling1d', given: { args: { poolSize: 3, strides: 1, padding: 'same' }, input: [null, 10, 4] }, want: { shape: [null, 10, 4] } }],
    ['maxPooling1d pool [4]', { type: 'maxPooling1d', given: { args: { poolSize: [4] }, input: [null, 10, 4] }, want: { shape: [null, 2, 4] } }],
    ['maxPooling3d default', { type: 'maxPooling3d', given: { input: [null, 4, 6, 8, 2] }, want: { shape: [null, 2, 3, 4, 2] } }],
    ['averagePooling3d per-axis pool', { type: 'averagePooling3d', given: { args: { poolSize: [1, 2, 2] }, input: [null, 4, 6, 8, 2] }, want: { shape: [null, 4, 3, 4, 2] } }],
    ['averagePooling3d channelsFirst', { type: 'averagePooling3d', given: { args: { dataFormat: 'channelsFirst' }, input: [null, 2, 4, 6, 8] }, want: { shape: [null, 2, 2, 3, 4] } }],
    [
      'maxPooling1d rank 4 input',
      { type: 'maxPooling1d', given: { input: [null, 4, 4, 1] }, want: { code: 'NS4001', message: "maxPooling1d expects rank 3 input [batch, steps, channels], received rank 4 [null, 4, 4, 1] from 'x'" } },
    ],
    [
      'maxPooling3d empty depth',
      { type: 'maxPooling3d', given: { args: { poolSize: [3, 1, 1] }, input: [null, 2, 4, 4, 1] }, want: { code: 'NS4004', message: 'maxPooling3d would produce an empty output: spatial axis 0 has length 0 (input 2, pool 3, stride 3, padding valid)' } },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('global average pooling', () => {
  const table: [string, Case[1] & { type: string }][] = [
    ['1d', { type: 'globalAveragePooling1d', given: { input: [null, 10, 4] }, want: { shape: [null, 4], macs: 0 } }],
    ['1d unknown steps', { type: 'globalAveragePooling1d', given: { input: [null, null, 4] }, want: { shape: [null, 4] } }],
    ['2d', { type: 'globalAveragePooling2d', given: { input: [null, 7, 7, 16] }, want: { shape: [null, 16] } }],
    ['2d channelsFirst', { type: 'globalAveragePooling2d', given: { args: { dataFormat: 'channelsFirst' }, input: [null, 16, 7, 7] }, want: { shape: [null, 16] } }],
    ['2d known batch', { type: 'globalAveragePooling2d', given: { input: [8, 3, 3, 2] }, want: { shape: [8, 2] } }],
    [
      '1d rank 4 input',
      { type: 'globalAveragePooling1d', given: { input: [null, 4, 4, 1] }, want: { code: 'NS4001', message: "globalAveragePooling1d expects rank 3 input [batch, steps, channels], received rank 4 [null, 4, 4, 1] from 'x'" } },
    ],
    [
      '2d rank 3 input',
      { type: 'globalAveragePooling2d', given: { input: [null, 7, 16] }, want: { code: 'NS4001', message: "globalAveragePooling2d expects rank 4 input [batch, rows, cols, channels], received rank 3 [null, 7, 16] from 'x'" } },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('global max pooling, the 3D ones, dataFormat and keepdims (Keras 3)', () => {
  const H = symbolic('H');
  const table: [string, Case[1] & { type: string }][] = [
    ['max 1d', { type: 'globalMaxPooling1d', given: { input: [null, 10, 4] }, want: { shape: [null, 4], weights: [], macs: 0 } }],
    ['max 1d channelsFirst', { type: 'globalMaxPooling1d', given: { args: { dataFormat: 'channelsFirst' }, input: [null, 4, 10] }, want: { shape: [null, 4] } }],
    ['average 1d channelsFirst', { type: 'globalAveragePooling1d', given: { args: { dataFormat: 'channelsFirst' }, input: [null, 4, 10] }, want: { shape: [null, 4] } }],
    ['max 2d symbolic', { type: 'globalMaxPooling2d', given: { input: [null, H, H, 8] }, want: { shape: [null, 8] } }],
    ['max 2d keepdims', { type: 'globalMaxPooling2d', given: { args: { keepdims: true }, input: [null, H, 5, 8] }, want: { shape: [null, 1, 1, 8] } }],
    ['average 2d keepdims channelsFirst', { type: 'globalAveragePooling2d', given: { args: { keepdims: true, dataFormat: 'channelsFirst' }, input: [2, 8, H, H] }, want: { shape: [2, 8, 1, 1] } }],
    ['average 3d', { type: 'globalAveragePooling3d', given: { input: [null, 2, 3, 4, 5] }, want: { shape: [null, 5] } }],
    ['max 3d channelsFirst keepdims', { type: 'globalMaxPooling3d', given: { args: { dataFormat: 'channelsFirst', keepdims: true }, input: [null, 5, 2, null, 4] }, want: { shape: [null, 5, 1, 1, 1] } }],
    ['keepdims false is the default', { type: 'globalMaxPooling3d', given: { args: { keepdims: false }, input: [null, 2, 3, 4, 5] }, want: { shape: [null, 5] } }],
    [
      'max 3d rank 4 input',
      { type: 'globalMaxPooling3d', given: { input: [null, 7, 7, 16] }, want: { code: 'NS4001', message: "globalMaxPooling3d expects rank 5 input [batch, depth, rows, cols, channels], received rank 4 [null, 7, 7, 16] from 'x'" } },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});
