import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { BatchNormalization, LayerNormalization, batchNormalization, layerNormalization, type BatchNormalizationArgs } from '../../src/runtime/normalization.js';
import { lcg, randomArray } from '../reference/conv-transpose.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Float32 layers against float64 loops, relative to the values' scale. */
const TOLERANCE = 1e-5;

// ---------------------------------------------------------------------------
// Plain-loop references (Keras 3 BatchNormalization / LayerNormalization).

/** Row-major coordinates of flat index `i`. */
function coordinates(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    c[a] = i % shape[a]!;
    i = Math.floor(i / shape[a]!);
  }
  return c;
}

/** Flat index into the sub-array spanned by `axes` (in increasing order). */
function subIndex(c: readonly number[], shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((index, a) => index * shape[a]! + c[a]!, 0);
}

interface Moments {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/** Mean and biased variance of `x` over every axis outside `kept`, indexed by the kept axes. */
function momentsRef(x: Float64Array, shape: readonly number[], kept: readonly number[]): Moments {
  const size = kept.reduce((p, a) => p * shape[a]!, 1);
  const count = x.length / size;
  const mean = new Float64Array(size);
  const variance = new Float64Array(size);
  for (let i = 0; i < x.length; i++) mean[subIndex(coordinates(i, shape), shape, kept)]! += x[i]! / count;
  for (let i = 0; i < x.length; i++) {
    const k = subIndex(coordinates(i, shape), shape, kept);
    variance[k]! += (x[i]! - mean[k]!) ** 2 / count;
  }
  return { mean, variance };
}

interface Affine {
  readonly gamma?: Float64Array;
  readonly beta?: Float64Array;
}

/** `(x - mean) / sqrt(variance + epsilon) * gamma + beta`; statistics indexed by `statAxes`, gamma/beta by `paramAxes`. */
function normalizeRef(x: Float64Array, shape: readonly number[], m: Moments, statAxes: readonly number[], paramAxes: readonly number[], p: Affine, epsilon: number): Float64Array {
  return x.map((v, i) => {
    const c = coordinates(i, shape);
    const s = subIndex(c, shape, statAxes);
    const q = subIndex(c, shape, paramAxes);
    return ((v - m.mean[s]!) / Math.sqrt(m.variance[s]! + epsilon)) * (p.gamma?.[q] ?? 1) + (p.beta?.[q] ?? 0);
  });
}

// ---------------------------------------------------------------------------
// Helpers.

function random(shape: readonly number[], seed: number, scale = 1, offset = 0): Float64Array {
  return Float64Array.from(Float32Array.from(randomArray(shape, lcg(seed)).data, (v) => v * scale + offset));
}

const tensor = (a: Float64Array, shape: readonly number[]) => tf.tensor(Float32Array.from(a), shape.slice());
const values = (t: tf.Tensor) => Float64Array.from(t.dataSync());

function maxRelativeError(got: Float64Array, want: Float64Array): number {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  return Math.max(0, ...Array.from(got, (g, i) => Math.abs(g - want[i]!) / scale));
}

function expectSameValues(got: tf.Tensor | Float64Array | Float32Array, want: tf.Tensor | Float64Array | Float32Array): void {
  const asArray = (t: tf.Tensor | Float64Array | Float32Array) => Array.from(t instanceof tf.Tensor ? t.dataSync() : t);
  expect(asArray(got)).toEqual(asArray(want));
}

/** Per-channel statistics and affine weights far from their defaults, so every term shows. */
function channelWeights(channels: number, seed: number) {
  return {
    gamma: random([channels], seed, 0.5, 1),
    beta: random([channels], seed + 1, 0.5),
    movingMean: random([channels], seed + 2, 0.3),
    movingVariance: random([channels], seed + 3, 0.4, 1),
  };
}

function setChannelWeights(layer: tf.layers.Layer, w: ReturnType<typeof channelWeights>, args: BatchNormalizationArgs): void {
  const list = [...(args.scale === false ? [] : [w.gamma]), ...(args.center === false ? [] : [w.beta]), w.movingMean, w.movingVariance];
  layer.setWeights(list.map((v) => tensor(v, [v.length])));
}

// ---------------------------------------------------------------------------

describe('baseline: tfjs 4.22', () => {
  test.each([
    ['batchNormalization', () => tf.layers.batchNormalization()],
    ['layerNormalization', () => tf.layers.layerNormalization()],
  ])('%s throws on a rank-5 input', (_, make) => {
    expect(() => make().apply(tf.ones([2, 2, 2, 2, 3]))).toThrow(/rank 5/);
  });

  test('batchNormalization on a non-last axis (channelsFirst) computes wrong values and cannot train', () => {
    const shape = [2, 3, 4, 3];
    const layer = tf.layers.batchNormalization({ axis: 1 });
    const x = random(shape, 10, 2, 0.5);
    layer.apply(tensor(x, shape));
    const w = channelWeights(3, 11);
    setChannelWeights(layer, w, {});
    const want = normalizeRef(x, shape, { mean: w.movingMean, variance: w.movingVariance }, [1], [1], w, 1e-3);
    expect(maxRelativeError(values(layer.apply(tensor(x, shape)) as tf.Tensor), want)).toBeGreaterThan(0.1);
    expect(() => tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input, { training: true }) as tf.Tensor))(tensor(x, shape))).toThrow(/must match the product of shape/);
  });

  test('batchNormalization with scale: false or center: false throws in training mode', () => {
    expect(() => tf.layers.batchNormalization({ scale: false }).apply(tf.ones([2, 3]), { training: true })).toThrow();
    expect(() => tf.layers.batchNormalization({ center: false }).apply(tf.ones([2, 3]), { training: true })).toThrow();
  });
});

