import { describe, test } from 'vitest';
import { symbolic } from '../../src/infer/affine.js';
import { check, type Case } from './helpers.js';

describe('concatenate', () => {
  const table: Case[] = [
    ['channels of two images', { given: { inputs: [[null, 8, 8, 3], [null, 8, 8, 5]] }, want: { shape: [null, 8, 8, 8], macs: 0 } }],
    ['three inputs', { given: { inputs: [[null, 4, 1], [null, 4, 2], [null, 4, 3]] }, want: { shape: [null, 4, 6] } }],
    ['flat vectors', { given: { inputs: [[null, 3], [null, 4]] }, want: { shape: [null, 7] } }],
    ['axis 1', { given: { args: { axis: 1 }, inputs: [[null, 2, 5], [null, 3, 5]] }, want: { shape: [null, 5, 5] } }],
    ['axis -2', { given: { args: { axis: -2 }, inputs: [[null, 2, 5], [null, 3, 5]] }, want: { shape: [null, 5, 5] } }],
    ['channelsFirst images on axis 1', { given: { args: { axis: 1 }, inputs: [[null, 3, 8, 8], [null, 1, 8, 8], [null, 4, 8, 8]] }, want: { shape: [null, 8, 8, 8] } }],
    ['unknown length on the concat axis', { given: { args: { axis: 1 }, inputs: [[null, null, 5], [null, 4, 5]] }, want: { shape: [null, null, 5] } }],
    ['unknown off-axis dims on every input', { given: { inputs: [[null, null, 3], [null, null, 5]] }, want: { shape: [null, null, 8] } }],
    ['equal known batch', { given: { inputs: [[4, 3], [4, 5]] }, want: { shape: [4, 8] } }],
    [
      'ranks differ',
      {
        given: { inputs: [[null, 8, 8, 3], [null, 8, 3]] },
        want: { code: 'NS4003', message: "concatenate needs inputs of equal rank: rank 4 [null, 8, 8, 3] from 'a' vs rank 3 [null, 8, 3] from 'b'", option: 'from' },
      },
    ],
    [
      'spatial dims differ (U-Net skip off by one)',
      { given: { inputs: [[null, 8, 8, 3], [null, 7, 7, 3]] }, want: { code: 'NS4003', message: "concatenate along axis -1 needs equal spatial dims: [8, 8] from 'a' vs [7, 7] from 'b'", option: 'from' } },
    ],
    [
      'third input differs',
      { given: { inputs: [[null, 4, 4, 1], [null, 4, 4, 2], [null, 4, 2, 3]] }, want: { code: 'NS4003', message: "concatenate along axis -1 needs equal spatial dims: [4, 4] from 'a' vs [4, 2] from 'c'" } },
    ],
    [
      'off-axis dims differ, axis 1',
      { given: { args: { axis: 1 }, inputs: [[null, 4, 5], [null, 3, 6]] }, want: { code: 'NS4003', message: "concatenate along axis 1 needs equal dims off axis 1: [5] from 'a' vs [6] from 'b'" } },
    ],
    [
      // tfjs Concatenate.build compares the shapes with arraysEqual: an unknown dim only matches an unknown one.
      'unknown vs known off-axis dim',
      { given: { inputs: [[null, null, 5], [null, 4, 5]] }, want: { code: 'NS4003', message: "concatenate along axis -1 needs equal spatial dims: [null] from 'a' vs [4] from 'b'" } },
    ],
    [
      'known batch vs unknown batch',
      { given: { inputs: [[4, 3], [null, 3]] }, want: { code: 'NS4003', message: "concatenate needs equal batch sizes: 4 from 'a' vs null from 'b'", option: 'from' } },
    ],
    ['axis 0 is the batch', { given: { args: { axis: 0 }, inputs: [[null, 3], [null, 3]] }, want: { code: 'NS4009', message: 'axis 0 is the batch axis for inputs of rank 2', option: 'axis' } }],
    ['axis out of range', { given: { args: { axis: 3 }, inputs: [[null, 3, 3], [null, 3, 3]] }, want: { code: 'NS4009', message: 'axis 3 is out of range for inputs of rank 3' } }],
    ['negative axis out of range', { given: { args: { axis: -4 }, inputs: [[null, 3, 3], [null, 3, 3]] }, want: { code: 'NS4009', message: 'axis -4 is out of range for inputs of rank 3' } }],
    ['one input', { given: { inputs: [[null, 3]] }, want: { code: 'NS4002', message: 'concatenate merges two or more tensors, received 1', option: 'from' } }],
  ];
  test.each(table)('%s', (_, { given, want }) => check('concatenate', given, want));
});

