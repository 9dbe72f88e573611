import { describe, test } from 'vitest';
import { add, symbolic } from '../../src/infer/affine.js';
import { check, type Case } from './helpers.js';

describe('minibatchStdDev: one more channel, no weights (ProGAN minibatch_stddev_layer)', () => {
  const H = symbolic('H');
  const C = symbolic('C');
  const table: Case[] = [
    ['ProGAN 4x4 head, channelsLast', { given: { input: [null, 4, 4, 512] }, want: { shape: [null, 4, 4, 513], weights: [], macs: 0 } }],
    ['channelsFirst appends at axis 1', { given: { args: { dataFormat: 'channelsFirst' }, input: [null, 512, 4, 4] }, want: { shape: [null, 513, 4, 4] } }],
    ['symbolic spatial sizes are kept', { given: { input: [null, H, H, 16] }, want: { shape: [null, H, H, 17] } }],
    ['symbolic channels: C + 1', { given: { input: [null, 4, 4, C] }, want: { shape: [null, 4, 4, add(C, 1)] } }],
    ['unknown channels stay unknown', { given: { input: [null, 4, 4, null] }, want: { shape: [null, 4, 4, null] } }],
    ['rank 2 (features after a dense layer)', { given: { input: [null, 10] }, want: { shape: [null, 11] } }],
    ['rank 5', { given: { input: [null, 2, 3, 4, 5] }, want: { shape: [null, 2, 3, 4, 6] } }],
    ['a fixed batch that is a multiple of groupSize', { given: { args: { groupSize: 4 }, input: [8, 4, 4, 3] }, want: { shape: [8, 4, 4, 4] } }],
    ['a fixed batch smaller than groupSize is one group', { given: { input: [3, 4, 4, 3] }, want: { shape: [3, 4, 4, 4] } }],
    [
      'a fixed batch larger than groupSize and not a multiple: NS4024 at groupSize',
      {
        given: { args: { groupSize: 4 }, input: [6, 4, 4, 3] },
        want: { code: 'NS4024', option: 'groupSize', message: "minibatchStdDev with groupSize 4 needs a batch that is a multiple of 4 (or at most 4); received a batch fixed at 6 from 'x'" },
      },
    ],
    ['the default groupSize is 4', { given: { input: [10, 3] }, want: { code: 'NS4024', message: "minibatchStdDev with groupSize 4 needs a batch that is a multiple of 4 (or at most 4); received a batch fixed at 10 from 'x'" } }],
    ['rank 1', { given: { input: [null] }, want: { code: 'NS4001', message: "minibatchStdDev expects rank 2 or more [batch, ..., channels], received rank 1 [null] from 'x'" } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('minibatchStdDev', given, want));
});