/** [name, input shape, axis, extra options]: rank 5 as after conv3d in either data format, and every non-last axis. */
const REFERENCE_CASES: readonly (readonly [string, readonly number[], number, BatchNormalizationArgs])[] = [
  ['rank 5 channelsLast axis -1', [3, 2, 3, 4, 5], -1, {}],
  ['rank 5 channelsFirst axis 1', [3, 5, 2, 3, 4], 1, {}],
  ['rank 5 axis 2, epsilon 0.1', [2, 3, 5, 2, 3], 2, { epsilon: 0.1 }],
  ['rank 5 axis 3, scale false', [2, 3, 2, 5, 2], 3, { scale: false }],
  ['rank 5 axis -1, center false, momentum 0.9', [3, 2, 2, 2, 5], -1, { center: false, momentum: 0.9 }],
  ['rank 3 axis 1', [3, 4, 3], 1, {}],
  ['rank 4 channelsFirst axis 1', [2, 3, 4, 3], 1, {}],
  ['rank 4 axis 2', [2, 3, 4, 3], 2, {}],
];

describe.each(REFERENCE_CASES)('batchNormalization %s vs plain loops', (_, shape, axis, args) => {
  const a = axis < 0 ? axis + shape.length : axis;
  const channels = shape[a]!;
  const epsilon = args.epsilon ?? 1e-3;
  const momentum = args.momentum ?? 0.99;
  const affine = (w: ReturnType<typeof channelWeights>): Affine => ({ ...(args.scale === false ? {} : { gamma: w.gamma }), ...(args.center === false ? {} : { beta: w.beta }) });

  test('inference uses the moving statistics', () => {
    const layer = batchNormalization({ ...args, axis });
    const x = random(shape, 21, 2, 0.5);
    layer.apply(tensor(x, shape)); // builds
    const w = channelWeights(channels, 30);
    setChannelWeights(layer, w, args);
    const y = layer.apply(tensor(x, shape)) as tf.Tensor;
    expect(y.shape).toEqual(shape);
    const want = normalizeRef(x, shape, { mean: w.movingMean, variance: w.movingVariance }, [a], [a], affine(w), epsilon);
    expect(maxRelativeError(values(y), want)).toBeLessThan(TOLERANCE);
  });

  test('training mode uses batch statistics and moves the averages by momentum', () => {
    const layer = batchNormalization({ ...args, axis });
    const x = random(shape, 22, 2, 0.5);
    layer.apply(tensor(x, shape));
    const w = channelWeights(channels, 40);
    setChannelWeights(layer, w, args);
    const y = layer.apply(tensor(x, shape), { training: true }) as tf.Tensor;
    const batch = momentsRef(x, shape, [a]);
    expect(maxRelativeError(values(y), normalizeRef(x, shape, batch, [a], [a], affine(w), epsilon))).toBeLessThan(TOLERANCE);

    const weights = layer.getWeights();
    const [movingMean, movingVariance] = weights.slice(weights.length - 2).map(values);
    expect(maxRelativeError(movingMean!, w.movingMean.map((m, c) => m * momentum + batch.mean[c]! * (1 - momentum)))).toBeLessThan(TOLERANCE);
    expect(maxRelativeError(movingVariance!, w.movingVariance.map((v, c) => v * momentum + batch.variance[c]! * (1 - momentum)))).toBeLessThan(TOLERANCE);
  });

  test('training-mode gradients match the same formula in plain tf ops', () => {
    const layer = batchNormalization({ ...args, axis });
    const x = tensor(random(shape, 23, 2, 0.5), shape);
    layer.apply(x);
    setChannelWeights(layer, channelWeights(channels, 50), args);
    const probe = tensor(random(shape, 24), shape);
    const reductionAxes = shape.map((_, i) => i).filter((i) => i !== a);
    const broadcast = shape.map((d, i) => (i === a ? d : 1));
    const gamma = args.scale === false ? tf.scalar(1) : tf.reshape(layer.getWeights()[0]!, broadcast);
    const formula = (input: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, reductionAxes, true);
      return tf.mul(tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, epsilon))), gamma);
    };
    const got = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, probe)))(x);
    const want = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(formula(input), probe)))(x);
    expect(maxRelativeError(values(got), values(want))).toBeLessThan(1e-4);
  });
});

