/**
 * The weight reparametrizations of dense, conv* and conv*Transpose against
 * the plain-loop references (test/reference/reparametrization.ts, with
 * convRef and convTransposeRef), on cpu and wasm: the forward pass in
 * inference and in training, spectral normalization's `vector_u` (moved only
 * in training), and the gradients of every trainable weight against central
 * finite differences of the reference (spectral normalization's u and v held
 * fixed, as the gradient treats them).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { ConvTranspose } from '../../src/runtime/conv-transpose.js';
import { Conv } from '../../src/runtime/conv.js';
import { Dense } from '../../src/runtime/dense.js';
import { setInitialWeights } from '../../src/runtime/initial-weights.js';
import { convTransposeRef, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { convRef } from '../reference/padding.js';
import { columnNorms, denseRef, equalizedKernelRef, spectralKernelRef, spectralVectors, weightNormKernelRef } from '../reference/reparametrization.js';

type Args = Record<string, unknown>;

interface LayerCase {
  readonly name: string;
  readonly make: (args: Args) => tf.layers.Layer;
  readonly args: Args;
  /** Input shape, batch included. */
  readonly input: readonly number[];
  /** Inputs per output, for the He constant. */
  readonly fanIn: number;
  readonly forward: (x: NdArray, kernel: NdArray, bias: NdArray) => NdArray;
}

const layers: LayerCase[] = [
  { name: 'dense 5 -> 3', make: (a) => new Dense(a as never), args: { units: 3 }, input: [2, 5], fanIn: 5, forward: denseRef },
  {
    name: 'conv2d 2 -> 3, kernel 3',
    make: (a) => new Conv({ rank: 2, ...a } as never),
    args: { filters: 3, kernelSize: 3 },
    input: [1, 4, 4, 2],
    fanIn: 18,
    forward: (x, k, b) => convRef(x, k, b, { strides: [1, 1], dilation: [1, 1], pads: [[0, 0], [0, 0]], mode: 'zeros' }),
  },
  {
    name: 'conv1dTranspose 3 -> 2, kernel 3, stride 2',
    make: (a) => new ConvTranspose({ rank: 1, ...a } as never),
    args: { filters: 2, kernelSize: 3, strides: 2 },
    input: [1, 3, 3],
    fanIn: 9,
    forward: (x, k, b) => convTransposeRef(x, k, b, { strides: [2], dilation: [1], padding: 'valid' }),
  },
  {
    name: 'conv2dTranspose 2 -> 3, kernel [2, 3], stride 2, same',
    make: (a) => new ConvTranspose({ rank: 2, ...a } as never),
    args: { filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same' },
    input: [1, 2, 3, 2],
    fanIn: 12,
    forward: (x, k, b) => convTransposeRef(x, k, b, { strides: [2, 2], dilation: [1, 1], padding: 'same' }),
  },
];

interface Reparametrization {
  readonly name: string;
  readonly args: Args;
  /** The kernel and bias the layer computes with, from its weights; `training` moves spectral normalization's u. */
  readonly effective: (w: Record<string, NdArray>, fanIn: number, training: boolean, fixed?: Fixed) => { kernel: NdArray; bias: NdArray; u?: Float64Array };
}

/** Spectral normalization's vectors at the point the gradient is taken. */
type Fixed = { u: Float64Array; v: Float64Array };

const spectral = (iterations: number): Reparametrization => ({
  name: `spectralNormalization, ${iterations} power iteration${iterations > 1 ? 's' : ''}`,
  args: { spectralNormalization: iterations === 1 ? true : { powerIterations: iterations } },
  effective: (w, _, training, fixed) => {
    const vectors = fixed ?? spectralVectors(w['kernel']!, w['vector_u']!.data, iterations, training);
    return { kernel: spectralKernelRef(w['kernel']!, vectors), bias: w['bias']!, u: vectors.u };
  },
});

const equalized = (m: number | undefined): Reparametrization => ({
  name: `equalizedLearningRate${m === undefined ? '' : `, lrMultiplier ${m}`}`,
  args: { equalizedLearningRate: m === undefined ? true : { lrMultiplier: m } },
  effective: (w, fanIn) => ({ kernel: equalizedKernelRef(w['kernel']!, fanIn, m ?? 1), bias: { shape: w['bias']!.shape, data: w['bias']!.data.map((b) => b * (m ?? 1)) } }),
});

const reparametrizations: Reparametrization[] = [
  spectral(1),
  spectral(3),
  { name: 'weightNormalization', args: { weightNormalization: true }, effective: (w) => ({ kernel: weightNormKernelRef(w['kernel']!, w['g']!.data), bias: w['bias']! }) },
  equalized(undefined),
  equalized(0.5),
];

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());
const weightName = (w: tf.LayerVariable) => w.originalName.split('/').pop()!;

