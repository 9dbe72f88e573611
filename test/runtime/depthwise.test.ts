/**
 * depthwiseConv2d and separableConv1d/2d: the runtime's layers against the
 * plain-loop references (test/reference/depthwise.ts), forward and the
 * gradients of the input and of every weight, on cpu and wasm, in both data
 * formats. tfjs' own depthwiseConv2d agrees where it is exact and is shown
 * to drop a dilation, which is why emit never uses it.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { DepthwiseConv, SeparableConv } from '../../src/runtime/depthwise.js';
import { channelsLastToFirst, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { depthwiseRef, separableRef, type DepthwiseRefArgs } from '../reference/depthwise.js';

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());
const values = (a: NdArray) => Array.from(Float32Array.from(a.data));

function close(got: readonly number[], want: readonly number[], tolerance = 1e-4): boolean {
  return got.length === want.length && got.every((v, k) => Math.abs(v - want[k]!) <= tolerance * Math.max(1, Math.abs(want[k]!)));
}

/** Output, input gradient and weight gradients (in the layer's weight order) of `sum(y * dy)`. */
function run(l: tf.layers.Layer, x: NdArray, weights: readonly NdArray[], dy: NdArray) {
  l.build(x.shape.slice());
  l.setWeights(weights.map(toTensor));
  try {
    return tf.tidy(() => {
      const xt = toTensor(x);
      const loss = (t: tf.Tensor) => tf.sum(tf.mul(l.apply(t) as tf.Tensor, toTensor(dy))) as tf.Scalar;
      const y = l.apply(xt) as tf.Tensor;
      const dx = tf.grad(loss)(xt);
      const { grads } = tf.variableGrads(() => loss(xt), l.trainableWeights.map((w) => w.read() as tf.Variable));
      return { shape: y.shape, y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()), dw: l.trainableWeights.map((w) => Array.from(grads[(w.read() as tf.Variable).name]!.dataSync())) };
    });
  } finally {
    for (const w of l.weights) w.dispose();
  }
}

interface Case {
  readonly name: string;
  readonly input: number[];
  readonly kernel: number[];
  readonly args: DepthwiseRefArgs;
  readonly multiplier: number;
}

const cases: Case[] = [];
for (const padding of ['valid', 'same'] as const)
  for (const [strides, dilation] of [
    [[1, 1], [1, 1]],
    [[2, 2], [1, 1]],
    [[1, 2], [1, 1]],
    [[1, 1], [2, 2]],
    [[1, 1], [1, 2]],
  ] as const)
    for (const multiplier of [1, 2])
      cases.push({ name: `${padding} strides [${strides}] dilation [${dilation}] multiplier ${multiplier}`, input: [2, 5, 6, 3], kernel: [3, 2], args: { strides, dilation, padding }, multiplier });

const cases1d: Case[] = [];
for (const padding of ['valid', 'same'] as const)
  for (const [s, d] of [
    [1, 1],
    [2, 1],
    [1, 3],
  ] as const)
    for (const multiplier of [1, 3]) cases1d.push({ name: `${padding} stride ${s} dilation ${d} multiplier ${multiplier}`, input: [2, 9, 2], kernel: [3], args: { strides: [s], dilation: [d], padding }, multiplier });

/** Random float32 data for a case: x, the depthwise kernel, a pointwise kernel to `filters`, a bias, dy. */
function data(c: Case, filters: number | undefined, seed: number) {
  const random = lcg(seed);
  const next = () => Math.fround(random());
  const channels = c.input[c.input.length - 1]!;
  const x = randomArray(c.input, next);
  const depthwise = randomArray([...c.kernel, channels, c.multiplier], next);
  const pointwise = filters === undefined ? undefined : randomArray([...c.kernel.map(() => 1), channels * c.multiplier, filters], next);
  const bias = randomArray([filters ?? channels * c.multiplier], next);
  return { x, depthwise, pointwise, bias, next };
}

