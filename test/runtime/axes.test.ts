/**
 * repeatVector and permute, which netspec builds with tfjs' own layers,
 * against plain loops (test/reference/axes.ts), forward and input gradient,
 * on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { permuteGradRef, permuteRef, repeatVectorGradRef, repeatVectorRef } from '../reference/axes.js';

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());

/** The layer's output and the gradient of `sum(y * dy)` for x. */
function run(layer: tf.layers.Layer, x: NdArray, dy: NdArray) {
  return tf.tidy(() => {
    const xt = toTensor(x);
    const dyt = toTensor(dy);
    const y = layer.apply(xt) as tf.Tensor;
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, dyt)))(xt);
    return { shape: y.shape, y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()) };
  });
}

const f32 = (a: NdArray) => Array.from(Float32Array.from(a.data));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    test.each([
      [[2, 3], 4],
      [[1, 5], 1],
      [[2, 1], 3],
    ] as const)('repeatVector %j n %i', (shape, n) => {
      const next = lcg(shape[0] * 10 + shape[1] + n);
      const x = randomArray(shape, next);
      const dy = randomArray([shape[0], n, shape[1]], next);
      const got = run(tf.layers.repeatVector({ n }), x, dy);
      expect(got.shape).toEqual([shape[0], n, shape[1]]);
      expect(got.y).toEqual(f32(repeatVectorRef(x, n)));
      const want = f32(repeatVectorGradRef(dy));
      expect(got.dx.every((v, k) => Math.abs(v - want[k]!) <= 1e-6)).toBe(true);
    });

    test.each([
      [[2, 3, 4, 2], [3, 1, 2]],
      [[2, 2, 3, 4], [2, 3, 1]],
      [[1, 3, 4], [2, 1]],
      [[2, 2, 3, 2, 2], [4, 2, 1, 3]],
      [[2, 5], [1]],
    ] as const)('permute %j dims %j', (shape, dims) => {
      const next = lcg(shape.length * 10 + dims[0]!);
      const x = randomArray(shape, next);
      const y = permuteRef(x, dims);
      const dy = randomArray(y.shape, next);
      const got = run(tf.layers.permute({ dims: dims.slice() }), x, dy);
      expect(got.shape).toEqual(y.shape);
      // Values are moved, never computed: exact.
      expect(got.y).toEqual(f32(y));
      expect(got.dx).toEqual(f32(permuteGradRef(dy, dims)));
    });
  });
}

test('the reference permute is right on a hand-made case: [1, 2, 3] channels-last to channels-first', () => {
  // x[0, h, c] = 10h + c for h < 2, c < 3; dims [2, 1] gives y[0, c, h].
  const x: NdArray = { shape: [1, 2, 3], data: Float64Array.from([0, 1, 2, 10, 11, 12]) };
  expect(Array.from(permuteRef(x, [2, 1]).data)).toEqual([0, 10, 1, 11, 2, 12]);
});
