import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { testCommittedModule } from '../helpers/committed-module.js';

/**
 * A generated model with conv3dTranspose layers trains on the cpu backend:
 * gradients reach every weight, the loss falls, fit honours the kernel
 * constraint, and save/load gives back the same model.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

testCommittedModule('test/fixtures/training/voxel.yaml', 'test/fixtures/training/voxelTiny.ts');

/** A ball of radius 3 in an 8^3 grid: something for the generator to learn. */
function ball(batch: number): tf.Tensor5D {
  const values: number[] = [];
  for (let b = 0; b < batch; b++)
    for (let x = 0; x < 8; x++) for (let y = 0; y < 8; y++) for (let z = 0; z < 8; z++) values.push((x - 3.5) ** 2 + (y - 3.5) ** 2 + (z - 3.5) ** 2 < 9 ? 1 : 0);
  return tf.tensor5d(values, [batch, 8, 8, 8, 1]);
}

/** Largest L2 norm of the kernel's columns along axis 0, the axis tfjs' maxNorm constrains by default. */
function maxColumnNorm(kernel: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.sqrt(tf.sum(tf.square(kernel), 0))).dataSync()[0]!);
}

test('a conv3dTranspose model trains on cpu: the loss falls and the constraint holds', async () => {
  const { buildGenerator } = await import('../fixtures/training/voxelTiny.js');
  const model = buildGenerator();
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
  const z = tf.randomNormal([8, 8], 0, 1, 'float32', 7);
  const target = ball(8);
  const before = model.getWeights().map((w) => w.clone());
  const history = await model.fit(z, target, { epochs: 25, batchSize: 8, verbose: 0, shuffle: false });
  const losses = history.history['loss'] as number[];
  expect(losses[losses.length - 1]!).toBeLessThan(0.6 * losses[0]!);
  // Every trainable weight moved: the runtime layers have gradients for kernel, bias and input.
  const after = model.getWeights();
  model.weights.forEach((w, i) => {
    if (!w.trainable) return;
    const change = tf.tidy(() => tf.max(tf.abs(tf.sub(after[i]!, before[i]!))).dataSync()[0]!);
    expect([w.name, change > 0]).toEqual([w.name, true]);
  });
  // fit honoured maxNorm(0.5) on up2's kernel: tfjs alone never applies it.
  expect(maxColumnNorm(model.getLayer('up2').getWeights()[0]!)).toBeLessThanOrEqual(0.5 + 1e-5);
  tf.dispose([z, target, ...before]);
});

test('save and load round-trip: same layers, weights and predictions', async () => {
  const { buildGenerator } = await import('../fixtures/training/voxelTiny.js');
  const model = buildGenerator();
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  expect(loaded.layers.map((l) => [l.name, l.getClassName()])).toEqual(model.layers.map((l) => [l.name, l.getClassName()]));
  const z = tf.randomNormal([2, 8], 0, 1, 'float32', 11);
  const [a, b] = [model.predict(z) as tf.Tensor, loaded.predict(z) as tf.Tensor];
  // tfjs applies a layer's constraint whenever its weights are written, loading included: maxNorm
  // rescales by norm / (norm + 1e-7), so the loaded model may differ in the 7th digit.
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
  expect(diff).toBeLessThan(1e-6);
  expect(b.shape).toEqual([2, 8, 8, 8, 1]);
  tf.dispose([z, a, b]);
});
