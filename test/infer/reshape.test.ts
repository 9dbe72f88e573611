import { describe, test } from 'vitest';
import { check, type Case } from './helpers.js';

describe('reshape', () => {
  const table: Case[] = [
    ['flat -> image (DCGAN)', { given: { args: { targetShape: [4, 4, 512] }, input: [null, 8192] }, want: { shape: [null, 4, 4, 512], macs: 0 } }],
    ['image -> flat', { given: { args: { targetShape: [48] }, input: [null, 4, 4, 3] }, want: { shape: [null, 48], macs: 0 } }],
    ['-1 is inferred', { given: { args: { targetShape: [-1, 8] }, input: [null, 4, 4, 8] }, want: { shape: [null, 16, 8] } }],
    ['-1 alone flattens', { given: { args: { targetShape: [-1] }, input: [null, 2, 8, 8] }, want: { shape: [null, 128] } }],
    ['-1 in the middle', { given: { args: { targetShape: [2, -1, 3] }, input: [null, 4, 9] }, want: { shape: [null, 2, 6, 3] } }],
    ['-1 standing for 1', { given: { args: { targetShape: [12, -1] }, input: [null, 3, 4] }, want: { shape: [null, 12, 1] } }],
    ['known batch is kept', { given: { args: { targetShape: [3, 4] }, input: [16, 12] }, want: { shape: [16, 3, 4] } }],
    ['unknown input dims leave -1 unknown', { given: { args: { targetShape: [-1, 4] }, input: [null, null, 8] }, want: { shape: [null, null, 4] } }],
    ['unknown input dims, no -1', { given: { args: { targetShape: [2, 4] }, input: [null, null, 8] }, want: { shape: [null, 2, 4] } }],
    [
      'element count mismatch',
      {
        given: { args: { targetShape: [4, 4, 8] }, input: [null, 100] },
        want: { code: 'NS4005', message: 'cannot reshape [null, 100] (100 elements per sample) into [4, 4, 8] (128 elements)', option: 'targetShape' },
      },
    ],
    [
      '-1 cannot absorb a remainder',
      {
        given: { args: { targetShape: [-1, 3] }, input: [null, 10] },
        want: { code: 'NS4005', message: 'cannot reshape [null, 10] (10 elements per sample) into [-1, 3] (a multiple of 3 elements)', option: 'targetShape' },
      },
    ],
    [
      'two -1 entries',
      { given: { args: { targetShape: [-1, -1] }, input: [null, 16] }, want: { code: 'NS4009', message: 'reshape target [-1, -1] has 2 entries of -1; at most one can be inferred', option: 'targetShape' } },
    ],
    ['two inputs', { given: { args: { targetShape: [4] }, inputs: [[null, 4], [null, 4]] }, want: { code: 'NS4002', message: "reshape takes 1 input, received 2 ('a', 'b')" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('reshape', given, want));
});

describe('flatten', () => {
  const table: Case[] = [
    ['image', { given: { input: [null, 4, 4, 8] }, want: { shape: [null, 128], macs: 0 } }],
    ['sequence', { given: { input: [null, 3, 5] }, want: { shape: [null, 15] } }],
    ['volume with known batch', { given: { input: [7, 2, 3, 4, 5] }, want: { shape: [7, 120] } }],
    ['channelsFirst flattens to the same length', { given: { args: { dataFormat: 'channelsFirst' }, input: [null, 8, 4, 4] }, want: { shape: [null, 128] } }],
    [
      'rank 2 is already flat',
      { given: { input: [null, 10] }, want: { code: 'NS4001', message: "flatten expects rank 3 or more, received rank 2 [null, 10] from 'x'; it is already flat" } },
    ],
    ['unknown dims', { given: { input: [null, null, 8] }, want: { code: 'NS4007', message: "flatten needs every non-batch dimension known; received [null, null, 8] from 'x'" } }],
    ['two inputs', { given: { inputs: [[null, 2, 2], [null, 2, 2]] }, want: { code: 'NS4002', message: "flatten takes 1 input, received 2 ('a', 'b')" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('flatten', given, want));
});