/** What tfjs computes right (ranks 2-4, axis last): the runtime layer must agree bit for bit, in inference, training mode and fit. */
const NATIVE_RANKS: readonly (readonly [string, readonly number[], number])[] = [
  ['rank 2', [4, 3], -1],
  ['rank 3', [3, 4, 3], -1],
  ['rank 4', [2, 3, 4, 3], -1],
  ['rank 4 axis 3', [2, 3, 4, 3], 3],
];

describe.each(NATIVE_RANKS)('batchNormalization %s equals tfjs exactly', (_, shape, axis) => {
  const args: BatchNormalizationArgs = { axis, momentum: 0.8 };
  const channels = shape[axis < 0 ? axis + shape.length : axis]!;

  test('weights, config, inference and training-mode outputs and moving averages', () => {
    const native = tf.layers.batchNormalization({ ...args, name: 'bn' });
    const runtime = batchNormalization({ ...args, name: 'bn' });
    const x = tensor(random(shape, 60, 2, 0.5), shape);
    for (const layer of [native, runtime]) {
      layer.apply(x);
      setChannelWeights(layer, channelWeights(channels, 70), args);
    }
    expect(runtime.weights.map((w) => w.originalName)).toEqual(['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    expect(runtime.weights.map((w) => w.originalName)).toEqual(native.weights.map((w) => w.originalName));
    expect(runtime.weights.map((w) => w.trainable)).toEqual([true, true, false, false]);
    expect(runtime.getConfig()).toEqual(native.getConfig());
    expect(runtime.getClassName()).toBe('NetspecBatchNormalization');

    expectSameValues(runtime.apply(x) as tf.Tensor, native.apply(x) as tf.Tensor);
    for (let step = 0; step < 2; step++) {
      expectSameValues(runtime.apply(x, { training: true }) as tf.Tensor, native.apply(x, { training: true }) as tf.Tensor);
      runtime.getWeights().forEach((w, n) => expectSameValues(w, native.getWeights()[n]!));
    }
  });

  test('fit updates every weight exactly as tfjs does', async () => {
    const build = (make: (a: BatchNormalizationArgs) => tf.layers.Layer) => {
      const input = tf.input({ shape: shape.slice(1) });
      const model = tf.model({ inputs: input, outputs: make(args).apply(input) as tf.SymbolicTensor });
      model.layers[1]!.setWeights(Object.values(channelWeights(channels, 80)).map((v) => tensor(v, [channels])));
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      return model;
    };
    const [native, runtime] = [build(tf.layers.batchNormalization), build(batchNormalization)];
    const x = tensor(random(shape, 90, 2, 0.5), shape);
    const y = tensor(random(shape, 91), shape);
    for (const model of [native, runtime]) await model.fit(x, y, { epochs: 3, batchSize: shape[0]!, shuffle: false, verbose: 0 });
    runtime.getWeights().forEach((w, n) => expectSameValues(w, native.getWeights()[n]!));
  });
});

describe('batchNormalization: Keras 3 where tfjs departs from it', () => {
  test.each([
    ['scale: false', { scale: false }],
    ['center: false', { center: false }],
    ['both', { scale: false, center: false }],
  ] as const)('%s trains (tfjs throws)', async (_, options) => {
    const args: BatchNormalizationArgs = options;
    const shape = [4, 3];
    const input = tf.input({ shape: [3] });
    const dense = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) });
    const layer = batchNormalization({ ...args, name: 'bn' });
    const model = tf.model({ inputs: input, outputs: layer.apply(dense.apply(input)) as tf.SymbolicTensor });
    const names = layer.weights.map((w) => w.originalName);
    expect(names).toEqual([...(args.scale === false ? [] : ['bn/gamma']), ...(args.center === false ? [] : ['bn/beta']), 'bn/moving_mean', 'bn/moving_variance']);
    const x = random(shape, 100, 2, 0.5);
    const y = layer.apply(tensor(x, shape), { training: true }) as tf.Tensor;
    const batch = momentsRef(x, shape, [1]);
    const weights = layer.getWeights().map(values);
    const affine: Affine = { ...(args.scale === false ? {} : { gamma: weights[0] }), ...(args.center === false ? {} : { beta: weights[names.indexOf('bn/beta')] }) };
    expect(maxRelativeError(values(y), normalizeRef(x, shape, batch, [1], [1], affine, 1e-3))).toBeLessThan(TOLERANCE);
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const history = await model.fit(tensor(x, shape), tensor(random(shape, 101), shape), { epochs: 5, batchSize: 4, verbose: 0 });
    const losses = history.history['loss'] as number[];
    expect(losses[4]!).toBeLessThan(losses[0]!);
  });

  test('a frozen layer normalizes with its moving statistics in training mode and keeps them (Keras: training and self.trainable)', async () => {
    const shape = [4, 2, 3];
    const w = channelWeights(3, 110);
    const x = random(shape, 111, 2, 0.5);
    const want = normalizeRef(x, shape, { mean: w.movingMean, variance: w.movingVariance }, [2], [2], w, 1e-3);

    const frozen = batchNormalization({ trainable: false });
    frozen.apply(tensor(x, shape));
    setChannelWeights(frozen, w, {});
    expect(maxRelativeError(values(frozen.apply(tensor(x, shape), { training: true }) as tf.Tensor), want)).toBeLessThan(TOLERANCE);
    expectSameValues(frozen.getWeights()[2]!, Float32Array.from(w.movingMean));

    // Frozen through its parent model, as a GAN's discriminator inside the combined model.
    const inner = tf.sequential({ layers: [batchNormalization({ inputShape: shape.slice(1) })] });
    setChannelWeights(inner.layers[0]!, w, {});
    inner.trainable = false;
    const input = tf.input({ shape: shape.slice(1) });
    const outer = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(inner.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor });
    outer.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await outer.fit(tensor(x, shape), tf.zeros([4, 2, 1]), { epochs: 2, verbose: 0 });
    inner.getWeights().forEach((got, n) => expectSameValues(got, Float32Array.from(Object.values(w)[n]!)));
  });
});

