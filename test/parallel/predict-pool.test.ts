/**
 * netspec/parallel's createPredictPool: worker threads, each with its own
 * tfjs backend, give what model.predict gives in this thread with the same
 * weights (1e-5 relative), for batches that do not divide among the workers,
 * 1 and 2 workers, several inputs and outputs; failures in a worker reject
 * with the worker's number and what it was doing; dispose ends the threads.
 * The models are test/fixtures/parallel/models.js, which the workers import
 * as plain JavaScript (and which resolve netspec/runtime to dist/, so these
 * tests need `npm run build`, as `npm test` does first).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPredictPool, type PredictPool } from '../../src/parallel/index.js';
import { buildTiny, buildTwoInTwoOut } from '../fixtures/parallel/models.js';

const fixture = new URL('../fixtures/parallel/models.js', import.meta.url);
const root = new URL('../../', import.meta.url);

/** max |a - b| / max |b| over every element. */
function relativeDifference(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [a.dataSync(), b.dataSync()];
  let [diff, scale] = [0, 0];
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return diff / scale;
}

/** New random values for every weight (moving variances positive), so a worker computing with others would show. */
function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const values = model.weights.map((w, n) => {
    const shape = w.shape as number[];
    return w.name.includes('variance') ? tf.randomUniform(shape, 0.5, 1.5, 'float32', seed + n) : tf.randomNormal(shape, 0, 0.5, 'float32', seed + n);
  });
  model.setWeights(values);
  tf.dispose(values);
}

const asList = (y: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(y) ? y : [y]);

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('one input and output (dense, batch norm, netspec conv2dTranspose), wasm workers', () => {
  let model: tf.LayersModel;
  const pools: Record<number, PredictPool> = {};
  beforeAll(async () => {
    model = buildTiny();
    randomizeWeights(model, 1);
    for (const workers of [1, 2]) pools[workers] = await createPredictPool({ module: fixture, build: 'buildTiny', workers, weights: model.getWeights() });
  });
  afterAll(async () => {
    await Promise.all(Object.values(pools).map((p) => p.dispose()));
    model.dispose();
  });

  test.each([
    [1, 5],
    [2, 5],
    [2, 1],
    [2, 2],
  ])('%i worker(s), batch %i: equals model.predict in this thread', async (workers, batch) => {
    const z = tf.randomNormal([batch, 8], 0, 1, 'float32', 10 + batch);
    const want = model.predict(z) as tf.Tensor;
    const got = (await pools[workers]!.predict(z)) as tf.Tensor;
    expect(relativeDifference(got, want)).toBeLessThan(1e-5);
    tf.dispose([z, want, got]);
  });

  test('the pool reports the model its workers built', () => {
    const { model: info, size } = pools[2]!;
    expect(size).toBe(2);
    expect(info.name).toBe('tiny');
    expect(info.inputs.map((i) => [i.name, i.shape])).toEqual([['z', [null, 8]]]);
    expect(info.outputs.map((o) => o.shape)).toEqual([[null, 8, 8, 3]]);
    expect(info.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.originalName));
  });

  test('plain data with a shape gives what the tensor gives', async () => {
    const z = tf.randomNormal([3, 8], 0, 1, 'float32', 4);
    const fromTensor = (await pools[2]!.predict(z)) as tf.Tensor;
    const fromData = (await pools[2]!.predict({ data: z.dataSync() as Float32Array, shape: [3, 8] })) as tf.Tensor;
    expect(Array.from(fromData.dataSync())).toEqual(Array.from(fromTensor.dataSync()));
    tf.dispose([z, fromTensor, fromData]);
  });

  test('setWeights gives every worker the new weights', async () => {
    const z = tf.randomNormal([3, 8], 0, 1, 'float32', 5);
    const before = (await pools[2]!.predict(z)) as tf.Tensor;
    const other = buildTiny();
    randomizeWeights(other, 2);
    await pools[2]!.setWeights(other.getWeights());
    const want = other.predict(z) as tf.Tensor;
    const got = (await pools[2]!.predict(z)) as tf.Tensor;
    expect(relativeDifference(before, want)).toBeGreaterThan(1e-2);
    expect(relativeDifference(got, want)).toBeLessThan(1e-5);
    await pools[2]!.setWeights(model.getWeights());
    tf.dispose([z, before, want, got]);
    other.dispose();
  });

  test('a predict a worker cannot run rejects with the worker, its rows and the tfjs message; the pool keeps working', async () => {
    const wrong = tf.zeros([3, 7]);
    await expect(pools[2]!.predict(wrong)).rejects.toThrow(/^netspec\/parallel worker [12] of 2: predict of rows? [\d to]+ failed: .*expected z to have shape \[null,8\]/);
    const z = tf.randomNormal([3, 8]);
    const want = model.predict(z) as tf.Tensor;
    const got = (await pools[2]!.predict(z)) as tf.Tensor;
    expect(relativeDifference(got, want)).toBeLessThan(1e-5);
    tf.dispose([wrong, z, want, got]);
  });

  test('inputs that do not fit the model are refused before any worker sees them', async () => {
    const z = tf.zeros([2, 8]);
    await expect(pools[2]!.predict([z, z])).rejects.toThrow("model 'tiny' takes 1 input (z), received 2");
    await expect(pools[2]!.predict({ data: new Float32Array(5), shape: [2, 8] })).rejects.toThrow('shape [2, 8] holds 16 values, received 5');
    await expect(pools[2]!.predict(tf.zeros([2, 8], 'bool'))).rejects.toThrow('float32 and int32 tensors, received bool');
    z.dispose();
  });

  test('weights that do not fit the model reject with the weight and both shapes', async () => {
    const weights = model.getWeights();
    const wrong = [tf.zeros([8, 65]), ...weights.slice(1)];
    await expect(pools[2]!.setWeights(wrong)).rejects.toThrow(/setWeights failed: weight 0 \('dense\/kernel'\) of model 'tiny' has shape \[8, 64\], received \[8, 65\]/);
    await expect(pools[2]!.setWeights(weights.slice(1))).rejects.toThrow(/received 7 weights, but model 'tiny' has 8/);
    wrong[0]!.dispose();
  });
});