/** Random float32 values for every weight; g positive, as a norm. */
function randomWeights(l: tf.layers.Layer, seed: number): Record<string, NdArray> {
  const next = lcg(seed);
  const out: Record<string, NdArray> = {};
  for (const w of l.weights) {
    const a = randomArray(w.shape as number[], () => Math.fround(next()));
    out[weightName(w)] = weightName(w) === 'g' ? { shape: a.shape, data: a.data.map((v) => Math.fround(Math.abs(v) + 0.5)) } : a;
  }
  return out;
}

/** Max |got - want| over max(1e-3, max |want|). */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 1e-3;
  let worst = 0;
  for (let n = 0; n < want.length; n++) scale = Math.max(scale, Math.abs(want[n]!));
  for (let n = 0; n < want.length; n++) worst = Math.max(worst, Math.abs(got[n]! - want[n]!));
  expect(got.length).toBe(want.length);
  return worst / scale;
}

const lossOf = (y: NdArray, dy: NdArray) => y.data.reduce((s, v, n) => s + v * dy.data[n]!, 0);

function prepare(c: LayerCase, r: Reparametrization, seed: number) {
  const l = c.make({ ...c.args, ...r.args });
  l.build(c.input.slice());
  const weights = randomWeights(l, seed);
  const set = () => l.setWeights(l.weights.map((w) => toTensor(weights[weightName(w)]!)));
  set();
  const next = lcg(seed + 7);
  const x = randomArray(c.input, () => Math.fround(next()));
  return { l, weights, set, x };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`weight reparametrizations on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    for (const c of layers) {
      for (const r of reparametrizations) {
        for (const training of [false, true]) {
          test(`${c.name}, ${r.name}, ${training ? 'training' : 'inference'}: forward, vector_u and gradients match the reference`, () => {
            const { l, weights, set, x } = prepare(c, r, c.input.length * 31 + reparametrizations.indexOf(r));
            try {
              const want = r.effective(weights, c.fanIn, training);
              const wantY = c.forward(x, want.kernel, want.bias);
              const y = tf.tidy(() => (l.apply(toTensor(x), { training }) as tf.Tensor).dataSync());
              expect(relativeError(y, wantY.data)).toBeLessThan(1e-4);
              const u = l.weights.find((w) => weightName(w) === 'vector_u');
              if (u) {
                const stored = u.read().dataSync();
                // In inference u stays exactly; in training it is the reference's after the power iteration.
                if (training) expect(relativeError(stored, want.u!)).toBeLessThan(1e-4);
                else expect(Array.from(stored)).toEqual(Array.from(Float32Array.from(weights['vector_u']!.data)));
              }

              set();
              const dy = randomArray(wantY.shape, lcg(5));
              const trainable = l.trainableWeights;
              const { grads } = tf.variableGrads(
                () => tf.sum(tf.mul(l.apply(toTensor(x), { training }) as tf.Tensor, toTensor(dy))) as tf.Scalar,
                trainable.map((w) => w.read() as tf.Variable),
              );
              const fixed = r.args['spectralNormalization'] ? spectralVectors(weights['kernel']!, weights['vector_u']!.data, (r.args['spectralNormalization'] as { powerIterations?: number }).powerIterations ?? 1, training) : undefined;
              const loss = (w: Record<string, NdArray>) => {
                const e = r.effective(w, c.fanIn, training, fixed);
                return lossOf(c.forward(x, e.kernel, e.bias), dy);
              };
              expect(trainable.map(weightName).sort()).toEqual(Object.keys(weights).filter((n) => n !== 'vector_u').sort());
              for (const w of trainable) {
                const name = weightName(w);
                const base = weights[name]!;
                const numeric = base.data.map((_, n) => {
                  const h = 1e-6;
                  const at = (delta: number) => {
                    const data = base.data.slice();
                    data[n] += delta;
                    return loss({ ...weights, [name]: { shape: base.shape, data } });
                  };
                  return (at(h) - at(-h)) / (2 * h);
                });
                const got = grads[(w.read() as tf.Variable).name]!.dataSync();
                expect(relativeError(got, numeric), `gradient of ${name}`).toBeLessThan(2e-3);
              }
              tf.dispose(Object.values(grads));
            } finally {
              for (const w of l.weights) w.dispose();
            }
          });
        }
      }
    }
  });
}

describe('initial values', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  test('weightNormalization starts at g = ||v|| per output channel, so the layer first computes the unnormalized one', () => {
    const l = new Conv({ rank: 2, filters: 3, kernelSize: 2, weightNormalization: true });
    const plain = new Conv({ rank: 2, filters: 3, kernelSize: 2 });
    l.build([1, 3, 3, 2]);
    plain.build([1, 3, 3, 2]);
    const [kernel, bias, g] = l.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
    const v: NdArray = { shape: kernel.shape, data: Float64Array.from(kernel.dataSync()) };
    expect(relativeError(g.dataSync(), columnNorms(v))).toBeLessThan(1e-6);
    plain.setWeights([kernel, bias]);
    const x = tf.randomNormal([1, 3, 3, 2]);
    expect(relativeError((l.apply(x) as tf.Tensor).dataSync(), (plain.apply(x) as tf.Tensor).dataSync())).toBeLessThan(1e-5);
  });

  test('weightNormalization: `weights:` giving the kernel without g sets g to its norms; giving g keeps it', () => {
    const l = new Dense({ units: 2, weightNormalization: true });
    l.build([1, 3]);
    setInitialWeights(l, { kernel: tf.tensor2d([[3, 0], [4, 1], [0, 0]]) });
    expect(Array.from(l.getWeights()[2]!.dataSync())).toEqual([5, 1]);
    setInitialWeights(l, { kernel: tf.tensor2d([[1, 0], [0, 1], [0, 0]]), g: tf.tensor1d([2, 3]) });
    expect(Array.from(l.getWeights()[2]!.dataSync())).toEqual([2, 3]);
  });

  test('equalizedLearningRate draws the kernel with stddev 1 / lrMultiplier; spectralNormalization u with stddev about 0.02', () => {
    const l = new Dense({ units: 64, equalizedLearningRate: { lrMultiplier: 0.5 } });
    l.build([1, 64]);
    const { mean, variance } = tf.moments(l.getWeights()[0]!);
    expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(0.1);
    expect(Math.sqrt(variance.dataSync()[0]!)).toBeGreaterThan(1.9);
    expect(Math.sqrt(variance.dataSync()[0]!)).toBeLessThan(2.1);
    const sn = new Conv({ rank: 2, filters: 512, kernelSize: 1, spectralNormalization: true });
    sn.build([1, 2, 2, 1]);
    const u = sn.getWeights()[2]!;
    expect(u.shape).toEqual([1, 512]);
    const spread = Math.sqrt(tf.moments(u).variance.dataSync()[0]!);
    // TruncatedNormal(0.02) cuts at 2 stddev: its stddev is about 0.88 * 0.02.
    expect(spread).toBeGreaterThan(0.014);
    expect(spread).toBeLessThan(0.02);
    expect(tf.max(tf.abs(u)).dataSync()[0]!).toBeLessThanOrEqual(0.04 + 1e-7);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`on ${backend}, fit moves a spectrally normalized layer's kernel and vector_u; predict and evaluate leave u`, async () => {
    await tf.setBackend(backend);
    const x = tf.input({ shape: [4] });
    const hidden = new Dense({ units: 3, spectralNormalization: true, name: 'sn' }).apply(x) as tf.SymbolicTensor;
    const y = new Conv({ rank: 1, filters: 1, kernelSize: 1, weightNormalization: true, name: 'wn' }).apply(tf.layers.reshape({ targetShape: [3, 1] }).apply(hidden) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    expect(model.countParams()).toBe(4 * 3 + 3 + 3 + 1 + 1 + 1);
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['sn/kernel', 'sn/bias', 'wn/kernel', 'wn/bias', 'wn/g']);
    expect(model.nonTrainableWeights.map((w) => w.originalName)).toEqual(['sn/vector_u']);
    const u = () => Array.from(model.getLayer('sn').getWeights()[2]!.dataSync());
    const kernel = () => Array.from(model.getLayer('sn').getWeights()[0]!.dataSync());
    const xs = tf.randomNormal([2, 4]);
    const ys = tf.randomNormal([2, 3, 1]);
    const [u0, k0] = [u(), kernel()];
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    model.predict(xs);
    model.evaluate(xs, ys, { batchSize: 2 });
    expect(u()).toEqual(u0);
    await model.fit(xs, ys, { epochs: 1, batchSize: 2 });
    expect(u()).not.toEqual(u0);
    expect(kernel()).not.toEqual(k0);
    const u1 = u();
    model.predict(xs);
    expect(u()).toEqual(u1);
    model.dispose();
  });
}

test('spectralNormalization of an all-zero kernel: the output is the bias, and vector_u is kept (Keras 3 skips the update)', () => {
  const l = new Dense({ units: 2, spectralNormalization: true, kernelInitializer: 'zeros', biasInitializer: 'ones' });
  l.build([1, 3]);
  const u = Array.from(l.getWeights()[2]!.dataSync());
  const y = l.apply(tf.ones([1, 3]), { training: true }) as tf.Tensor;
  expect(Array.from(y.dataSync())).toEqual([1, 1]);
  expect(Array.from(l.getWeights()[2]!.dataSync())).toEqual(u);
});