const inLayout = (format: string, a: NdArray) => (format === 'channelsFirst' ? channelsLastToFirst(a) : a);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    for (const format of ['channelsLast', 'channelsFirst'] as const) {
      test.each(cases.map((c, k) => [c.name, c, k] as const))(`DepthwiseConv ${format} %s: forward and gradients of x, kernel and bias`, (_, c, k) => {
        const { x, depthwise, bias, next } = data(c, undefined, 100 + k);
        const ref0 = depthwiseRef(x, depthwise, c.args);
        const dy = randomArray(ref0.y.shape, next);
        const want = depthwiseRef(x, depthwise, c.args, dy);
        const withBias = want.y.data.map((v, n) => v + bias.data[n % bias.data.length]!);
        const l = new DepthwiseConv({ rank: 2, kernelSize: c.kernel, strides: c.args.strides, dilationRate: c.args.dilation, padding: c.args.padding, depthMultiplier: c.multiplier, dataFormat: format });
        const got = run(l, inLayout(format, x), [depthwise, bias], inLayout(format, dy));
        expect(got.shape).toEqual(inLayout(format, want.y).shape);
        expect(close(got.y, values(inLayout(format, { shape: want.y.shape, data: withBias })))).toBe(true);
        expect(close(got.dx, values(inLayout(format, want.dx)))).toBe(true);
        expect(close(got.dw[0]!, values(want.dw))).toBe(true);
        // The bias gradient is the sum of dy over every position of its channel.
        const dBias = new Array<number>(bias.data.length).fill(0);
        dy.data.forEach((v, n) => (dBias[n % bias.data.length]! += v));
        expect(close(got.dw[1]!, dBias)).toBe(true);
      });

      test.each(cases.filter((c) => c.multiplier === 2).map((c, k) => [c.name, c, k] as const))(`SeparableConv 2d ${format} %s, 4 filters: forward and gradients of x and every weight`, (_, c, k) => {
        const { x, depthwise, pointwise, bias, next } = data(c, 4, 200 + k);
        const dy = randomArray(separableRef(x, depthwise, pointwise!, bias, c.args).y.shape, next);
        const want = separableRef(x, depthwise, pointwise!, bias, c.args, dy);
        const l = new SeparableConv({ rank: 2, filters: 4, kernelSize: c.kernel, strides: c.args.strides, dilationRate: c.args.dilation, padding: c.args.padding, depthMultiplier: c.multiplier, dataFormat: format });
        const got = run(l, inLayout(format, x), [depthwise, pointwise!, bias], inLayout(format, dy));
        expect(close(got.y, values(inLayout(format, want.y)))).toBe(true);
        expect(close(got.dx, values(inLayout(format, want.dx)))).toBe(true);
        expect(close(got.dw[0]!, values(want.dDepthwise))).toBe(true);
        expect(close(got.dw[1]!, values(want.dPointwise))).toBe(true);
        expect(close(got.dw[2]!, values(want.dBias))).toBe(true);
      });
    }

    test.each(cases1d.map((c, k) => [c.name, c, k] as const))('SeparableConv 1d %s, 2 filters, no bias: forward and gradients', (_, c, k) => {
      const { x, depthwise, pointwise, next } = data(c, 2, 300 + k);
      const dy = randomArray(separableRef(x, depthwise, pointwise!, null, c.args).y.shape, next);
      const want = separableRef(x, depthwise, pointwise!, null, c.args, dy);
      const l = new SeparableConv({ rank: 1, filters: 2, kernelSize: c.kernel, strides: c.args.strides, dilationRate: c.args.dilation, padding: c.args.padding, depthMultiplier: c.multiplier, useBias: false });
      const got = run(l, x, [depthwise, pointwise!], dy);
      expect(got.shape).toEqual(want.y.shape);
      expect(close(got.y, values(want.y))).toBe(true);
      expect(close(got.dx, values(want.dx))).toBe(true);
      expect(close(got.dw[0]!, values(want.dDepthwise))).toBe(true);
      expect(close(got.dw[1]!, values(want.dPointwise))).toBe(true);
    });

    test("tfjs' own depthwiseConv2d agrees without dilation and drops a dilation of 2", () => {
      const c = cases.find((q) => q.args.dilation[0] === 2 && q.args.padding === 'valid' && q.multiplier === 1)!;
      const { x, depthwise } = data(c, undefined, 7);
      const native = (dilationRate: number) =>
        tf.tidy(() => {
          const l = tf.layers.depthwiseConv2d({ kernelSize: c.kernel as [number, number], dilationRate, useBias: false });
          l.build(x.shape.slice());
          l.setWeights([toTensor(depthwise)]);
          const y = l.apply(toTensor(x)) as tf.Tensor;
          return { shape: y.shape, y: Array.from(y.dataSync()) };
        });
      const plain = depthwiseRef(x, depthwise, { ...c.args, dilation: [1, 1] }).y;
      expect(close(native(1).y, values(plain))).toBe(true);
      // Dilated 3x2 -> 5x3 on 5x6 is 1x4; tfjs computes the undilated 3x5.
      expect(depthwiseRef(x, depthwise, c.args).y.shape).toEqual([2, 1, 4, 3]);
      expect(native(2).shape).toEqual(plain.shape);
      expect(close(native(2).y, values(plain))).toBe(true);
    });
  });
}

test('weights are named and ordered as in Keras: depthwise_kernel, pointwise_kernel, bias', () => {
  const d = new DepthwiseConv({ rank: 2, kernelSize: 3, depthMultiplier: 2 });
  d.build([null, 8, 8, 32]);
  expect(d.weights.map((w) => [w.originalName.split('/').pop(), w.shape])).toEqual([
    ['depthwise_kernel', [3, 3, 32, 2]],
    ['bias', [64]],
  ]);
  const s = new SeparableConv({ rank: 2, filters: 64, kernelSize: 3 });
  s.build([null, 8, 8, 32]);
  expect(s.weights.map((w) => [w.originalName.split('/').pop(), w.shape])).toEqual([
    ['depthwise_kernel', [3, 3, 32, 1]],
    ['pointwise_kernel', [1, 1, 32, 64]],
    ['bias', [64]],
  ]);
  expect(s.countParams()).toBe(2400);
  for (const w of [...d.weights, ...s.weights]) w.dispose();
});
