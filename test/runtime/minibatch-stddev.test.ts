/**
 * minibatchStdDev against the plain-loop reference (test/reference/minibatch-stddev.ts),
 * forward and gradient, on cpu and wasm, in both data formats, for groups
 * that fill the batch, several groups (strided, as the official reshape
 * takes them), a batch smaller than groupSize, and groups of one.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { MinibatchStdDev } from '../../src/runtime/minibatch-stddev.js';
import { channelsFirstToLast, channelsLastToFirst, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { minibatchStdDevGradRef, minibatchStdDevRef } from '../reference/minibatch-stddev.js';

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());

/** `[input shape with batch, groupSize, dataFormat]`. */
const cases: [number[], number, 'channelsLast' | 'channelsFirst'][] = [
  [[4, 3, 3, 2], 4, 'channelsLast'],
  [[4, 2, 3, 3], 2, 'channelsLast'],
  [[4, 2, 3, 3], 2, 'channelsFirst'],
  [[2, 3, 2, 2], 4, 'channelsLast'],
  [[6, 5], 3, 'channelsLast'],
  [[2, 4, 3], 2, 'channelsLast'],
  [[2, 2, 2, 3, 2], 2, 'channelsFirst'],
  [[3, 2, 2, 1], 1, 'channelsLast'],
];

function close(got: readonly number[], want: readonly number[], tolerance = 1e-4): boolean {
  return got.length === want.length && got.every((v, k) => Math.abs(v - want[k]!) <= tolerance * Math.max(1, Math.abs(want[k]!)));
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    test.each(cases.map((c) => [`[${c[0].join(', ')}] groupSize ${c[1]} ${c[2]}`, ...c] as const))('%s: forward and input gradient', (_, shape, groupSize, dataFormat) => {
      const next = lcg(shape.reduce((a, b) => a * 7 + b, groupSize));
      const first = dataFormat === 'channelsFirst';
      // The reference works channelsLast; a channelsFirst case is the same tensor with its axes moved.
      const xLast = randomArray(first ? [shape[0]!, ...shape.slice(2), shape[1]!] : shape, next);
      const outLast = [...xLast.shape.slice(0, -1), xLast.shape[xLast.shape.length - 1]! + 1];
      const dyLast = randomArray(outLast, next);
      const layer = new MinibatchStdDev({ groupSize, dataFormat });
      const x = toTensor(first ? channelsLastToFirst(xLast) : xLast);
      const dy = toTensor(first ? channelsLastToFirst(dyLast) : dyLast);
      const y = tf.tidy(() => layer.apply(x) as tf.Tensor);
      const dx = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, dy)))(x));
      const want = minibatchStdDevRef(xLast, groupSize);
      const wantDx = minibatchStdDevGradRef(xLast, groupSize, dyLast);
      expect(y.shape).toEqual(layer.computeOutputShape(shape));
      expect(close(Array.from(y.dataSync()), Array.from(first ? channelsLastToFirst(want).data : want.data))).toBe(true);
      expect(close(Array.from(dx.dataSync()), Array.from(first ? channelsLastToFirst(wantDx).data : wantDx.data))).toBe(true);
      tf.dispose([x, dy, y, dx]);
    });

    test('a batch larger than groupSize that is not a multiple of it throws, as the official reshape does', () => {
      const x = tf.zeros([6, 2, 2, 1]);
      expect(() => new MinibatchStdDev({ groupSize: 4, name: 'mbstd' }).apply(x)).toThrow('netspec runtime: mbstd: minibatchStdDev with groupSize 4 needs a batch that is a multiple of 4 (or at most 4), received 6');
      x.dispose();
    });
  });
}

test('the appended channel is the same for all samples of a group and differs between groups (hand-computed)', () => {
  // Batch 4, groupSize 2: groups {0, 2} and {1, 3}. One feature each: std of {0, 2} is 1, of {1, 5} is 2.
  const x = tf.tensor2d([[0], [1], [2], [5]]);
  const y = new MinibatchStdDev({ groupSize: 2 }).apply(x) as tf.Tensor;
  const got = Array.from(y.dataSync());
  expect(close(got, [0, 1, 1, 2, 2, 1, 5, 2], 1e-6)).toBe(true);
  tf.dispose([x, y]);
  // channelsFirst moves the axes only: the reference's channelsFirstToLast undoes it.
  expect(channelsFirstToLast(channelsLastToFirst({ shape: [1, 2, 1], data: Float64Array.from([1, 2]) })).data).toEqual(Float64Array.from([1, 2]));
});