/** [name, shape, axis] for layer normalization. */
const LAYER_NORM: readonly (readonly [string, readonly number[], number | number[]])[] = [
  ['rank 5 axis -1', [2, 2, 3, 2, 4], -1],
  ['rank 5 axes [2, 3, 4]', [2, 2, 3, 2, 4], [2, 3, 4]],
  ['rank 5 axes [1, 3]', [2, 3, 2, 4, 2], [1, 3]],
  ['rank 3 axis 1 (tfjs own computation)', [3, 4, 3], 1],
  ['rank 4 axes [1, 2] (tfjs own computation)', [2, 3, 4, 3], [1, 2]],
];

describe.each(LAYER_NORM)('layerNormalization %s', (_, shape, axis) => {
  test('matches the plain-loop reference', () => {
    const axes = (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + shape.length : a));
    const layer = layerNormalization({ axis, epsilon: 0.01 });
    const x = random(shape, 120, 2, 0.5);
    layer.apply(tensor(x, shape));
    const paramShape = axes.map((a) => shape[a]!);
    const gamma = random(paramShape, 121, 0.5, 1);
    const beta = random(paramShape, 122, 0.5);
    layer.setWeights([tensor(gamma, paramShape), tensor(beta, paramShape)]);
    const y = layer.apply(tensor(x, shape)) as tf.Tensor;
    const rest = shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const want = normalizeRef(x, shape, momentsRef(x, shape, rest), rest, axes, { gamma, beta }, 0.01);
    expect(maxRelativeError(values(y), want)).toBeLessThan(TOLERANCE);
  });
});

