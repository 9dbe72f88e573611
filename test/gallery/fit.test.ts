import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/index.js';
import { buildGalleryModel, concrete, gallerySources, sizesOf } from '../helpers/gallery.js';

/**
 * Gallery models train: one `fit` step from the generated module, on batch 2
 * (batch 1 makes a batch normalization after a dense layer output its beta,
 * so nothing would move) at the smallest test size, moves the weights and
 * keeps them finite. The fixed-size models over 3.5e9 multiply-adds per
 * sample train on batch 1, as pix2pix and CycleGAN were trained: the 256x256
 * pix2pix generator needs all of wasm's 4 GB on batch 2, and the CycleGAN
 * generator about 1.7 GB on batch 1. This runs on wasm, whose missing kernel gradient the
 * generated module's import of netspec/runtime supplies
 * (test/runtime/wasm-gradients.test.ts checks it against cpu and a plain loop);
 * the cpu backend's convolution gradients take minutes for the larger models.
 */
const result = compile(gallerySources());

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** Model inputs: normal noise for float inputs, class 0 for int32 ones (labels). */
function inputsOf(m: (typeof result.models)[number], batch: number): tf.Tensor[] {
  const sizes = sizesOf(m)[0]!;
  return m.inputs.map((i, k) => {
    const shape = concrete(i.shape, batch, sizes);
    return m.model.inputs.find((declared) => declared.id === i.name)?.dtype === 'int32' ? tf.zeros(shape, 'int32') : tf.randomNormal(shape, 0, 1, 'float32', k + 1);
  });
}

const finite = (t: tf.Tensor) => tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0] === 1);

// Composed models train through their parts (test/gallery/gan.test.ts).
const trainable = result.models.filter((m) => !m.layers.some((l) => l.layer.type === 'model'));
const batchOf = (m: (typeof result.models)[number]) => ((m.macs ?? 0) > 3.5e9 ? 1 : 2);

describe.each(trainable.map((m) => [`${m.file} ${m.model.name}`, m] as const))('%s', (_, m) => {
  test('predict, then one fit step: the loss is finite, the weights move and stay finite; disposing frees everything', async () => {
    const baseline = tf.memory();
    const model = await buildGalleryModel(result, m);
    const batch = batchOf(m);
    const xs = inputsOf(m, batch);
    const predicted = model.predict(xs.length === 1 ? xs[0]! : xs);
    const ys = (Array.isArray(predicted) ? predicted : [predicted]).map((y) => tf.zerosLike(y));
    expect(ys.map((y) => y.shape)).toEqual(m.outputs.map((o) => concrete(o.shape, batch, sizesOf(m)[0]!)));
    // SGD: Adam's update of the 54 million pix2pix weights alone holds 2.5 GB of temporaries at once on wasm (one tidy for all variables).
    model.compile({ optimizer: tf.train.sgd(1e-2), loss: 'meanSquaredError' });
    const before = model.trainableWeights.map((w) => w.read().clone());
    const history = await model.fit(xs.length === 1 ? xs[0]! : xs, ys.length === 1 ? ys[0]! : ys, { epochs: 1, batchSize: batch, verbose: 0 });
    expect(Number.isFinite(history.history['loss']![0] as number)).toBe(true);
    const moved = model.trainableWeights.filter((w, i) => tf.tidy(() => tf.any(tf.notEqual(w.read(), before[i]!)).dataSync()[0] === 1));
    expect(moved.length).toBeGreaterThan(0);
    expect(model.weights.filter((w) => !finite(w.read())).map((w) => w.name)).toEqual([]);
    tf.dispose([...xs, ...ys, ...before, ...(Array.isArray(predicted) ? predicted : [predicted])]);
    // A model does not own, so does not dispose, an optimizer it was given.
    model.optimizer.dispose();
    model.dispose();
    // Runtime layers cache filters per weight on wasm; a disposed model must give that memory back.
    expect({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes }).toEqual({ tensors: baseline.numTensors, bytes: baseline.numBytes });
  }, 600_000);
});
