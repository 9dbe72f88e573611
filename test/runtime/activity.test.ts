import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { withActivityRegularizer } from '../../src/runtime/activity.js';
import type { RegularizerDescriptor } from '../../src/runtime/descriptors.js';
import { lcg, randomArray } from '../reference/conv-transpose.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Float32 forward passes against float64 loops. */
const TOLERANCE = 1e-5;

type Activation = (v: number) => number;
const ACTIVATIONS: Readonly<Record<'tanh' | 'relu', Activation>> = { tanh: Math.tanh, relu: (v) => Math.max(v, 0) };

interface Case {
  readonly layer: () => tf.layers.Layer;
  readonly inputShape: readonly number[];
  readonly activity: RegularizerDescriptor;
  /** The layer's output from its weights, in plain loops. */
  readonly forward: (x: Float64Array, weights: readonly Float64Array[]) => Float64Array;
  /** Keras' L1/L2 penalty of one output, before the division by the batch size. */
  readonly penalty: (y: Float64Array) => number;
}

const BATCH = 4;

function denseRef(inputs: number, units: number, activation: Activation) {
  return (x: Float64Array, [kernel, bias]: readonly Float64Array[]) => {
    const y = new Float64Array((x.length / inputs) * units);
    for (let b = 0; b < x.length / inputs; b++) {
      for (let u = 0; u < units; u++) {
        let sum = bias![u]!;
        for (let i = 0; i < inputs; i++) sum += x[b * inputs + i]! * kernel![i * units + u]!;
        y[b * units + u] = activation(sum);
      }
    }
    return y;
  };
}

/** A valid, stride-1 conv2d, channelsLast, kernel [kh, kw, in, out]. */
function conv2dRef(shape: readonly number[], k: number, filters: number, activation: Activation) {
  const [batch, h, w, c] = shape as [number, number, number, number];
  const [oh, ow] = [h - k + 1, w - k + 1];
  return (x: Float64Array, [kernel, bias]: readonly Float64Array[]) => {
    const y = new Float64Array(batch * oh * ow * filters);
    for (let b = 0; b < batch; b++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++)
          for (let o = 0; o < filters; o++) {
            let sum = bias![o]!;
            for (let p = 0; p < k; p++)
              for (let q = 0; q < k; q++)
                for (let ci = 0; ci < c; ci++) sum += x[((b * h + i + p) * w + j + q) * c + ci]! * kernel![((p * k + q) * c + ci) * filters + o]!;
            y[((b * oh + i) * ow + j) * filters + o] = activation(sum);
          }
    return y;
  };
}

const l1 = (factor: number) => (y: Float64Array) => factor * y.reduce((s, v) => s + Math.abs(v), 0);
const l2 = (factor: number) => (y: Float64Array) => factor * y.reduce((s, v) => s + v * v, 0);

const CASES: readonly (readonly [string, Case])[] = [
  [
    'dense tanh, l2 0.1',
    {
      layer: () => tf.layers.dense({ name: 'dense', units: 3, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.constant({ value: 0.3 }) }),
      inputShape: [BATCH, 5],
      activity: { l2: 0.1 },
      forward: denseRef(5, 3, ACTIVATIONS.tanh),
      penalty: l2(0.1),
    },
  ],
  [
    'conv2d relu, l1 (default 0.01)',
    {
      layer: () => tf.layers.conv2d({ name: 'conv', filters: 3, kernelSize: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), biasInitializer: tf.initializers.constant({ value: 0.2 }) }),
      inputShape: [BATCH, 4, 3, 2],
      activity: 'l1',
      forward: conv2dRef([BATCH, 4, 3, 2], 2, 3, ACTIVATIONS.relu),
      penalty: l1(0.01),
    },
  ],
];

function modelOf(c: Case, regularized: boolean): tf.LayersModel {
  const x = tf.input({ shape: c.inputShape.slice(1) });
  const layer = regularized ? withActivityRegularizer(c.layer(), c.activity) : c.layer();
  return tf.model({ inputs: x, outputs: layer.apply(x) as tf.SymbolicTensor });
}

function inputOf(c: Case): { x: tf.Tensor; data: Float64Array } {
  const a = randomArray(c.inputShape, lcg(11));
  const x = tf.tensor(Float32Array.from(a.data), a.shape.slice());
  return { x, data: Float64Array.from(x.dataSync()) };
}

function weightsOf(model: tf.LayersModel): Float64Array[] {
  return model.getWeights().map((w) => Float64Array.from(w.dataSync()));
}

