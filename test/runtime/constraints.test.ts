import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { withConstraints } from '../../src/runtime/constraints.js';
import { conv2dTranspose } from '../../src/runtime/conv-transpose.js';
import { lcg, randomArray } from '../reference/conv-transpose.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BATCH = 4;
const LEARNING_RATE = 0.5;
/** tfjs' and Keras' epsilon in the norm constraints. */
const EPSILON = 1e-7;

// ---------------------------------------------------------------------------
// Plain-JS projections (Keras 3 keras/src/constraints), independent of tfjs' Constraint classes.

type Projection = (w: Float64Array, shape: readonly number[]) => Float64Array;

/** For every element, the L2 norm of the slice along `axes` it belongs to. */
function l2NormsOver(w: Float64Array, shape: readonly number[], axes: readonly number[]): Float64Array {
  const keys = new Float64Array(w.length);
  const sums = new Map<number, number>();
  for (let i = 0; i < w.length; i++) {
    let rest = i;
    let key = 0;
    let stride = 1;
    for (let a = shape.length - 1; a >= 0; a--) {
      const coordinate = rest % shape[a]!;
      rest = Math.floor(rest / shape[a]!);
      if (!axes.includes(a)) {
        key += coordinate * stride;
        stride *= shape[a]!;
      }
    }
    keys[i] = key;
    sums.set(key, (sums.get(key) ?? 0) + w[i]! ** 2);
  }
  return keys.map((k) => Math.sqrt(sums.get(k)!));
}

const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const nonNeg: Projection = (w) => w.map((v) => Math.max(v, 0));
const maxNorm =
  (maxValue: number, axes: readonly number[]): Projection =>
  (w, shape) => {
    const norms = l2NormsOver(w, shape, axes);
    return w.map((v, i) => (v * clip(norms[i]!, 0, maxValue)) / (EPSILON + norms[i]!));
  };
const minMaxNorm =
  (minValue: number, maxValue: number, rate: number, axes: readonly number[]): Projection =>
  (w, shape) => {
    const norms = l2NormsOver(w, shape, axes);
    return w.map((v, i) => (v * (rate * clip(norms[i]!, minValue, maxValue) + (1 - rate) * norms[i]!)) / (EPSILON + norms[i]!));
  };

// ---------------------------------------------------------------------------
// Fixtures: each model is built twice, with constraints and without, from the same seeds.

interface Fixture {
  readonly build: (constrained: boolean) => tf.LayersModel;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** The projection of each constrained weight, by its unscoped name. */
  readonly projections: Readonly<Record<string, Projection>>;
  /** Weights a non-idempotent projection changes again when applied twice. */
  readonly nonIdempotent: readonly string[];
}

const FIXTURES: readonly (readonly [string, Fixture])[] = [
  [
    'dense + runtime conv2dTranspose',
    {
      build: (constrained) => {
        const x = tf.input({ name: 'x', shape: [3] });
        let y = tf.layers
          .dense({
            name: 'dense',
            units: 4,
            kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
            ...(constrained ? { kernelConstraint: tf.constraints.maxNorm({ maxValue: 0.5, axis: 0 }), biasConstraint: tf.constraints.nonNeg() } : {}),
          })
          .apply(x) as tf.SymbolicTensor;
        y = tf.layers.reshape({ name: 'reshape', targetShape: [1, 1, 4] }).apply(y) as tf.SymbolicTensor;
        y = conv2dTranspose({
          name: 'up',
          filters: 2,
          kernelSize: 2,
          strides: 2,
          kernelInitializer: { type: 'glorotUniform', seed: 2 },
          ...(constrained ? { kernelConstraint: { type: 'minMaxNorm', minValue: 0.1, maxValue: 0.3, rate: 0.5, axis: [0, 1, 2] }, biasConstraint: 'nonNeg' } : {}),
        }).apply(y) as tf.SymbolicTensor;
        return tf.model({ inputs: x, outputs: y });
      },
      inputShape: [BATCH, 3],
      outputShape: [BATCH, 2, 2, 2],
      projections: { 'dense/kernel': maxNorm(0.5, [0]), 'dense/bias': nonNeg, 'up/kernel': minMaxNorm(0.1, 0.3, 0.5, [0, 1, 2]), 'up/bias': nonNeg },
      nonIdempotent: ['up/kernel'],
    },
  ],
  [
    'batchNormalization gamma and beta',
    {
      build: (constrained) => {
        const x = tf.input({ name: 'x', shape: [3] });
        let y = tf.layers.dense({ name: 'dense', units: 3, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(x) as tf.SymbolicTensor;
        y = tf.layers
          .batchNormalization({
            name: 'bn',
            ...(constrained ? { gammaConstraint: tf.constraints.maxNorm({ maxValue: 1, axis: 0 }), betaConstraint: tf.constraints.nonNeg() } : {}),
          })
          .apply(y) as tf.SymbolicTensor;
        return tf.model({ inputs: x, outputs: y });
      },
      inputShape: [BATCH, 3],
      outputShape: [BATCH, 3],
      projections: { 'bn/gamma': maxNorm(1, [0]), 'bn/beta': nonNeg },
      nonIdempotent: [],
    },
  ],
];

// ---------------------------------------------------------------------------
// Helpers.

type Snapshot = Float64Array[];

function data(fixture: Fixture): { x: tf.Tensor; y: tf.Tensor } {
  const x = randomArray(fixture.inputShape, lcg(7));
  // Far below what the model outputs: biases and betas are pushed negative, kernels grow.
  return { x: tf.tensor(Float32Array.from(x.data), x.shape.slice()), y: tf.fill(fixture.outputShape.slice(), -2) };
}

function compileSgd(model: tf.LayersModel): void {
  model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: 'meanSquaredError' });
}