describe('two inputs (int32 labels) and two outputs', () => {
  test('cpu workers, batch 3 over 2: both outputs equal model.predict', async () => {
    const model = buildTwoInTwoOut();
    randomizeWeights(model, 3);
    const pool = await createPredictPool({ module: fixture, build: 'buildTwoInTwoOut', workers: 2, backend: 'cpu', weights: model.getWeights() });
    try {
      const z = tf.randomNormal([3, 6], 0, 1, 'float32', 6);
      const label = tf.tensor2d([[4], [0], [2]], [3, 1], 'int32');
      const want = asList(model.predict([z, label]));
      const got = asList(await pool.predict([z, label]));
      expect(got.map((t) => t.shape)).toEqual([
        [3, 1],
        [3, 3],
      ]);
      got.forEach((t, k) => expect(relativeDifference(t, want[k]!)).toBeLessThan(1e-5));
      tf.dispose([z, label, ...want, ...got]);
    } finally {
      await pool.dispose();
      model.dispose();
    }
  });
});

describe('without weights', () => {
  test('every worker computes with the first worker’s initial weights', async () => {
    const pool = await createPredictPool({ module: fixture, build: 'buildTiny', workers: 2 });
    try {
      // Rows 0 and 1 go to different workers; each worker's own random initialization would make them differ.
      const row = tf.randomNormal([1, 8], 0, 1, 'float32', 7);
      const z = tf.concat([row, row]);
      const y = (await pool.predict(z)) as tf.Tensor;
      const [a, b] = tf.split(y, 2);
      expect(a!.abs().sum().dataSync()[0]).toBeGreaterThan(0);
      expect(Array.from(a!.dataSync())).toEqual(Array.from(b!.dataSync()));
      tf.dispose([row, z, y, a!, b!]);
    } finally {
      await pool.dispose();
    }
  });
});

describe('failures', () => {
  test.each([
    ['buildThrows', /^netspec\/parallel worker [12] of 2: building the model with buildThrows\(\) of file:.*models\.js failed: boom while building$/],
    ['buildNotAModel', /failed: it returned number, not a tf\.LayersModel$/],
    ['buildMissing', /failed: the module exports no function 'buildMissing' \(its functions: .*buildTiny.*\)$/],
  ])('a pool whose %s() fails does not start, and says why', async (build, message) => {
    await expect(createPredictPool({ module: fixture, build, workers: 2, backend: 'cpu' })).rejects.toThrow(message);
  });

  test('a module that does not exist', async () => {
    await expect(createPredictPool({ module: new URL('./no-such-module.js', fixture), build: 'buildTiny', workers: 1, backend: 'cpu' })).rejects.toThrow(/building the model.*failed: .*no-such-module\.js/);
  });

  test('a worker that dies in the middle of a predict rejects it with its exit code, and every later call', async () => {
    const pool = await createPredictPool({ module: fixture, build: 'buildExits', workers: 2, backend: 'cpu' });
    try {
      const z = tf.zeros([2, 2]);
      await expect(pool.predict(z)).rejects.toThrow(/^netspec\/parallel worker [12] of 2 exited with code 7$/);
      await expect(pool.predict(z)).rejects.toThrow(/exited with code 7/);
      z.dispose();
    } finally {
      await pool.dispose();
    }
  });

  test('dispose rejects a predict under way and every later call', async () => {
    const pool = await createPredictPool({ module: fixture, build: 'buildTiny', workers: 1, backend: 'cpu' });
    const z = tf.zeros([2, 8]);
    // The expectation is attached at once: tfjs-backend-wasm's emscripten module turns an unhandled rejection into a crash.
    const pending = expect(pool.predict(z)).rejects.toThrow('the predict pool was disposed');
    await pool.dispose();
    await pending;
    await expect(pool.predict(z)).rejects.toThrow('the predict pool was disposed');
    await expect(pool.setWeights([])).rejects.toThrow('the predict pool was disposed');
    z.dispose();
  });

  test('a process that disposes its pool exits by itself (no thread left running)', async () => {
    // Plain node, through the package's exports (dist/), as a user runs it: if dispose left a
    // worker alive, the process would not end and execFile would time out.
    const script = `
      import * as tf from '@tensorflow/tfjs';
      import { createPredictPool } from 'netspec/parallel';
      tf.env().set('PROD', true);
      const pool = await createPredictPool({ module: ${JSON.stringify(fixture.href)}, build: 'buildTiny', workers: 2, backend: 'cpu' });
      const y = await pool.predict(tf.zeros([3, 8]));
      await pool.dispose();
      console.log(JSON.stringify(y.shape));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 90_000 });
    expect(stdout.trim()).toBe('[3,8,8,3]');
  });
});
