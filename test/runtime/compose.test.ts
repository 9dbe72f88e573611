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

test('a model compiled before setTrainable(model, false) still trains what it was compiled with; one compiled after trains none of it (Keras 2 compile)', async () => {
  const { outer, inner } = nested();
  inner.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  setTrainable(inner, false);
  outer.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  expect(outer.trainableWeights.map((w) => w.originalName).sort()).toEqual(['head/bias', 'head/kernel']);
  const x = tf.tensor2d([1, 2, 3, -1, 0, 2], [2, 3]);
  const changed = async (model: tf.LayersModel, y: tf.Tensor) => {
    const before = outer.weights.map((w) => Array.from(w.read().dataSync()));
    await model.trainOnBatch(x, y);
    return outer.weights.filter((w, i) => Array.from(w.read().dataSync()).some((v, k) => v !== before[i]![k])).map((w) => w.originalName).sort();
  };
  // tfjs alone would throw here: its optimizer skips variables whose flag setTrainable turned off.
  expect(await changed(inner, tf.ones([2, 2]))).toEqual(['a/bias', 'a/kernel']);
  expect(await changed(outer, tf.ones([2, 1]))).toEqual(['head/bias', 'head/kernel']);
  // Unfrozen, a recompiled outer trains the inner layers again; `b`, frozen on its own, stays frozen.
  setTrainable(inner, true);
  outer.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  expect(await changed(outer, tf.ones([2, 1]))).toEqual(['a/bias', 'a/kernel', 'head/bias', 'head/kernel']);
});
