/**
 * The runtime's embedding against the plain-loop reference
 * (test/reference/embedding.ts) on cpu and wasm: the lookup, and the gradient
 * of the table, a scatter-add that must sum the rows read more than once.
 * tfjs' own layer computes the same lookup, but its gradient needs a kernel
 * wasm lacks, which is why netspec always builds the runtime's.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { Embedding } from '../../src/runtime/embedding.js';
import { lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { embeddingGradRef, embeddingRef } from '../reference/embedding.js';

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());
const values = (a: NdArray) => Array.from(Float32Array.from(a.data));
const INPUT_DIM = 5;
const OUTPUT_DIM = 3;

/** `[name, index shape with batch, indices (row-major), dtype]`; repeated indices on purpose. */
const cases: [string, number[], number[], 'int32' | 'float32'][] = [
  ['class labels [2, 1]', [2, 1], [3, 0], 'int32'],
  ['one index per sample, [4]', [4], [1, 1, 4, 1], 'int32'],
  ['sequences [2, 3] with repeats', [2, 3], [0, 2, 2, 4, 2, 0], 'int32'],
  ['rank 3 [2, 2, 2]', [2, 2, 2], [4, 3, 2, 1, 0, 1, 2, 3], 'int32'],
  ['float indices, cast to int32', [2, 2], [1, 4, 4, 0], 'float32'],
];

/** A table of float32 values, so that the reference adds what tfjs adds. */
function table(seed: number): NdArray {
  const a = randomArray([INPUT_DIM, OUTPUT_DIM], lcg(seed));
  return { shape: a.shape, data: a.data.map(Math.fround) };
}

function close(got: readonly number[], want: readonly number[]): boolean {
  return got.length === want.length && got.every((v, k) => Math.abs(v - want[k]!) <= 1e-6 * Math.max(1, Math.abs(want[k]!)));
}

function built(weights: NdArray): Embedding {
  const layer = new Embedding({ inputDim: INPUT_DIM, outputDim: OUTPUT_DIM });
  layer.build([null, 1]);
  layer.setWeights([toTensor(weights)]);
  return layer;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    test.each(cases)('%s: lookup and table gradient equal the reference', (_, shape, indices, dtype) => {
      const weights = table(indices.length);
      const dyShape = [...shape, OUTPUT_DIM];
      const dy = randomArray(dyShape, lcg(99));
      const dyF = { shape: dy.shape, data: dy.data.map(Math.fround) };
      const layer = built(weights);
      const { y, grad } = tf.tidy(() => {
        const x = tf.tensor(indices, shape, dtype);
        const out = layer.apply(x) as tf.Tensor;
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, toTensor(dyF))) as tf.Scalar, [layer.trainableWeights[0]!.read() as tf.Variable]);
        return { y: { shape: out.shape, data: Array.from(out.dataSync()) }, grad: Array.from(Object.values(grads)[0]!.dataSync()) };
      });
      const want = embeddingRef(indices, shape, weights);
      expect(y).toEqual({ shape: want.shape, data: values(want) });
      expect(close(grad, values(embeddingGradRef(indices, weights, dyF)))).toBe(true);
      for (const w of layer.weights) w.dispose();
    });

    test('an index outside [0, inputDim) throws, as tfjs gather does', () => {
      const layer = built(table(1));
      expect(() => tf.tidy(() => layer.apply(tf.tensor([[INPUT_DIM]], [1, 1], 'int32')) as tf.Tensor)).toThrow(/index value 5 is not in \[0, 4\]/);
      for (const w of layer.weights) w.dispose();
    });

    test(`tfjs' own embedding computes the same lookup; its gradient ${backend === 'wasm' ? 'throws on wasm' : 'agrees on cpu'}`, () => {
      const weights = table(7);
      const native = tf.layers.embedding({ inputDim: INPUT_DIM, outputDim: OUTPUT_DIM });
      native.build([null, 2]);
      native.setWeights([toTensor(weights)]);
      const x = tf.tensor([[1, 1], [3, 0]], [2, 2], 'int32');
      const ours = built(weights);
      expect(tf.tidy(() => Array.from((native.apply(x) as tf.Tensor).dataSync()))).toEqual(tf.tidy(() => Array.from((ours.apply(x) as tf.Tensor).dataSync())));
      const gradient = (l: tf.layers.Layer) => tf.tidy(() => Array.from(Object.values(tf.variableGrads(() => tf.sum(l.apply(x) as tf.Tensor) as tf.Scalar, [l.trainableWeights[0]!.read() as tf.Variable]).grads)[0]!.dataSync()));
      if (backend === 'wasm') expect(() => gradient(native)).toThrow("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'");
      else expect(gradient(native)).toEqual(gradient(ours));
      tf.dispose(x);
    });
  });
}
