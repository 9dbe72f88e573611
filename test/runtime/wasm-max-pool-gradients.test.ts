/**
 * The wasm backend's MaxPoolGrad and MaxPool3DGrad, which netspec/runtime
 * replaces (tfjs-backend-wasm 4.22 starts each window's search at the
 * smallest positive float, so a window of negative values gets no
 * gradient), and cpu's MaxPool3DGrad, which it also replaces (wrong when a
 * pool's height and width differ: the 2x3x2 row): the gradient of max
 * pooling equals a plain-loop reference on cpu and wasm over a grid of pool
 * sizes, strides and paddings; equal maxima (zeros after a relu) send the
 * gradient where cpu's kernels do (the first in 2D, the last in 3D).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import '../../src/runtime/index.js';
import { lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { maxPoolGradientRef, windows } from '../reference/conv3d.js';
import { worstRelativeError } from '../helpers/close.js';

/** [name, x shape (channelsLast, 2 or 3 spatial axes), pool, strides, padding]. */
const cases: [string, number[], number[], number[], 'valid' | 'same'][] = [
  ['2x2 stride 2 valid', [2, 6, 6, 3], [2, 2], [2, 2], 'valid'],
  ['3x3 stride 2 same on odd sizes', [1, 7, 5, 2], [3, 3], [2, 2], 'same'],
  ['3x3 stride 1 same: overlapping windows', [2, 5, 5, 2], [3, 3], [1, 1], 'same'],
  ['3x2 strides 2,1 valid, rows left over', [1, 8, 7, 2], [3, 2], [2, 1], 'valid'],
  ['1x1 stride 1', [1, 4, 4, 3], [1, 1], [1, 1], 'valid'],
  ['2x2x2 stride 2 valid', [2, 4, 6, 6, 3], [2, 2, 2], [2, 2, 2], 'valid'],
  ['3x3x3 stride 2 same', [1, 5, 7, 5, 2], [3, 3, 3], [2, 2, 2], 'same'],
  ['2x3x2 strides 1,2,1 valid', [1, 6, 8, 8, 2], [2, 3, 2], [1, 2, 1], 'valid'],
];

const tensorOf = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape as number[]);
const pool = (x: tf.Tensor, k: number[], s: number[], padding: 'valid' | 'same') =>
  x.rank === 4 ? tf.maxPool(x as tf.Tensor4D, k as [number, number], s as [number, number], padding) : tf.maxPool3d(x as tf.Tensor5D, k as [number, number, number], s as [number, number, number], padding);

/** The gradient of sum(maxPool(x) * dy) by tf.grad, as a training step computes it. */
function gradient(x: NdArray, dy: NdArray, k: number[], s: number[], padding: 'valid' | 'same'): Float32Array {
  return tf.tidy(() => {
    const r = tensorOf(dy);
    return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(pool(input, k, s, padding), r)))(tensorOf(x)).dataSync() as Float32Array;
  });
}

function dyShape(x: NdArray, k: number[], s: number[], padding: 'valid' | 'same'): number[] {
  const spatial = x.shape.slice(1, -1).map((n, a) => windows(n, k[a]!, s[a]!, padding).out);
  return [x.shape[0]!, ...spatial, x.shape[x.shape.length - 1]!];
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`max pooling's gradient on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });
    test.each(cases)('%s: equals the plain-loop gradient', (_, shape, k, s, padding) => {
      const next = lcg(shape.reduce((a, b) => a * 5 + b, 11));
      const x = randomArray(shape, next);
      const dy = randomArray(dyShape(x, k, s, padding), next);
      expect(worstRelativeError(gradient(x, dy, k, s, padding), maxPoolGradientRef(x, k, s, padding, dy, 'first').data)).toBeLessThan(1e-6);
    });
  });
}

test.each([
  ['2D', [2, 6, 6, 2], [3, 3], [2, 2]],
  ['3D', [1, 4, 6, 6, 2], [2, 3, 3], [2, 2, 2]],
])('%s: a window of equal maxima (zeros after a relu) sends its gradient where cpu does', async (_, shape, k, s) => {
  // Half the inputs negative, so relu leaves windows of zeros, some all zero.
  const x = randomArray(shape as number[], lcg(21));
  const relu = { shape: x.shape, data: x.data.map((v) => Math.max(0, v - 0.3)) };
  const dy = randomArray(dyShape(relu, k as number[], s as number[], 'same'), lcg(22));
  const got: Float32Array[] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    got.push(gradient(relu, dy, k as number[], s as number[], 'same'));
  }
  const ties = shape.length === 4 ? 'first' : 'last';
  expect(worstRelativeError(got[0]!, maxPoolGradientRef(relu, k as number[], s as number[], 'same', dy, ties).data)).toBeLessThan(1e-6);
  expect(Array.from(got[1]!)).toEqual(Array.from(got[0]!));
});