describe('layerNormalization without gamma or beta trains (tfjs\' own gradient reads the missing weight)', () => {
  test.each([
    ['center: false', { center: false }],
    ['scale: false', { scale: false }],
    ['neither', { center: false, scale: false }],
  ] as const)('%s: tfjs throws; the runtime gives the gradient of the formula in plain tf ops', (_, args) => {
    const shape = [2, 3, 4];
    const x = tensor(random(shape, 140, 2, 0.5), shape);
    const dy = tensor(random(shape, 141, 1), shape);
    const loss = (layer: tf.layers.Layer) => (t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, dy));
    expect(() => tf.grad(loss(tf.layers.layerNormalization(args)))(x)).toThrow(TypeError);
    const runtime = layerNormalization({ ...args, axis: [1, 2], epsilon: 0.01 });
    const got = tf.grad(loss(runtime))(x);
    const formula = (t: tf.Tensor) => {
      const { mean, variance } = tf.moments(t, [1, 2], true);
      return tf.sum(tf.mul(tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 0.01))), dy));
    };
    // gamma ones and beta zeros as initialized: the same values with or without them.
    expect(maxRelativeError(values(got), values(tf.grad(formula)(x)))).toBeLessThan(TOLERANCE);
    expect(runtime.weights.map((w) => w.originalName.split('/').pop())).toEqual([...('scale' in args ? [] : ['gamma']), ...('center' in args ? [] : ['beta'])]);
  });
});

describe('layerNormalization ranks 2-4 equal tfjs exactly', () => {
  test.each([
    ['rank 2', [4, 3]],
    ['rank 3', [3, 4, 3]],
    ['rank 4', [2, 3, 4, 3]],
  ] as const)('%s', (_, shape) => {
    const native = tf.layers.layerNormalization({ name: 'ln' });
    const runtime = layerNormalization({ name: 'ln' });
    const x = tensor(random(shape, 130, 2, 0.5), shape);
    expectSameValues(runtime.apply(x) as tf.Tensor, native.apply(x) as tf.Tensor);
    expect(runtime.weights.map((w) => w.originalName)).toEqual(native.weights.map((w) => w.originalName));
    expect(runtime.getConfig()).toEqual(native.getConfig());
    expect(runtime.getClassName()).toBe('NetspecLayerNormalization');
  });
});

describe('serialization', () => {
  async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    return { ...artifacts!, modelTopology: JSON.parse(JSON.stringify(artifacts!.modelTopology)) as object };
  }

  test('a conv3d model with rank-5 batch and layer normalization round-trips', async () => {
    const input = tf.input({ name: 'x', shape: [3, 4, 4, 2] });
    let y = tf.layers.conv3d({ name: 'conv', filters: 3, kernelSize: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }).apply(input) as tf.SymbolicTensor;
    y = batchNormalization({ name: 'bn', momentum: 0.9, epsilon: 0.01, gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 6 }) }).apply(y) as tf.SymbolicTensor;
    y = layerNormalization({ name: 'ln', axis: [3, 4] }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: y });
    const x = tensor(random([2, 3, 4, 4, 2], 140, 2, 0.5), [2, 3, 4, 4, 2]);
    // Move the moving statistics and the weights off their initial values.
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await model.fit(x, tensor(random([2, 2, 3, 3, 3], 141), [2, 2, 3, 3, 3]), { epochs: 2, verbose: 0 });

    const artifacts = await saveToMemory(model);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Conv3D', 'NetspecBatchNormalization', 'NetspecLayerNormalization']);
    expect(loaded.layers[2]).toBeInstanceOf(BatchNormalization);
    expect(loaded.layers[3]).toBeInstanceOf(LayerNormalization);
    expect((await saveToMemory(loaded)).modelTopology).toEqual(artifacts.modelTopology);
    expect(loaded.weights.map((w) => w.originalName)).toEqual(model.weights.map((w) => w.originalName));
    loaded.getWeights().forEach((w, n) => expectSameValues(w, model.getWeights()[n]!));
    expectSameValues(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor);
    const before = values(model.getWeights()[model.getWeights().length - 1]!);
    expect(before.some((v) => v !== 1)).toBe(true);
  });
});
