import { describe, test } from 'vitest';
import { check, type Case } from './helpers.js';

type TypedCase = [string, Case[1] & { type: string }];

describe('upSampling', () => {
  const table: TypedCase[] = [
    ['2d default size 2', { type: 'upSampling2d', given: { input: [null, 4, 4, 8] }, want: { shape: [null, 8, 8, 8], macs: 0 } }],
    ['2d per-axis size', { type: 'upSampling2d', given: { args: { size: [2, 3] }, input: [null, 4, 4, 8] }, want: { shape: [null, 8, 12, 8] } }],
    ['2d bilinear has the same shape', { type: 'upSampling2d', given: { args: { size: 2, interpolation: 'bilinear' }, input: [null, 3, 5, 1] }, want: { shape: [null, 6, 10, 1] } }],
    ['2d channelsFirst', { type: 'upSampling2d', given: { args: { size: 3, dataFormat: 'channelsFirst' }, input: [null, 8, 4, 5] }, want: { shape: [null, 8, 12, 15] } }],
    ['2d unknown rows', { type: 'upSampling2d', given: { input: [null, null, 4, 8] }, want: { shape: [null, null, 8, 8] } }],
    ['1d default', { type: 'upSampling1d', given: { input: [null, 5, 3] }, want: { shape: [null, 10, 3] } }],
    ['1d size 3', { type: 'upSampling1d', given: { args: { size: 3 }, input: [null, 5, 3] }, want: { shape: [null, 15, 3] } }],
    ['3d per-axis', { type: 'upSampling3d', given: { args: { size: [1, 2, 3] }, input: [null, 2, 3, 4, 1] }, want: { shape: [null, 2, 6, 12, 1] } }],
    ['3d channelsFirst', { type: 'upSampling3d', given: { args: { dataFormat: 'channelsFirst' }, input: [null, 1, 2, 3, 4] }, want: { shape: [null, 1, 4, 6, 8] } }],
    [
      '2d rank 2 input',
      { type: 'upSampling2d', given: { input: [null, 8] }, want: { code: 'NS4001', message: "upSampling2d expects rank 4 input [batch, rows, cols, channels], received rank 2 [null, 8] from 'x'" } },
    ],
    [
      '3d rank 4 input',
      { type: 'upSampling3d', given: { input: [null, 8, 8, 1] }, want: { code: 'NS4001', message: "upSampling3d expects rank 5 input [batch, depth, rows, cols, channels], received rank 4 [null, 8, 8, 1] from 'x'" } },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('zeroPadding', () => {
  const table: TypedCase[] = [
    ['2d default 1', { type: 'zeroPadding2d', given: { input: [null, 4, 4, 3] }, want: { shape: [null, 6, 6, 3], macs: 0 } }],
    ['2d int', { type: 'zeroPadding2d', given: { args: { padding: 2 }, input: [null, 4, 4, 3] }, want: { shape: [null, 8, 8, 3] } }],
    ['2d [rows, cols] symmetric', { type: 'zeroPadding2d', given: { args: { padding: [1, 2] }, input: [null, 4, 4, 3] }, want: { shape: [null, 6, 8, 3] } }],
    ['2d pairs', { type: 'zeroPadding2d', given: { args: { padding: [[1, 0], [2, 3]] }, input: [null, 4, 4, 3] }, want: { shape: [null, 5, 9, 3] } }],
    ['2d int and pair mixed', { type: 'zeroPadding2d', given: { args: { padding: [1, [0, 2]] }, input: [null, 4, 4, 3] }, want: { shape: [null, 6, 6, 3] } }],
    ['2d channelsFirst', { type: 'zeroPadding2d', given: { args: { padding: [[1, 0], [2, 3]], dataFormat: 'channelsFirst' }, input: [null, 3, 4, 4] }, want: { shape: [null, 3, 5, 9] } }],
    ['2d unknown cols', { type: 'zeroPadding2d', given: { input: [null, 4, null, 3] }, want: { shape: [null, 6, null, 3] } }],
    ['1d default', { type: 'zeroPadding1d', given: { input: [null, 5, 2] }, want: { shape: [null, 7, 2] } }],
    ['1d int', { type: 'zeroPadding1d', given: { args: { padding: 2 }, input: [null, 5, 2] }, want: { shape: [null, 9, 2] } }],
    ['1d [begin, end]', { type: 'zeroPadding1d', given: { args: { padding: [1, 3] }, input: [null, 5, 2] }, want: { shape: [null, 9, 2] } }],
    ['3d mixed', { type: 'zeroPadding3d', given: { args: { padding: [[1, 0], 2, [0, 0]] }, input: [null, 2, 3, 4, 1] }, want: { shape: [null, 3, 7, 4, 1] } }],
    ['3d channelsFirst', { type: 'zeroPadding3d', given: { args: { padding: 1, dataFormat: 'channelsFirst' }, input: [null, 1, 2, 3, 4] }, want: { shape: [null, 1, 4, 5, 6] } }],
    [
      '2d rank 3 input',
      { type: 'zeroPadding2d', given: { input: [null, 4, 3] }, want: { code: 'NS4001', message: "zeroPadding2d expects rank 4 input [batch, rows, cols, channels], received rank 3 [null, 4, 3] from 'x'" } },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});

describe('cropping', () => {
  const table: TypedCase[] = [
    ['2d default crops nothing', { type: 'cropping2d', given: { input: [null, 8, 8, 3] }, want: { shape: [null, 8, 8, 3], macs: 0 } }],
    ['2d int', { type: 'cropping2d', given: { args: { cropping: 1 }, input: [null, 8, 8, 3] }, want: { shape: [null, 6, 6, 3] } }],
    ['2d [rows, cols] symmetric', { type: 'cropping2d', given: { args: { cropping: [1, 2] }, input: [null, 8, 8, 3] }, want: { shape: [null, 6, 4, 3] } }],
    ['2d pairs', { type: 'cropping2d', given: { args: { cropping: [[1, 1], [2, 0]] }, input: [null, 8, 8, 3] }, want: { shape: [null, 6, 6, 3] } }],
    ['2d channelsFirst', { type: 'cropping2d', given: { args: { cropping: [[1, 1], [2, 0]], dataFormat: 'channelsFirst' }, input: [null, 3, 8, 8] }, want: { shape: [null, 3, 6, 6] } }],
    ['2d unknown rows stay unknown', { type: 'cropping2d', given: { args: { cropping: 1 }, input: [null, null, 8, 3] }, want: { shape: [null, null, 6, 3] } }],
    ['1d default crops 1 per side (Keras)', { type: 'cropping1d', given: { input: [null, 10, 3] }, want: { shape: [null, 8, 3] } }],
    ['3d default crops 1 per side (Keras)', { type: 'cropping3d', given: { input: [null, 4, 5, 6, 1] }, want: { shape: [null, 2, 3, 4, 1] } }],
    ['1d [begin, end]', { type: 'cropping1d', given: { args: { cropping: [1, 2] }, input: [null, 10, 3] }, want: { shape: [null, 7, 3] } }],
    ['1d int', { type: 'cropping1d', given: { args: { cropping: 2 }, input: [null, 10, 3] }, want: { shape: [null, 6, 3] } }],
    ['3d int', { type: 'cropping3d', given: { args: { cropping: 1 }, input: [null, 4, 4, 4, 1] }, want: { shape: [null, 2, 2, 2, 1] } }],
    ['3d mixed', { type: 'cropping3d', given: { args: { cropping: [0, [1, 0], [0, 2]] }, input: [null, 4, 4, 4, 1] }, want: { shape: [null, 4, 3, 2, 1] } }],
    [
      '2d crops a whole axis',
      {
        type: 'cropping2d',
        given: { args: { cropping: [[2, 2], [0, 0]] }, input: [null, 4, 8, 3] },
        want: { code: 'NS4004', message: 'cropping2d would produce an empty output: spatial axis 0 has length 0 (input 4, cropping [2, 2])', option: 'cropping' },
      },
    ],
    [
      '1d crops more than the axis',
      { type: 'cropping1d', given: { args: { cropping: [3, 3] }, input: [null, 5, 1] }, want: { code: 'NS4004', message: 'cropping1d would produce an empty output: spatial axis 0 has length -1 (input 5, cropping [3, 3])' } },
    ],
    [
      '3d rank 4 input',
      { type: 'cropping3d', given: { input: [null, 4, 4, 1] }, want: { code: 'NS4001', message: "cropping3d expects rank 5 input [batch, depth, rows, cols, channels], received rank 4 [null, 4, 4, 1] from 'x'" } },
    ],
  ];
  test.each(table)('%s', (_, { type, given, want }) => check(type, given, want));
});
