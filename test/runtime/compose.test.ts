import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { setTrainable } from '../../src/runtime/index.js';

/** setTrainable freezes as Keras 3's `model.trainable = false` does; tfjs' own setter stops one level down. */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** outer = dense `head` over inner = dense `a` and dense `b` (frozen on its own). */
function nested(): { outer: tf.LayersModel; inner: tf.LayersModel } {
  const x = tf.input({ shape: [3] });
  const a = tf.layers.dense({ name: 'a', units: 2 }).apply(x) as tf.SymbolicTensor;
  const b = tf.layers.dense({ name: 'b', units: 2, trainable: false }).apply(a) as tf.SymbolicTensor;
  const inner = tf.model({ name: 'inner', inputs: x, outputs: b });
  const y = tf.input({ shape: [3] });
  const head = tf.layers.dense({ name: 'head', units: 1 }).apply(inner.apply(y) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return { outer: tf.model({ name: 'outer', inputs: y, outputs: head }), inner };
}

const flags = (model: tf.LayersModel) => model.weights.map((w) => `${w.originalName} ${w.trainable}`).sort();

test('tfjs alone: the setter leaves a model inside trainable', () => {
  const { outer, inner } = nested();
  outer.trainable = false;
  expect(inner.trainableWeights.map((w) => w.originalName)).toEqual(['a/kernel', 'a/bias']);
});

test('setTrainable(model, false) freezes every layer at every depth; true restores all but the layer frozen on its own', () => {
  const { outer, inner } = nested();
  setTrainable(outer, false);
  expect([outer.trainableWeights, inner.trainableWeights].map((ws) => ws.length)).toEqual([0, 0]);
  expect(flags(outer).every((f) => f.endsWith('false'))).toBe(true);
  expect(inner.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => [l.name, l.trainable])).toEqual([
    ['a', false],
    ['b', false],
  ]);
  setTrainable(outer, true);
  expect(outer.trainableWeights.map((w) => w.originalName).sort()).toEqual(['a/bias', 'a/kernel', 'head/bias', 'head/kernel']);
  expect(inner.getLayer('b').trainable).toBe(false);
});

test('a frozen model is saved frozen: each layer inside keeps its flag', async () => {
  const { outer } = nested();
  setTrainable(outer, false);
  const restored = await tf.models.modelFromJSON({ modelTopology: outer.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
  expect(restored.trainableWeights).toEqual([]);
});