/** Values, not the variables getWeights returns (an optimizer step replaces their contents). */
function snapshot(model: tf.LayersModel): Snapshot {
  return model.getWeights().map((w) => Float64Array.from(w.dataSync()));
}

function unscopedNames(model: tf.LayersModel): string[] {
  return model.weights.map((w) => w.originalName);
}

/** One plain SGD step of the model without constraints, started from `weights`: the update before projection. */
async function unconstrainedStep(fixture: Fixture, weights: Snapshot): Promise<Snapshot> {
  const model = fixture.build(false);
  model.setWeights(weights.map((w, n) => tf.tensor(Float32Array.from(w), model.weights[n]!.shape as number[])));
  compileSgd(model);
  const { x, y } = data(fixture);
  await model.trainOnBatch(x, y);
  return snapshot(model);
}

/** Keras' step: the unconstrained update, then each constrained weight's projection, once. */
async function expectedStep(fixture: Fixture, names: readonly string[], shapes: readonly (readonly number[])[], weights: Snapshot): Promise<Snapshot> {
  const updated = await unconstrainedStep(fixture, weights);
  return updated.map((w, n) => fixture.projections[names[n]!]?.(w, shapes[n]!) ?? w);
}

function maxRelativeError(got: Float64Array, want: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

function expectClose(got: Snapshot, want: Snapshot, names: readonly string[]): void {
  expect(got.length).toBe(want.length);
  for (let n = 0; n < want.length; n++) expect(maxRelativeError(got[n]!, want[n]!), names[n]).toBeLessThan(2e-6);
}

/** Checks steps s_{k-1} -> s_k recorded during training against Keras' step computed from s_{k-1}. */
async function expectKerasSteps(fixture: Fixture, model: tf.LayersModel, steps: readonly Snapshot[]): Promise<void> {
  const names = unscopedNames(model);
  const shapes = model.weights.map((w) => w.shape as number[]);
  for (let k = 1; k < steps.length; k++) expectClose(steps[k]!, await expectedStep(fixture, names, shapes, steps[k - 1]!), names);
}

/** Idempotent constraints hold exactly after every step: nonNeg >= 0, maxNorm norms <= max. */
function expectSatisfied(fixture: Fixture, model: tf.LayersModel, weights: Snapshot): void {
  const names = unscopedNames(model);
  weights.forEach((w, n) => {
    const project = fixture.projections[names[n]!];
    if (!project || fixture.nonIdempotent.includes(names[n]!)) return;
    expect(maxRelativeError(project(w, model.weights[n]!.shape as number[]), w), names[n]).toBeLessThan(2e-6);
  });
}

// ---------------------------------------------------------------------------

describe.each(FIXTURES)('withConstraints: %s', (_, fixture) => {
  test('baseline: tfjs alone never applies the constraints in fit', async () => {
    const model = fixture.build(true);
    const names = unscopedNames(model);
    expect(Object.keys(fixture.projections).every((name) => names.includes(name))).toBe(true);
    expect(model.weights.filter((w) => w.constraint != null).map((w) => w.originalName).sort()).toEqual(Object.keys(fixture.projections).sort());
    const before = snapshot(model);
    compileSgd(model);
    const { x, y } = data(fixture);
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
    const after = snapshot(model);
    // The weights are exactly the unconstrained SGD update, and violate their constraints.
    expect(after).toEqual(await unconstrainedStep(fixture, before));
    const shapes = model.weights.map((w) => w.shape as number[]);
    const violations = names.map((name, n) => (fixture.projections[name] ? maxRelativeError(fixture.projections[name](after[n]!, shapes[n]!), after[n]!) : 0));
    for (const name of Object.keys(fixture.projections)) expect(violations[names.indexOf(name)], name).toBeGreaterThan(1e-3);
  });

  test('fit projects every constrained weight after each step, exactly once', async () => {
    const model = withConstraints(fixture.build(true));
    compileSgd(model);
    const { x, y } = data(fixture);
    const steps: Snapshot[] = [snapshot(model)];
    await model.fit(x, y, {
      epochs: 3,
      batchSize: BATCH,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onBatchEnd: async () => {
          steps.push(snapshot(model));
          expectSatisfied(fixture, model, steps[steps.length - 1]!);
        },
      },
    });
    expect(steps.length).toBe(4);
    await expectKerasSteps(fixture, model, steps);
  });

  test('trainOnBatch projects too', async () => {
    const model = withConstraints(fixture.build(true));
    compileSgd(model);
    const { x, y } = data(fixture);
    const steps: Snapshot[] = [snapshot(model)];
    for (let k = 0; k < 3; k++) {
      await model.trainOnBatch(x, y);
      steps.push(snapshot(model));
      expectSatisfied(fixture, model, steps[k + 1]!);
    }
    await expectKerasSteps(fixture, model, steps);
  });

  test('fitDataset projects too', async () => {
    const model = withConstraints(fixture.build(true));
    compileSgd(model);
    const { x, y } = data(fixture);
    const dataset = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(BATCH);
    const steps: Snapshot[] = [snapshot(model)];
    await model.fitDataset(dataset, { epochs: 2, verbose: 0, callbacks: { onBatchEnd: async () => void steps.push(snapshot(model)) } });
    expect(steps.length).toBe(3);
    await expectKerasSteps(fixture, model, steps);
  });
});

