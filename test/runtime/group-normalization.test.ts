/**
 * groupNormalization, instanceNormalization and pixelNormalization against the
 * plain-loop references (test/reference/normalization.ts), forward and
 * gradient (input, gamma, beta), on cpu and wasm, for channelsLast and
 * channelsFirst, ranks 2 to 5, with and without gamma and beta; and against
 * torch.nn.GroupNorm and InstanceNorm2d numbers (test/fixtures/torch/group-norm.json).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { GroupNormalization, InstanceNormalization, type GroupNormalizationArgs } from '../../src/runtime/group-normalization.js';
import { PixelNormalization } from '../../src/runtime/pixel-normalization.js';
import { channelsFirstToLast, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { groupNormRef, numericGradient, pixelNormRef } from '../reference/normalization.js';

/** Float32 layers against float64 loops and central differences. */
const FORWARD = 1e-5;
const GRADIENT = 2e-4;

function close(got: readonly number[], want: readonly number[], tolerance: number): void {
  expect(got.length).toBe(want.length);
  const worst = Math.max(0, ...got.map((v, k) => Math.abs(v - want[k]!) / Math.max(1, Math.abs(want[k]!))));
  expect(worst).toBeLessThan(tolerance);
}

const f32 = (values: readonly number[]) => Array.from(values, (v) => Math.fround(v));
const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());
const asArray = (shape: readonly number[], values: readonly number[]): NdArray => ({ shape, data: Float64Array.from(values) });

/** Random inputs (float32 values, so the reference computes on what tfjs holds), gamma and beta around 1 and 0, and dy. */
function data(shape: readonly number[], channels: number, seed: number) {
  const next = lcg(seed);
  const x = randomArray(shape, () => Math.fround(next() * 2 + 0.5));
  return { x, gamma: f32(Array.from({ length: channels }, () => 1 + next() / 2)), beta: f32(Array.from({ length: channels }, () => next() / 2)), dy: randomArray(shape, () => Math.fround(next())) };
}

/** Output, input gradient and weight gradients (by weight name) of `sum(layer(x) * dy)`. */
function run(l: tf.layers.Layer, x: NdArray, dy: NdArray, weights: tf.Tensor[]) {
  l.build(x.shape.slice());
  if (weights.length > 0) l.setWeights(weights);
  tf.dispose(weights);
  try {
    return tf.tidy(() => {
      const xt = toTensor(x);
      const loss = (t: tf.Tensor) => tf.sum(tf.mul(l.apply(t) as tf.Tensor, toTensor(dy))) as tf.Scalar;
      const y = Array.from((l.apply(xt) as tf.Tensor).dataSync());
      const dx = Array.from(tf.grad(loss)(xt).dataSync());
      const variables = l.trainableWeights.map((w) => w.read() as tf.Variable);
      const grads = variables.length > 0 ? tf.variableGrads(() => loss(xt), variables).grads : {};
      const byName = Object.fromEntries(l.trainableWeights.map((w, k) => [w.originalName.split('/').pop()!, Array.from(grads[variables[k]!.name]!.dataSync())]));
      return { y, dx, weights: byName };
    });
  } finally {
    // Applied to tensors only, the layer has no node, which tfjs' dispose() requires: free its weights itself.
    for (const w of l.weights) w.dispose();
  }
}

interface GroupCase {
  readonly shape: readonly number[];
  readonly axis: number;
  /** undefined: instanceNormalization. */
  readonly groups?: number;
  readonly center: boolean;
  readonly scale: boolean;
}

const groupCases: [string, GroupCase][] = [
  ['[2, 3, 2, 4] groups 2', { shape: [2, 3, 2, 4], axis: -1, groups: 2, center: true, scale: true }],
  ['[2, 6] groups 3 (dense features)', { shape: [2, 6], axis: -1, groups: 3, center: true, scale: true }],
  ['[1, 5, 6] groups 1 (layer norm over everything)', { shape: [1, 5, 6], axis: -1, groups: 1, center: true, scale: false }],
  ['[2, 4, 3, 3] axis 1 (channelsFirst) groups 2', { shape: [2, 4, 3, 3], axis: 1, groups: 2, center: true, scale: true }],
  ['[2, 3, 4, 2] axis -2 groups 4, no gamma or beta', { shape: [2, 3, 4, 2], axis: -2, groups: 4, center: false, scale: false }],
  ['[1, 2, 2, 2, 4] (volume) groups -1', { shape: [1, 2, 2, 2, 4], axis: -1, groups: -1, center: false, scale: true }],
  ['instance [2, 3, 3, 4]', { shape: [2, 3, 3, 4], axis: -1, center: true, scale: true }],
  ['instance [2, 3, 3, 2] channelsFirst, no gamma or beta', { shape: [2, 3, 3, 2], axis: 1, center: false, scale: false }],
  ['instance [2, 5, 3] (sequence), beta only', { shape: [2, 5, 3], axis: -1, center: true, scale: false }],
];

