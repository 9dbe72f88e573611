/**
 * subtract (the runtime's), average, maximum and minimum (tfjs' own) against
 * the plain-loop reference (test/reference/merge.ts), forward and the
 * gradient of every input, with broadcasting, on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { Maximum, Minimum, Subtract } from '../../src/runtime/merge.js';
import { lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { mergeGradRef, mergeRef, mergedShape, type MergeMode } from '../reference/merge.js';

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());

function close(got: ArrayLike<number>, want: ArrayLike<number>): boolean {
  return got.length === want.length && Array.from(got).every((v, k) => Math.abs(v - want[k]!) <= 1e-5 * Math.max(1, Math.abs(want[k]!)));
}

/** The layer each merge type is built with, as emit builds it. */
const make = (mode: MergeMode, shapes: readonly (readonly number[])[]): tf.layers.Layer => {
  // tfjs' maximum and minimum where the inputs have one shape, the runtime's where they broadcast (src/emit/layer-call.ts).
  const oneShape = shapes.every((s) => s.join() === shapes[0]!.join());
  if (mode === 'subtract') return new Subtract({});
  if (mode === 'average') return tf.layers.average({});
  if (mode === 'maximum') return oneShape ? tf.layers.maximum({}) : new Maximum({});
  return oneShape ? tf.layers.minimum({}) : new Minimum({});
};

const twoInputs: number[][][] = [
  [
    [2, 3, 4],
    [2, 3, 4],
  ],
  [
    [2, 4, 1],
    [2, 4, 3],
  ],
  [
    [2, 3],
    [2, 2, 2, 3],
  ],
  [
    [1, 1, 4],
    [1, 3, 1],
  ],
];
const threeInputs: number[][][] = [
  [
    [2, 3],
    [2, 3],
    [2, 3],
  ],
  [
    [2, 2, 3],
    [2, 1, 3],
    [2, 2, 1],
  ],
];

const cases = (['subtract', 'average', 'maximum', 'minimum'] as const).flatMap((mode) => [...twoInputs, ...(mode === 'subtract' ? [] : threeInputs)].map((shapes) => [`${mode} ${shapes.map((s) => `[${s.join(', ')}]`).join(' ')}`, mode, shapes] as const));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    test.each(cases)('%s: forward and the gradient of every input', (_, mode, shapes) => {
      const next = lcg(shapes.flat().reduce((a, b) => a * 3 + b, mode.length));
      const xs = shapes.map((s) => randomArray(s, next));
      const dy = randomArray(mergedShape(shapes), next);
      const layer = make(mode, shapes);
      const got = tf.tidy(() => {
        const ts = xs.map(toTensor);
        const dyt = toTensor(dy);
        const y = layer.apply(ts) as tf.Tensor;
        const grads = tf.grads((...inputs: tf.Tensor[]) => tf.sum(tf.mul(layer.apply(inputs) as tf.Tensor, dyt)))(ts);
        return { shape: y.shape, y: Array.from(y.dataSync()), grads: grads.map((g) => Array.from(g.dataSync())) };
      });
      expect(got.shape).toEqual(dy.shape);
      expect(close(got.y, mergeRef(xs, mode).data)).toBe(true);
      mergeGradRef(xs, mode, dy).forEach((want, n) => expect([n, close(got.grads[n]!, want.data)]).toEqual([n, true]));
    });

    test("tfjs' own maximum and minimum cannot train on inputs that broadcast (why the runtime's exist)", () => {
      const [a, b] = [tf.ones([1, 4, 1]), tf.ones([1, 4, 3])];
      for (const layer of [tf.layers.maximum({}), tf.layers.minimum({})]) {
        expect(() => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(layer.apply([p, q]) as tf.Tensor))([a, b])).toThrow("The gradient of input 'a' has shape '1,4,3', which does not match the shape of the input '1,4,1'");
      }
      tf.dispose([a, b]);
    });

    test('subtract is the first minus the second, and refuses any other count', () => {
      const [a, b] = [tf.tensor2d([[5, 1]]), tf.tensor2d([[2, 3]])];
      const y = new Subtract({}).apply([a, b]) as tf.Tensor;
      expect(Array.from(y.dataSync())).toEqual([3, -2]);
      expect(() => new Subtract({ name: 'diff' }).apply([a, b, a])).toThrow('netspec runtime: diff: subtract takes exactly 2 inputs, received 3');
      tf.dispose([a, b, y]);
    });
  });
}
