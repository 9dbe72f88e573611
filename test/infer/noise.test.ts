import { describe, test } from 'vitest';
import { check, type Case } from './helpers.js';

/** Noise layers keep the shape and have no weights or multiply-adds. */
describe('gaussianNoise and gaussianDropout: any shape', () => {
  const table: [string, string, Case[1]][] = [
    ['gaussianNoise rank 2', 'gaussianNoise', { given: { args: { stddev: 0.1 }, input: [null, 100] }, want: { shape: [null, 100], weights: [], macs: 0 } }],
    ['gaussianNoise rank 4, seeded', 'gaussianNoise', { given: { args: { stddev: 1, seed: 3 }, input: [2, 8, 8, 3] }, want: { shape: [2, 8, 8, 3], weights: [], macs: 0 } }],
    ['gaussianDropout rank 3 with unknown dims', 'gaussianDropout', { given: { args: { rate: 0.5 }, input: [null, null, 7] }, want: { shape: [null, null, 7], weights: [], macs: 0 } }],
    ['gaussianDropout two inputs', 'gaussianDropout', { given: { args: { rate: 0.5 }, inputs: [[null, 3], [null, 3]] }, want: { code: 'NS4002', message: "gaussianDropout takes 1 input, received 2 ('a', 'b')" } }],
  ];
  test.each(table)('%s', (_, type, { given, want }) => check(type, given, want));
});

describe('spatialDropout1d/2d/3d: [batch, spatial..., channels]', () => {
  const table: [string, string, Case[1]][] = [
    ['1d', 'spatialDropout1d', { given: { args: { rate: 0.2 }, input: [null, 10, 4] }, want: { shape: [null, 10, 4], weights: [], macs: 0 } }],
    ['2d', 'spatialDropout2d', { given: { args: { rate: 0.2 }, input: [null, 8, 8, 16] }, want: { shape: [null, 8, 8, 16], weights: [], macs: 0 } }],
    ['2d channelsFirst, unknown spatial', 'spatialDropout2d', { given: { args: { rate: 0.2, dataFormat: 'channelsFirst' }, input: [null, 16, null, null] }, want: { shape: [null, 16, null, null], weights: [], macs: 0 } }],
    ['3d', 'spatialDropout3d', { given: { args: { rate: 0.5, seed: 1 }, input: [null, 4, 4, 4, 2] }, want: { shape: [null, 4, 4, 4, 2], weights: [], macs: 0 } }],
    ['1d on rank 4', 'spatialDropout1d', { given: { args: { rate: 0.2 }, input: [null, 8, 8, 3] }, want: { code: 'NS4001', message: "spatialDropout1d expects rank 3 input [batch, steps, channels], received rank 4 [null, 8, 8, 3] from 'x'" } }],
    ['2d on rank 3, channelsFirst layout named', 'spatialDropout2d', { given: { args: { rate: 0.2, dataFormat: 'channelsFirst' }, input: [null, 8, 3] }, want: { code: 'NS4001', message: "spatialDropout2d expects rank 4 input [batch, channels, rows, cols], received rank 3 [null, 8, 3] from 'x'" } }],
    ['3d on rank 4', 'spatialDropout3d', { given: { args: { rate: 0.2 }, input: [null, 8, 8, 3] }, want: { code: 'NS4001', message: "spatialDropout3d expects rank 5 input [batch, depth, rows, cols, channels], received rank 4 [null, 8, 8, 3] from 'x'" } }],
  ];
  test.each(table)('%s', (_, type, { given, want }) => check(type, given, want));
});