const pixelCases: [string, readonly number[], number][] = [
  ['[2, 3, 2, 4]', [2, 3, 2, 4], -1],
  ['[2, 5] (dense outputs)', [2, 5], -1],
  ['[2, 4, 3, 3] axis 1', [2, 4, 3, 3], 1],
  ['[1, 2, 2, 2, 3] (volume)', [1, 2, 2, 2, 3], -1],
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    test.each(groupCases)('%s: forward, and gradients of x, gamma and beta', (_, { shape, axis, groups, center, scale }) => {
      const index = axis < 0 ? shape.length + axis : axis;
      const channels = shape[index]!;
      const d = data(shape, channels, shape.length * 7 + channels);
      const epsilon = 1e-3;
      const args: GroupNormalizationArgs = { axis, center, scale, epsilon };
      const l = groups === undefined ? new InstanceNormalization(args) : new GroupNormalization({ ...args, groups });
      const weights = [...(scale ? [tf.tensor1d(d.gamma)] : []), ...(center ? [tf.tensor1d(d.beta)] : [])];
      const got = run(l, d.x, d.dy, weights);
      const g = groups === undefined || groups === -1 ? channels : groups;
      const ref = (x: readonly number[], gamma: readonly number[], beta: readonly number[]) =>
        groupNormRef(asArray(shape, x), { axis: index, groups: g, epsilon, ...(scale ? { gamma } : {}), ...(center ? { beta } : {}) });
      const x = Array.from(d.x.data);
      close(got.y, Array.from(ref(x, d.gamma, d.beta).data), FORWARD);
      close(got.dx, numericGradient(x, (v) => ref(v, d.gamma, d.beta), d.dy), GRADIENT);
      expect(Object.keys(got.weights)).toEqual([...(scale ? ['gamma'] : []), ...(center ? ['beta'] : [])]);
      if (scale) close(got.weights['gamma']!, numericGradient(d.gamma, (v) => ref(x, v, d.beta), d.dy), GRADIENT);
      if (center) close(got.weights['beta']!, numericGradient(d.beta, (v) => ref(x, d.gamma, v), d.dy), GRADIENT);
    });

    test.each(pixelCases)('pixelNormalization %s: forward and input gradient', (_, shape, axis) => {
      const index = axis < 0 ? shape.length + axis : axis;
      const d = data(shape, shape[index]!, shape.length * 3 + index);
      const got = run(new PixelNormalization({ axis }), d.x, d.dy, []);
      const ref = (x: readonly number[]) => pixelNormRef(asArray(shape, x), index, 1e-8);
      const x = Array.from(d.x.data);
      close(got.y, Array.from(ref(x).data), FORWARD);
      close(got.dx, numericGradient(x, ref, d.dy), GRADIENT);
      expect(got.weights).toEqual({});
    });
  });
}

test('instanceNormalization without gamma and beta builds on unknown spatial sizes and channels, and normalizes what it gets', () => {
  const l = new InstanceNormalization({ center: false, scale: false });
  l.build([null, null, null, null]);
  expect(l.weights).toEqual([]);
  const y = tf.tidy(() => Array.from((l.apply(tf.tensor4d([1, 3, 5, 7], [1, 2, 2, 1])) as tf.Tensor).dataSync()));
  // mean 4, variance 5: (x - 4) / sqrt(5.001).
  close(y, [-3, -1, 1, 3].map((v) => v / Math.sqrt(5.001)), FORWARD);
});

