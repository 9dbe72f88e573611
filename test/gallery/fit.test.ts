import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/index.js';
import { buildGalleryModel, concrete, gallerySources, sizesOf } from '../helpers/gallery.js';

/**
 * Gallery models train: one `fit` step from the generated module, on batch 2
 * (batch 1 makes a batch normalization after a dense layer output its beta,
 * so nothing would move) at the smallest test size, moves the weights and
 * keeps them finite. This runs on cpu, since tfjs' wasm backend has no
 * Conv2DBackpropFilter kernel, and the cpu backend's convolution gradients
 * are slow: a step of the 64x64 DCGAN generator (163 million multiply-adds
 * per sample) takes about 45 s here. So fixed-size models above 100 million
 * multiply-adds per sample are left out; symbolic models train at their
 * smallest test size, and the layers of the big ones train in test/runtime/
 * and test/gallery/training.test.ts.
 */
const result = compile(gallerySources());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Model inputs: normal noise for float inputs, class 0 for int32 ones (labels). */
function inputsOf(m: (typeof result.models)[number]): tf.Tensor[] {
  const sizes = sizesOf(m)[0]!;
  return m.inputs.map((i, k) => {
    const shape = concrete(i.shape, 2, sizes);
    return m.model.inputs.find((declared) => declared.id === i.name)?.dtype === 'int32' ? tf.zeros(shape, 'int32') : tf.randomNormal(shape, 0, 1, 'float32', k + 1);
  });
}

const finite = (t: tf.Tensor) => tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0] === 1);

// Composed models train through their parts (test/gallery/gan.test.ts).
const trainable = result.models.filter((m) => !m.layers.some((l) => l.layer.type === 'model') && (m.macs === null || m.macs <= 1e8));

describe.each(trainable.map((m) => [`${m.file} ${m.model.name}`, m] as const))('%s', (_, m) => {
  test('predict, then one fit step: the loss is finite, the weights move and stay finite', async () => {
    const model = await buildGalleryModel(result, m);
    const xs = inputsOf(m);
    const predicted = model.predict(xs.length === 1 ? xs[0]! : xs);
    const ys = (Array.isArray(predicted) ? predicted : [predicted]).map((y) => tf.zerosLike(y));
    expect(ys.map((y) => y.shape)).toEqual(m.outputs.map((o) => concrete(o.shape, 2, sizesOf(m)[0]!)));
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
    const before = model.trainableWeights.map((w) => w.read().clone());
    const history = await model.fit(xs.length === 1 ? xs[0]! : xs, ys.length === 1 ? ys[0]! : ys, { epochs: 1, batchSize: 2, verbose: 0 });
    expect(Number.isFinite(history.history['loss']![0] as number)).toBe(true);
    const moved = model.trainableWeights.filter((w, i) => tf.tidy(() => tf.any(tf.notEqual(w.read(), before[i]!)).dataSync()[0] === 1));
    expect(moved.length).toBeGreaterThan(0);
    expect(model.weights.filter((w) => !finite(w.read())).map((w) => w.name)).toEqual([]);
    tf.dispose([...xs, ...ys, ...before, ...(Array.isArray(predicted) ? predicted : [predicted])]);
    model.dispose();
  });
});
