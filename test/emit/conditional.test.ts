/**
 * A conditional generator takes its class label as an int32 input:
 * label [1] int32 -> embedding -> flatten -> concatenate with z
 * (test/fixtures/emit/subpixel.yaml, model `generator`, which then upsamples
 * with pixelShuffle, prelu and depthToSpace). The generated module builds it,
 * `runGenerator` predicts from int32 labels, and a fit step trains it on cpu
 * and on wasm: the embedding rows of the labels seen move, the others do not.
 * (Its 1x1 projections are dense layers: tfjs' conv2d has no kernel gradient on wasm.)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { buildGenerator, generatorInputShapes, generatorOutputShapes, runGenerator } from '../fixtures/emit/subpixel.js';

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    test('the label is an int32 input of shape [null, 1]; the model predicts an image per (z, label)', async () => {
      await tf.setBackend(backend);
      const model = buildGenerator();
      expect(model.inputLayers.map((l, k) => [l.name, model.inputs[k]!.shape, model.inputs[k]!.dtype])).toEqual([
        ['z', [null, 8], 'float32'],
        ['label', [null, 1], 'int32'],
      ]);
      expect(generatorInputShapes).toEqual([[null, 8], [null, 1]]);
      const { image } = runGenerator(model, { z: tf.randomNormal([3, 8]) as tf.Tensor2D, label: tf.tensor2d([[0], [9], [4]], [3, 1], 'int32') });
      expect([image.shape, image.dtype]).toEqual([[3, ...generatorOutputShapes[0].slice(1)], 'float32']);
      // Another label gives another image from the same z: the label reaches the output.
      const z = tf.randomNormal([1, 8]) as tf.Tensor2D;
      const [a, b] = [2, 7].map((k) => runGenerator(model, { z, label: tf.tensor2d([[k]], [1, 1], 'int32') }).image);
      expect(tf.max(tf.abs(tf.sub(a!, b!))).dataSync()[0]).toBeGreaterThan(0);
      tf.dispose([image, z, a!, b!]);
      model.dispose();
    });

    test('a fit step moves the embedding rows of the labels in the batch, and no other', async () => {
      await tf.setBackend(backend);
      const model = buildGenerator();
      model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
      const table = model.getLayer('labelVector');
      const before = table.getWeights()[0]!.arraySync() as number[][];
      const trained = ['project', 'perChannel', 'toDepth', 'perPixel', 'image'];
      const weightsBefore = trained.map((id) => Array.from(model.getLayer(id).getWeights()[0]!.dataSync()));
      const z = tf.randomNormal([4, 8]);
      const labels = tf.tensor2d([[1], [1], [6], [3]], [4, 1], 'int32');
      const target = tf.ones([4, 8, 8, 3]);
      const history = await model.fit([z, labels], target, { epochs: 1, batchSize: 4, verbose: 0 });
      expect(Number.isFinite(history.history['loss']![0] as number)).toBe(true);
      const after = table.getWeights()[0]!.arraySync() as number[][];
      const moved = before.map((row, k) => row.some((v, j) => v !== after[k]![j]));
      expect(moved.flatMap((m, k) => (m ? [k] : []))).toEqual([1, 3, 6]);
      // Every layer after the embedding trains too, both prelu alphas included.
      const changed = trained.map((id, k) => [id, Array.from(model.getLayer(id).getWeights()[0]!.dataSync()).some((v, j) => v !== weightsBefore[k]![j])]);
      expect(changed).toEqual(trained.map((id) => [id, true]));
      expect(model.getLayer('perChannel').getWeights()[0]!.shape).toEqual([1, 1, 3]);
      tf.dispose([z, labels, target]);
      model.dispose();
    });
  });
}