test('the defaults are Keras\': groups 32, epsilon 1e-3, gamma ones and beta zeros; pixelNormalization epsilon 1e-8', () => {
  const l = new GroupNormalization({});
  l.build([null, 4, 32]);
  expect(l.weights.map((w) => [w.originalName, w.shape])).toEqual([
    ['gamma', [32]],
    ['beta', [32]],
  ]);
  expect(l.getWeights().map((w) => Array.from(new Set(w.dataSync())))).toEqual([[1], [0]]);
  // 32 groups of one channel over 2 positions: (a - b) / 2 / sqrt((a - b)^2 / 4 + 1e-3).
  const x = tf.tensor3d(Array.from({ length: 64 }, (_, k) => (k < 32 ? 1 : 0)), [1, 2, 32]);
  const y = Array.from((l.apply(x) as tf.Tensor).dataSync());
  close(y.slice(0, 1), [0.5 / Math.sqrt(0.25 + 1e-3)], FORWARD);
  const p = Array.from((new PixelNormalization({}).apply(tf.tensor2d([[0, 0]])) as tf.Tensor).dataSync());
  expect(p).toEqual([0, 0]);
  const tiny = Array.from((new PixelNormalization({}).apply(tf.tensor2d([[1e-4, 1e-4]])) as tf.Tensor).dataSync());
  // mean(x^2) is 1e-8, as large as epsilon: both count.
  close(tiny, f32([1e-4 / Math.sqrt(2e-8), 1e-4 / Math.sqrt(2e-8)]), FORWARD);
  tf.dispose(x);
});

test('groups that do not divide the channels throw at build (the compiler reports NS4020 first)', () => {
  expect(() => new GroupNormalization({ groups: 3 }).build([null, 4, 8])).toThrow('3 groups do not divide 8 channels');
  expect(() => new GroupNormalization({ groups: 16 }).build([null, 4, 8])).toThrow('16 groups do not divide 8 channels');
  expect(() => new InstanceNormalization({}).build([null, 4, null])).toThrow('the channel dimension must be known');
});

interface TorchCase {
  readonly module: string;
  readonly args: { readonly num_groups?: number; readonly eps: number; readonly affine: boolean };
  readonly inputShape: number[];
  readonly input: number[];
  readonly dy: number[];
  readonly output: number[];
  readonly inputGrad: number[];
  readonly weight?: number[];
  readonly bias?: number[];
  readonly weightGrad?: number[];
  readonly biasGrad?: number[];
}

const torch = JSON.parse(readFileSync(new URL('../fixtures/torch/group-norm.json', import.meta.url), 'utf8')) as { cases: TorchCase[] };

/** The netspec layer a PyTorch module ports to: its eps as epsilon, affine as center and scale, channelsFirst as axis 1. */
function ported(c: TorchCase, axis: number): tf.layers.Layer {
  const args = { axis, epsilon: c.args.eps, center: c.args.affine, scale: c.args.affine };
  return c.args.num_groups === undefined ? new InstanceNormalization(args) : new GroupNormalization({ ...args, groups: c.args.num_groups });
}

describe('groupNormalization and instanceNormalization equal torch.nn.GroupNorm and InstanceNorm2d (numbers from PyTorch 1.13, test/fixtures/torch/)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    test.each(torch.cases.map((c) => [`${backend}: ${c.module} on [${c.inputShape.join(', ')}]`, c] as const))('%s, channelsFirst and channelsLast', async (_, c) => {
      await tf.setBackend(backend);
      const nchw = asArray(c.inputShape, c.input);
      const dy = asArray(c.inputShape, c.dy);
      const weights = () => (c.weight && c.bias ? [tf.tensor1d(c.weight), tf.tensor1d(c.bias)] : []);
      const first = run(ported(c, 1), nchw, dy, weights());
      close(first.y, c.output, FORWARD);
      close(first.dx, c.inputGrad, GRADIENT);
      if (c.weightGrad && c.biasGrad) {
        close(first.weights['gamma']!, c.weightGrad, GRADIENT);
        close(first.weights['beta']!, c.biasGrad, GRADIENT);
      } else {
        expect(first.weights).toEqual({});
      }
      // channelsLast: the same values laid out [batch, rows, cols, channels] on both sides.
      const last = run(ported(c, -1), channelsFirstToLast(nchw), channelsFirstToLast(dy), weights());
      close(last.y, Array.from(channelsFirstToLast(asArray(c.inputShape, c.output)).data), FORWARD);
      close(last.dx, Array.from(channelsFirstToLast(asArray(c.inputShape, c.inputGrad)).data), GRADIENT);
    });
  }
});
