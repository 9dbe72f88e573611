import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/index.js';
import { buildGalleryModel, concrete, gallerySources, sizesOf } from '../helpers/gallery.js';
import { perturbWeights, relativeDifference, runOnnx } from './helpers.js';

/**
 * Every gallery model, exported with random non-zero weights, computes on
 * onnxruntime what tfjs `predict` computes, within 1e-4 of the output's scale,
 * at each of its test sizes (two for symbolic models, so dynamic dims are run
 * at two values) and at batch 1 and 2.
 */
const result = compile(gallerySources());

beforeAll(async () => {
  // wasm: the cpu backend takes minutes for the 256x256 generators (test/gallery/generated.test.ts checks wasm against cpu).
  await tf.setBackend('wasm');
});

describe.each(result.models.map((m) => [`${m.file} ${m.model.name}`, m] as const))('%s', (_, m) => {
  test('onnxruntime matches tfjs predict; inputs and outputs carry the spec ids', async () => {
    const model = await buildGalleryModel(result, m);
    perturbWeights(model);
    const big = (m.macs ?? 0) > 1e9;
    const runs = sizesOf(m).flatMap((sizes, k) => (big ? [{ sizes, batch: 1 }] : [{ sizes, batch: 1 + k }]));
    expect(model.inputNames).toEqual(m.inputs.map((i) => i.name));
    for (const { sizes, batch } of runs) {
      const xs = m.inputs.map((i, k) => {
        const shape = concrete(i.shape, batch, sizes);
        return model.inputs[k]!.dtype === 'int32' ? tf.ones(shape, 'int32') : tf.randomNormal(shape, 0, 1, 'float32', k + 7);
      });
      const predicted = model.predict(xs.length === 1 ? xs[0]! : xs);
      const expected = Array.isArray(predicted) ? predicted : [predicted];
      const { names, outputs, session } = await runOnnx(model, xs);
      expect(names).toEqual(model.outputNames);
      expected.forEach((y, k) => {
        expect(outputs[k]!.dims).toEqual(y.shape);
        expect(relativeDifference(outputs[k]!.data as Float32Array, y.dataSync() as Float32Array)).toBeLessThan(1e-4);
      });
      await session.release();
      tf.dispose([...xs, ...expected]);
    }
    model.dispose();
  }, 240_000);
});
