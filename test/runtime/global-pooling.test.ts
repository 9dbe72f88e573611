/**
 * Global max and average pooling against the plain-loop reference
 * (test/reference/global-pooling.ts), forward and input gradient, on cpu and
 * wasm: the runtime's GlobalPooling for every rank, data format and
 * keepdims, and tfjs' own 1D/2D layers where emit uses them.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { GlobalPooling } from '../../src/runtime/global-pooling.js';
import { channelsLastToFirst, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { globalPoolGradRef, globalPoolRef } from '../reference/global-pooling.js';

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());

function close(got: ArrayLike<number>, want: ArrayLike<number>): boolean {
  return got.length === want.length && Array.from(got).every((v, k) => Math.abs(v - want[k]!) <= 1e-5 * Math.max(1, Math.abs(want[k]!)));
}

/** The layer's output and input gradient for `xLast` (channelsLast) and `dy` `[B, C]`, laid out as the layer reads and writes. */
function run(layer: tf.layers.Layer, xLast: NdArray, dy: NdArray, first: boolean, keepdims: boolean) {
  return tf.tidy(() => {
    const x = toTensor(first ? channelsLastToFirst(xLast) : xLast);
    const rank = xLast.shape.length - 2;
    const [b, c] = dy.shape as [number, number];
    const keptShape = first ? [b, c, ...new Array<number>(rank).fill(1)] : [b, ...new Array<number>(rank).fill(1), c];
    const dyt = tf.reshape(toTensor(dy), keepdims ? keptShape : [b, c]);
    const y = layer.apply(x) as tf.Tensor;
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, dyt)))(x);
    return { shape: y.shape, y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()) };
  });
}

const shapes: readonly (readonly number[])[] = [
  [2, 5, 3],
  [2, 3, 4, 2],
  [1, 2, 3, 2, 3],
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    const grid = shapes.flatMap((shape) => (['max', 'average'] as const).flatMap((mode) => [false, true].flatMap((first) => [false, true].map((keepdims) => [shape, mode, first, keepdims] as const))));
    test.each(grid.map((c) => [`[${c[0].join(', ')}] ${c[1]}${c[2] ? ' channelsFirst' : ''}${c[3] ? ' keepdims' : ''}`, ...c] as const))('runtime %s', (_, shape, mode, first, keepdims) => {
      const next = lcg(shape.length * 100 + (mode === 'max' ? 1 : 2) + (first ? 10 : 0) + (keepdims ? 20 : 0));
      const x = randomArray(shape, next);
      const dy = randomArray([shape[0]!, shape[shape.length - 1]!], next);
      const layer = new GlobalPooling({ rank: (shape.length - 2) as 1 | 2 | 3, mode, dataFormat: first ? 'channelsFirst' : 'channelsLast', keepdims });
      const got = run(layer, x, dy, first, keepdims);
      expect(got.shape).toEqual(layer.computeOutputShape(first ? channelsLastToFirst(x).shape.slice() : shape.slice()));
      expect(close(got.y, globalPoolRef(x, mode).data)).toBe(true);
      const dx = globalPoolGradRef(x, mode, dy);
      expect(close(got.dx, (first ? channelsLastToFirst(dx) : dx).data)).toBe(true);
    });

    // What emit builds natively: tfjs' 1D (channelsLast) and 2D (both formats) layers without keepdims.
    const native: [string, () => tf.layers.Layer, readonly number[], 'max' | 'average', boolean][] = [
      ['globalMaxPooling1d', () => tf.layers.globalMaxPooling1d({}), [2, 5, 3], 'max', false],
      ['globalAveragePooling1d', () => tf.layers.globalAveragePooling1d({}), [2, 5, 3], 'average', false],
      ['globalMaxPooling2d', () => tf.layers.globalMaxPooling2d({}), [2, 3, 4, 2], 'max', false],
      ['globalMaxPooling2d channelsFirst', () => tf.layers.globalMaxPooling2d({ dataFormat: 'channelsFirst' }), [2, 3, 4, 2], 'max', true],
      ['globalAveragePooling2d channelsFirst', () => tf.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }), [2, 3, 4, 2], 'average', true],
    ];
    test.each(native)("tfjs' own %s is exact", (_, make, shape, mode, first) => {
      const next = lcg(shape.length * 7 + (first ? 3 : 0));
      const x = randomArray(shape, next);
      const dy = randomArray([shape[0]!, shape[shape.length - 1]!], next);
      const got = run(make(), x, dy, first, false);
      expect(close(got.y, globalPoolRef(x, mode).data)).toBe(true);
      const dx = globalPoolGradRef(x, mode, dy);
      expect(close(got.dx, (first ? channelsLastToFirst(dx) : dx).data)).toBe(true);
    });
  });
}
