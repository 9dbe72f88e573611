import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Cropping, UpSampling, ZeroPadding, type PairsArg } from '../../src/runtime/resample.js';
import { channelsFirstToLast, channelsLastToFirst, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { cropRef, upSampleRef, zeroPadRef } from '../reference/resample.js';

type DataFormat = 'channelsLast' | 'channelsFirst';
type Pair = readonly [number, number];

const BATCH = 2;
const CHANNELS = 3;
const SPATIAL: Readonly<Record<1 | 2 | 3, readonly number[]>> = { 1: [5], 2: [4, 5], 3: [3, 4, 2] };
const FORMATS: readonly DataFormat[] = ['channelsLast', 'channelsFirst'];

function toTensor(a: NdArray): tf.Tensor {
  return tf.tensor(Float32Array.from(a.data), a.shape.slice());
}

/** Resampling moves values without arithmetic: results must be exact. */
function expectSame(got: tf.Tensor, want: NdArray): void {
  expect(got.shape).toEqual(want.shape);
  expect(Array.from(got.dataSync())).toEqual(Array.from(Float32Array.from(want.data)));
}

function input(rank: 1 | 2 | 3, seed: number): NdArray {
  return randomArray([BATCH, ...SPATIAL[rank], CHANNELS], lcg(seed));
}

const inLayout = (format: DataFormat, a: NdArray) => (format === 'channelsFirst' ? channelsLastToFirst(a) : a);
const outLayout = inLayout;

/** Runs `layer` on `x` (channelsLast data, fed in `format`) and checks values and computeOutputShape against `want`. */
function check(layer: tf.layers.Layer, format: DataFormat, x: NdArray, want: NdArray): void {
  const xIn = inLayout(format, x);
  const wantOut = outLayout(format, want);
  tf.tidy(() => {
    const y = layer.apply(toTensor(xIn)) as tf.Tensor;
    expectSame(y, wantOut);
    return undefined;
  });
  expect(layer.computeOutputShape(xIn.shape.slice())).toEqual(wantOut.shape);
  expect(layer.computeOutputShape([null, ...xIn.shape.slice(1)])).toEqual([null, ...wantOut.shape.slice(1)]);
}

/** Spatial axes of a channelsLast/First shape with one spatial length unknown stay unknown. */
function checkUnknownSpatial(layer: tf.layers.Layer, format: DataFormat, rank: number): void {
  const spatialStart = format === 'channelsFirst' ? 2 : 1;
  const shape: (number | null)[] = format === 'channelsFirst' ? [null, CHANNELS, ...new Array<null>(rank).fill(null)] : [null, ...new Array<null>(rank).fill(null), CHANNELS];
  const out = layer.computeOutputShape(shape) as (number | null)[];
  expect(out.slice(spatialStart, spatialStart + rank)).toEqual(new Array<null>(rank).fill(null));
  expect(out[format === 'channelsFirst' ? 1 : rank + 1]).toBe(CHANNELS);
}

/** [argument as the user writes it, the pairs it means]. */
type PairsCase = readonly [string, PairsArg | undefined, readonly Pair[]];

const padCases: Readonly<Record<1 | 3, readonly PairsCase[]>> = {
  1: [
    ['default', undefined, [[1, 1]]],
    ['int', 2, [[2, 2]]],
    ['[begin, end]', [0, 3], [[0, 3]]],
    ['[[begin, end]]', [[2, 1]], [[2, 1]]],
  ],
  3: [
    ['default', undefined, [[1, 1], [1, 1], [1, 1]]],
    ['int', 2, [[2, 2], [2, 2], [2, 2]]],
    ['int per axis', [1, 0, 2], [[1, 1], [0, 0], [2, 2]]],
    ['pair per axis', [[0, 1], [2, 0], [1, 3]], [[0, 1], [2, 0], [1, 3]]],
    ['mixed', [[1, 0], 2, [0, 1]], [[1, 0], [2, 2], [0, 1]]],
  ],
};

const cropCases: Readonly<Record<1 | 3, readonly PairsCase[]>> = {
  1: [
    ['default (Keras: 1 per side)', undefined, [[1, 1]]],
    ['int', 1, [[1, 1]]],
    ['[begin, end]', [2, 0], [[2, 0]]],
    ['[[begin, end]]', [[0, 3]], [[0, 3]]],
  ],
  3: [
    ['default (Keras: 1 per side)', undefined, [[1, 1], [1, 1], [1, 1]]],
    ['int', 1, [[1, 1], [1, 1], [1, 1]]],
    ['int per axis', [1, 0, 0], [[1, 1], [0, 0], [0, 0]]],
    ['pair per axis', [[0, 1], [2, 1], [1, 0]], [[0, 1], [2, 1], [1, 0]]],
    ['mixed', [[1, 0], 1, [0, 1]], [[1, 0], [1, 1], [0, 1]]],
  ],
};

const sizeCases: Readonly<Record<1 | 3, readonly (readonly [string, number | readonly number[] | undefined, readonly number[]])[]>> = {
  1: [
    ['default', undefined, [2]],
    ['int', 3, [3]],
    ['[n]', [1], [1]],
  ],
  3: [
    ['default', undefined, [2, 2, 2]],
    ['int', 3, [3, 3, 3]],
    ['per axis', [1, 2, 3], [1, 2, 3]],
  ],
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

for (const rank of [1, 3] as const) {
  describe(`rank ${rank} runtime layers vs the references (cpu)`, () => {
    for (const format of FORMATS) {
      test.each(sizeCases[rank].map(([name, size, want]) => [name, size, want] as const))(`UpSampling ${format} size %s`, (_name, size, want) => {
        const layer = new UpSampling({ rank, dataFormat: format, ...(size === undefined ? {} : { size }) });
        const x = input(rank, 11);
        check(layer, format, x, upSampleRef(x, want));
        checkUnknownSpatial(layer, format, rank);
      });

      test.each(padCases[rank].map(([name, padding, want]) => [name, padding, want] as const))(`ZeroPadding ${format} padding %s`, (_name, padding, want) => {
        const layer = new ZeroPadding({ rank, dataFormat: format, ...(padding === undefined ? {} : { padding }) });
        const x = input(rank, 12);
        check(layer, format, x, zeroPadRef(x, want));
        checkUnknownSpatial(layer, format, rank);
      });

      test.each(cropCases[rank].map(([name, cropping, want]) => [name, cropping, want] as const))(`Cropping ${format} cropping %s`, (_name, cropping, want) => {
        const layer = new Cropping({ rank, dataFormat: format, ...(cropping === undefined ? {} : { cropping }) });
        const x = input(rank, 13);
        check(layer, format, x, cropRef(x, want));
        checkUnknownSpatial(layer, format, rank);
      });
    }
  });
}

describe('rank 2: the references agree with native tfjs (and so does the runtime at rank 2)', () => {
  for (const format of FORMATS) {
    test.each([
      ['[2, 2]', [2, 2]],
      ['[1, 3]', [1, 3]],
      ['[3, 2]', [3, 2]],
    ] as const)(`upSampling2d ${format} size %s`, (_name, size) => {
      const x = input(2, 21);
      const want = upSampleRef(x, size);
      check(tf.layers.upSampling2d({ size: size.slice(), dataFormat: format }), format, x, want);
      check(new UpSampling({ rank: 2, size, dataFormat: format }), format, x, want);
    });

    test.each([
      ['int', 2, [[2, 2], [2, 2]]],
      ['int per axis', [1, 3], [[1, 1], [3, 3]]],
      ['pair per axis', [[0, 2], [3, 1]], [[0, 2], [3, 1]]],
    ] as const)(`zeroPadding2d ${format} padding %s`, (_name, padding, want) => {
      const x = input(2, 22);
      const expected = zeroPadRef(x, want);
      const native = typeof padding === 'number' ? padding : padding.map((p) => (typeof p === 'number' ? p : [p[0], p[1]]));
      check(tf.layers.zeroPadding2d({ padding: native as never, dataFormat: format }), format, x, expected);
      check(new ZeroPadding({ rank: 2, padding, dataFormat: format }), format, x, expected);
    });

    test.each([
      ['int', 1, [[1, 1], [1, 1]]],
      ['int per axis', [1, 2], [[1, 1], [2, 2]]],
      ['pair per axis', [[0, 2], [3, 1]], [[0, 2], [3, 1]]],
    ] as const)(`cropping2D ${format} cropping %s`, (_name, cropping, want) => {
      const x = input(2, 23);
      const expected = cropRef(x, want);
      const native = typeof cropping === 'number' ? cropping : cropping.map((p) => (typeof p === 'number' ? p : [p[0], p[1]]));
      check(tf.layers.cropping2D({ cropping: native as never, dataFormat: format }), format, x, expected);
      check(new Cropping({ rank: 2, cropping, dataFormat: format }), format, x, expected);
    });
  }

  test('the channelsFirst helpers of the reference invert each other', () => {
    const x = input(3, 31);
    expect(channelsFirstToLast(channelsLastToFirst(x))).toEqual(x);
  });
});