describe('withConstraints: wrapping', () => {
  const [, fixture] = FIXTURES[0]!;

  test('returns the same model; wrapping twice and recompiling still project exactly once per step', async () => {
    const built = fixture.build(true);
    const model = withConstraints(built);
    expect(model).toBe(built);
    expect(withConstraints(model)).toBe(model);
    compileSgd(model);
    compileSgd(model); // a fresh optimizer
    const { x, y } = data(fixture);
    const steps = [snapshot(model)];
    await model.trainOnBatch(x, y);
    steps.push(snapshot(model));
    await expectKerasSteps(fixture, model, steps);

    // The check is sharp: projecting twice moves the minMaxNorm kernel measurably.
    const names = unscopedNames(model);
    const n = names.indexOf('up/kernel');
    const shape = model.weights[n]!.shape as number[];
    const project = fixture.projections['up/kernel']!;
    expect(maxRelativeError(project(steps[1]![n]!, shape), steps[1]![n]!)).toBeGreaterThan(1e-3);
  });

  test('a model compiled before wrapping, and an optimizer assigned later, both project', async () => {
    const model = fixture.build(true);
    compileSgd(model);
    withConstraints(model);
    const { x, y } = data(fixture);
    const steps = [snapshot(model)];
    await model.trainOnBatch(x, y);
    steps.push(snapshot(model));
    model.optimizer = tf.train.sgd(LEARNING_RATE);
    await model.trainOnBatch(x, y);
    steps.push(snapshot(model));
    await expectKerasSteps(fixture, model, steps);
  });

  test('a model nested in another, both wrapped and sharing one optimizer, is projected once per step', async () => {
    const inner = withConstraints(fixture.build(true));
    const input = tf.input({ shape: fixture.inputShape.slice(1) });
    const outer = withConstraints(tf.model({ inputs: input, outputs: inner.apply(input) as tf.SymbolicTensor }));
    const optimizer = tf.train.sgd(LEARNING_RATE);
    inner.compile({ optimizer, loss: 'meanSquaredError' });
    outer.compile({ optimizer, loss: 'meanSquaredError' });
    const { x, y } = data(fixture);
    const steps = [snapshot(inner)];
    await outer.trainOnBatch(x, y);
    steps.push(snapshot(inner));
    await inner.trainOnBatch(x, y);
    steps.push(snapshot(inner));
    await expectKerasSteps(fixture, inner, steps);
  });

  test('predict is unchanged and changes no weight', () => {
    const plain = fixture.build(true);
    const wrapped = withConstraints(fixture.build(true));
    compileSgd(wrapped);
    const { x } = data(fixture);
    const before = snapshot(wrapped);
    const want = plain.predict(x) as tf.Tensor;
    const got = wrapped.predict(x) as tf.Tensor;
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    expect(snapshot(wrapped)).toEqual(before);
  });

  test('a Sequential model projects too', async () => {
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [3], units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }), kernelConstraint: tf.constraints.nonNeg(), biasConstraint: tf.constraints.nonNeg() }),
        ],
      });
    const x = tf.tensor(Float32Array.from(randomArray([BATCH, 3], lcg(5)).data), [BATCH, 3]);
    const y = tf.fill([BATCH, 2], -2);
    const [plain, wrapped] = [build(), withConstraints(build())];
    for (const model of [plain, wrapped]) {
      compileSgd(model);
      await model.fit(x, y, { epochs: 2, batchSize: BATCH, shuffle: false, verbose: 0 });
    }
    const min = (model: tf.LayersModel) => Math.min(...model.getWeights().flatMap((w) => Array.from(w.dataSync())));
    expect(min(plain)).toBeLessThan(0);
    expect(min(wrapped)).toBeGreaterThanOrEqual(0);
  });
});