describe('add / multiply', () => {
  const table: Case[] = [
    ['equal shapes', { given: { inputs: [[null, 8, 8, 3], [null, 8, 8, 3]] }, want: { shape: [null, 8, 8, 3], macs: 0 } }],
    ['three inputs', { given: { inputs: [[null, 5], [null, 5], [null, 5]] }, want: { shape: [null, 5] } }],
    ['a 1 broadcasts', { given: { inputs: [[null, 8, 8, 1], [null, 8, 8, 3]] }, want: { shape: [null, 8, 8, 3] } }],
    ['1s on both sides broadcast', { given: { inputs: [[null, 1, 4], [null, 3, 1]] }, want: { shape: [null, 3, 4] } }],
    ['lower rank aligns from the right', { given: { inputs: [[null, 3], [null, 8, 8, 3]] }, want: { shape: [null, 8, 8, 3] } }],
    ['lower rank second', { given: { inputs: [[null, 4, 5], [null, 5]] }, want: { shape: [null, 4, 5] } }],
    ['known batch wins over unknown', { given: { inputs: [[null, 3], [4, 3]] }, want: { shape: [4, 3] } }],
    ['unknown vs known dim is unknown (tfjs)', { given: { inputs: [[null, null, 3], [null, 5, 3]] }, want: { shape: [null, null, 3] } }],
    ['unknown vs 1 is unknown', { given: { inputs: [[null, null, 3], [null, 1, 3]] }, want: { shape: [null, null, 3] } }],
    [
      'channels differ',
      {
        given: { inputs: [[null, 8, 8, 3], [null, 8, 8, 4]] },
        want: { code: 'NS4003', message: "add needs shapes that broadcast: [null, 8, 8, 3] from 'a' vs [null, 8, 8, 4] from 'b' differ at 3 vs 4", option: 'from' },
      },
    ],
    [
      'third input differs',
      { given: { inputs: [[null, 4], [null, 4], [null, 2]] }, want: { code: 'NS4003', message: "add needs shapes that broadcast: [null, 4] from 'a' vs [null, 2] from 'c' differ at 4 vs 2" } },
    ],
    [
      // tfjs Merge.build throws "Can not merge tensors with different batch sizes".
      'known batch sizes differ',
      { given: { inputs: [[4, 3], [8, 3]] }, want: { code: 'NS4003', message: "add needs equal batch sizes: 4 from 'a' vs 8 from 'b'", option: 'from' } },
    ],
    ['one input', { given: { inputs: [[null, 3]] }, want: { code: 'NS4002', message: 'add merges two or more tensors, received 1', option: 'from' } }],
  ];
  test.each(table)('add: %s', (_, { given, want }) => check('add', given, want));
  const asMultiply = (want: Case[1]['want']): Case[1]['want'] => ('code' in want ? { ...want, message: want.message.replace(/^add /, 'multiply ') } : want);
  test.each(table.map(([name, { given, want }]): Case => [name, { given, want: asMultiply(want) }]))('multiply: %s', (_, { given, want }) => check('multiply', given, want));
});

describe('subtract, average, maximum, minimum: broadcast as add (tfjs Merge)', () => {
  const H = symbolic('H');
  for (const type of ['subtract', 'average', 'maximum', 'minimum']) {
    const table: Case[] = [
      ['equal shapes', { given: { inputs: [[null, 8, 8, 3], [null, 8, 8, 3]] }, want: { shape: [null, 8, 8, 3], weights: [], macs: 0 } }],
      ['a 1 broadcasts', { given: { inputs: [[null, 8, 8, 1], [null, 8, 8, 3]] }, want: { shape: [null, 8, 8, 3] } }],
      ['lower rank aligns from the right', { given: { inputs: [[null, 3], [null, 8, 8, 3]] }, want: { shape: [null, 8, 8, 3] } }],
      ['symbolic sizes', { given: { inputs: [[null, H, H, 3], [null, H, H, 3]] }, want: { shape: [null, H, H, 3] } }],
      [
        'channels differ',
        {
          given: { inputs: [[null, 4, 3], [null, 4, 2]] },
          want: { code: 'NS4003', message: `${type} needs shapes that broadcast: [null, 4, 3] from 'a' vs [null, 4, 2] from 'b' differ at 3 vs 2`, option: 'from' },
        },
      ],
    ];
    test.each(table)(`${type}: %s`, (_, { given, want }) => check(type, given, want));
  }

  for (const type of ['average', 'maximum', 'minimum']) {
    test(`${type} takes three inputs, and needs two`, () => {
      check(type, { inputs: [[null, 5], [null, 5], [null, 1]] }, { shape: [null, 5] });
      check(type, { inputs: [[null, 5]] }, { code: 'NS4002', message: `${type} merges two or more tensors, received 1`, option: 'from' });
    });
  }

  test('subtract takes exactly two inputs (Keras Subtract)', () => {
    const message = (n: number, ids: string) => `subtract takes exactly 2 inputs, the first minus the second; received ${n} (${ids})`;
    check('subtract', { inputs: [[null, 5], [null, 5], [null, 5]] }, { code: 'NS4002', message: message(3, "'a', 'b', 'c'"), option: 'from' });
    check('subtract', { inputs: [[null, 5]] }, { code: 'NS4002', message: message(1, "'x'"), option: 'from' });
  });
});
