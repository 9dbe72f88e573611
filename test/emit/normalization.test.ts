/**
 * The normalization family end to end: a spec whose spatial sizes are
 * symbols compiles (layerNormalization without gamma and beta over them
 * included) with the counts the rules give, and the generated module of
 * test/fixtures/emit/normalization.yaml (`residual`: unknown spatial sizes)
 * predicts at several sizes and takes a fit step on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { showShape } from '../../src/diagnostics/describe.js';
import { compile } from '../../src/index.js';
import { buildResidual, runResidual } from '../fixtures/emit/normalization.js';

const symbolicSpec = `netspec: 1
name: symbolicNorms
symbols:
  H: { multipleOf: 2 }
  W: { multipleOf: 2 }
models:
  block:
    inputs:
      x: [H, W, 64]
    layers:
      - { type: conv2d, filters: 32, kernelSize: 3, strides: 2, padding: same }
      - { type: groupNormalization, id: groups, groups: 8 }
      - { type: conv2d, filters: 64, kernelSize: 1 }
      - { type: instanceNormalization, id: instance }
      - { type: instanceNormalization, id: plain, center: false, scale: false, epsilon: 1e-5 }
      - { type: pixelNormalization, id: pixels }
      - { type: layerNormalization, id: whole, axis: [1, 2, 3], center: false, scale: false }
`;

test('symbolic spatial sizes: every normalization compiles, with gamma and beta [channels] and nothing shaped like the symbols', () => {
  const result = compile([{ path: 'symbolic-norms.yaml', text: symbolicSpec }]);
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const m = result.models[0]!;
  const norms = m.layers.filter((l) => /Normalization$/.test(l.layer.type));
  expect(norms.map((l) => [l.layer.id, showShape(l.outputShape), l.weights.map((w) => `${w.name} [${w.shape.join(', ')}]`)])).toEqual([
    ['groups', '[null, H/2, W/2, 32]', ['gamma [32]', 'beta [32]']],
    ['instance', '[null, H/2, W/2, 64]', ['gamma [64]', 'beta [64]']],
    ['plain', '[null, H/2, W/2, 64]', []],
    ['pixels', '[null, H/2, W/2, 64]', []],
    ['whole', '[null, H/2, W/2, 64]', []],
  ]);
  // conv 3*3*64*32 + 32, group norm 64, conv 32*64 + 64, instance norm 128.
  expect(m.params).toEqual({ trainable: 3 * 3 * 64 * 32 + 32 + 64 + 32 * 64 + 64 + 128, nonTrainable: 0 });
  expect(result.modules).toHaveLength(1);
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    test('the generated residual block predicts at several spatial sizes: each channel normalized, then the whole sample', async () => {
      await tf.setBackend(backend);
      const model = buildResidual();
      for (const [h, w] of [
        [2, 3],
        [5, 4],
      ] as const) {
        const { perChannel } = runResidual(model, { x: tf.randomNormal([2, h, w, 8], 0, 1, 'float32', 7) as tf.Tensor4D });
        expect(perChannel.shape).toEqual([2, h, w, 8]);
        // The last layer is an instance normalization (groups: -1) with gamma ones and no beta: every channel has mean 0.
        const means = tf.mean(perChannel, [1, 2]);
        expect(Math.max(...Array.from(tf.abs(means).dataSync()))).toBeLessThan(1e-5);
        tf.dispose([perChannel, means]);
      }
      model.dispose();
    });

    test('a fit step moves the gammas and betas of the residual block', async () => {
      await tf.setBackend(backend);
      const model = buildResidual();
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const before = model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['affine/gamma', 'affine/beta', 'perChannel/gamma']);
      const x = tf.randomNormal([2, 3, 3, 8], 0, 1, 'float32', 1);
      const y = tf.randomNormal([2, 3, 3, 8], 0, 1, 'float32', 2);
      await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
      const after = model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(after.map((a, k) => a.some((v, j) => v !== before[k]![j]))).toEqual([true, true, true]);
      expect(after.flat().every(Number.isFinite)).toBe(true);
      tf.dispose([x, y]);
      model.dispose();
    });
  });
}
