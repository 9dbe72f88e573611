/**
 * prelu against the plain-loop reference (test/reference/prelu.ts), forward
 * and gradient (input and alpha), on cpu and wasm: the runtime's PReLU for
 * every sharing, and tfjs' own layer, which netspec uses exactly where it is
 * right on both backends (src/emit/layer-call.ts `nativePreluIsExact`).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { factoryOf } from '../../src/emit/layer-call.js';
import { inferModel } from '../../src/infer/infer-shapes.js';
import { PReLU } from '../../src/runtime/prelu.js';
import { lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { alphaShape, preluGradRef, preluRef } from '../reference/prelu.js';
import { input, layer, model } from '../infer/helpers.js';

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());
const values = (a: NdArray) => Array.from(Float32Array.from(a.data));

/** `[input shape with batch, sharedAxes]`. */
const cases: [number[], number[]][] = [
  [[2, 5], []],
  [[2, 5], [1]],
  [[2, 3, 4], []],
  [[2, 3, 4], [1]],
  [[2, 3, 4], [2]],
  [[2, 3, 4, 2], []],
  [[2, 3, 4, 2], [1, 2]],
  [[2, 3, 4, 2], [1]],
  [[2, 3, 4, 2], [3]],
  [[2, 3, 4, 2], [2]],
  [[2, 3, 4, 2], [1, 3]],
  [[2, 3, 4, 2], [2, 3]],
  [[2, 2, 3, 2, 2], [1, 2, 3]],
  [[2, 2, 3, 2, 2], [4]],
];

const name = ([shape, shared]: [number[], number[]]) => `[${shape.join(', ')}] sharedAxes [${shared.join(', ')}]`;

/** Whether emit builds this prelu with tfjs' own layer. */
function native(shape: readonly number[], shared: readonly number[]): boolean {
  const l = layer('prelu', shared.length > 0 ? { sharedAxes: shared.slice() } : {});
  const inferred = inferModel('t.yaml', model([input('x', shape.slice(1))], [l]));
  return factoryOf(inferred.value!.layers[0]!).source === 'tf';
}

/** Random values that are float32 numbers, so that the reference computes on what tfjs holds. */
function data(shape: readonly number[], shared: readonly number[], seed: number) {
  const random = lcg(seed);
  const next = () => Math.fround(random());
  return { x: randomArray(shape, next), alpha: randomArray(alphaShape(shape, shared), next), dy: randomArray(shape, next) };
}

/** The layer's output and its gradients for x and alpha, as plain numbers. */
function run(make: () => tf.layers.Layer, shape: readonly number[], { x, alpha, dy }: ReturnType<typeof data>) {
  const l = make();
  l.build(shape.slice());
  l.setWeights([toTensor(alpha)]);
  try {
    return tf.tidy(() => {
      const xt = toTensor(x);
      const y = Array.from((l.apply(xt) as tf.Tensor).dataSync());
      const f = () => tf.sum(tf.mul(l.apply(xt) as tf.Tensor, toTensor(dy))) as tf.Scalar;
      const dx = Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(l.apply(t) as tf.Tensor, toTensor(dy))))(xt).dataSync());
      const { grads } = tf.variableGrads(f, [l.trainableWeights[0]!.read() as tf.Variable]);
      const dAlpha = Array.from(Object.values(grads)[0]!.dataSync());
      return { y, dx, dAlpha };
    });
  } finally {
    // Applied to tensors only, the layer has no node, which tfjs' dispose() requires: free its weight itself.
    for (const w of l.weights) w.dispose();
  }
}

function close(got: readonly number[], want: readonly number[]): boolean {
  return got.length === want.length && got.every((v, k) => Math.abs(v - want[k]!) <= 1e-5 * Math.max(1, Math.abs(want[k]!)));
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    test.each(cases.map((c) => [name(c), ...c] as const))('runtime PReLU %s: forward exact, gradients of x and alpha', (_, shape, shared) => {
      const d = data(shape, shared, shape.length * 10 + shared.length);
      const got = run(() => new PReLU(shared.length > 0 ? { sharedAxes: shared } : {}), shape, d);
      const want = preluGradRef(d.x, d.alpha, d.dy);
      expect(got.y).toEqual(values(preluRef(d.x, d.alpha)));
      expect(close(got.dx, values(want.dx))).toBe(true);
      expect(close(got.dAlpha, values(want.dAlpha))).toBe(true);
    });

    // cpu broadcasts alpha in every case; wasm reads it cyclically along the flattened input, so tfjs is
    // right there exactly where alpha (leading 1s stripped) is the input's trailing dims: where netspec uses it.
    test.each(cases.map((c) => [name(c), ...c] as const))(`tfjs' own prelu %s is exact ${backend === 'cpu' ? 'on cpu' : 'on wasm where emit uses it, and wrong where it does not'}`, (_, shape, shared) => {
      const d = data(shape, shared, shape.length * 10 + shared.length);
      const got = run(() => tf.layers.prelu(shared.length > 0 ? { sharedAxes: shared } : {}), shape, d);
      const right = got.y.every((v, k) => v === values(preluRef(d.x, d.alpha))[k]);
      expect(right).toBe(backend === 'cpu' || native(shape, shared));
      if (right) {
        const want = preluGradRef(d.x, d.alpha, d.dy);
        expect(close(got.dx, values(want.dx)) && close(got.dAlpha, values(want.dAlpha))).toBe(true);
      }
    });
  });
}

test('emit uses tfjs for no sharing and for leading shared axes (SRGAN), the runtime for the others', () => {
  expect(cases.filter(([s, a]) => native(s, a)).map(name)).toEqual([
    '[2, 5] sharedAxes []',
    '[2, 5] sharedAxes [1]',
    '[2, 3, 4] sharedAxes []',
    '[2, 3, 4] sharedAxes [1]',
    '[2, 3, 4, 2] sharedAxes []',
    '[2, 3, 4, 2] sharedAxes [1, 2]',
    '[2, 3, 4, 2] sharedAxes [1]',
    '[2, 2, 3, 2, 2] sharedAxes [1, 2, 3]',
  ]);
});