const mse = (y: Float64Array, t: Float64Array) => y.reduce((s, v, i) => s + (v - t[i]!) ** 2, 0) / y.length;
const relativeError = (got: number, want: number) => Math.abs(got - want) / Math.max(1, Math.abs(want));

describe.each(CASES)('withActivityRegularizer: %s', (_, c) => {
  test('baseline: tfjs own activityRegularizer throws when the layer runs', () => {
    const layer = tf.layers.dense({ units: 2, activityRegularizer: tf.regularizers.l2() });
    expect(() => layer.apply(tf.ones([1, 2]))).toThrow(/activity regularizer/);
  });

  test('fit and trainOnBatch report data loss + penalty / batch, computed by hand', async () => {
    const model = modelOf(c, true);
    model.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
    const { x, data } = inputOf(c);
    const y = c.forward(data, weightsOf(model));
    const target = y.map((v, i) => v + ((i % 3) - 1) * 0.5);
    const dataLoss = mse(y, target);
    const penalty = c.penalty(y) / BATCH;
    expect(penalty).toBeGreaterThan(1e-3);
    const want = dataLoss + penalty;

    const t = tf.tensor(Float32Array.from(target), model.outputs[0]!.shape.map((d) => d ?? BATCH));
    const history = await model.fit(x, t, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
    expect(relativeError(history.history['loss']![0] as number, want)).toBeLessThan(TOLERANCE);
    expect(relativeError((await model.trainOnBatch(x, t)) as number, want)).toBeLessThan(TOLERANCE);
    // tfjs' evaluate adds no regularization loss of any kind (nor kernel/bias regularizers).
    expect(relativeError((model.evaluate(x, t) as tf.Scalar).dataSync()[0]!, dataLoss)).toBeLessThan(TOLERANCE);
  });

  test('the penalty counts inside a nested model too', async () => {
    const inner = modelOf(c, true);
    const x = tf.input({ shape: c.inputShape.slice(1) });
    const outer = tf.model({ inputs: x, outputs: inner.apply(x) as tf.SymbolicTensor });
    outer.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
    const input = inputOf(c);
    const y = c.forward(input.data, weightsOf(inner));
    const t = tf.tensor(Float32Array.from(y), outer.outputs[0]!.shape.map((d) => d ?? BATCH));
    const loss = (await outer.trainOnBatch(input.x, t)) as number;
    expect(relativeError(loss, c.penalty(y) / BATCH)).toBeLessThan(TOLERANCE);
  });

  test('predict is unchanged, and training lowers the penalty', async () => {
    const plain = modelOf(c, false);
    const model = modelOf(c, true);
    const { x, data } = inputOf(c);
    expect(Array.from((model.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((plain.predict(x) as tf.Tensor).dataSync()));

    // Targets equal to the initial outputs: the data loss starts at 0, only the penalty pulls.
    const y0 = c.forward(data, weightsOf(model));
    const t = tf.tensor(Float32Array.from(y0), model.outputs[0]!.shape.map((d) => d ?? BATCH));
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
    const history = await model.fit(x, t, { epochs: 20, batchSize: BATCH, shuffle: false, verbose: 0 });
    const y1 = c.forward(data, weightsOf(model));
    const [before, after] = [c.penalty(y0), c.penalty(y1)];
    expect(after).toBeLessThan(0.8 * before);
    const losses = history.history['loss'] as number[];
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
  });
});

describe('withActivityRegularizer: wiring', () => {
  test('returns the same layer; a second call replaces the regularizer', async () => {
    const layer = tf.layers.dense({ units: 2, kernelInitializer: 'ones', biasInitializer: 'zeros' });
    expect(withActivityRegularizer(layer, { l2: 1 })).toBe(layer);
    withActivityRegularizer(layer, { l1: 0.5 });
    const x = tf.input({ shape: [2] });
    const model = tf.model({ inputs: x, outputs: layer.apply(x) as tf.SymbolicTensor });
    model.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
    // Output [[3, 3], [-1, -1]] against itself: only l1 0.5 * (3 + 3 + 1 + 1) / 2 = 2 remains.
    const input = tf.tensor([[1, 2], [-0.5, -0.5]]);
    const loss = (await model.trainOnBatch(input, tf.tensor([[3, 3], [-1, -1]]))) as number;
    expect(loss).toBeCloseTo(2, 5);
  });

  test('refuses a layer built with tfjs own activityRegularizer', () => {
    const layer = tf.layers.dense({ units: 2, activityRegularizer: tf.regularizers.l2() });
    expect(() => withActivityRegularizer(layer, 'l2')).toThrow(/build it without/);
  });
});
