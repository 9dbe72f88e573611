import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { conv1dTranspose, conv2dTranspose, conv3dTranspose } from '../../src/runtime/index.js';
import { OnnxExportError, toOnnx } from '../../src/onnx/index.js';
import { perturbWeights, relativeDifference, runOnnx } from './helpers.js';

/** Transposed convolutions in every padding form, with outputPadding and dilation, exported and run on onnxruntime against tfjs. */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Padding = 'valid' | 'same' | [number, number][];
const cases: { rank: 1 | 2 | 3; k: number; s: number; d: number; padding: Padding; outputPadding?: number; size: number }[] = [];
for (const rank of [1, 2, 3] as const)
  for (const [k, s] of [
    [3, 2],
    [4, 2],
    [2, 3],
    [5, 1],
  ] as const)
    for (const padding of ['valid', 'same', Array.from({ length: rank }, (): [number, number] => [1, 0])] as Padding[]) {
      cases.push({ rank, k, s, d: 1, padding, size: 4 });
      if (s > 1) cases.push({ rank, k, s, d: 1, padding, outputPadding: s - 1, size: 4 });
    }
for (const rank of [1, 2] as const) for (const padding of ['valid', 'same'] as Padding[]) cases.push({ rank, k: 3, s: 1, d: 2, padding, size: 5 });

const factories = { 1: conv1dTranspose, 2: conv2dTranspose, 3: conv3dTranspose };

describe.each(cases.map((c) => [`rank ${c.rank} k${c.k} s${c.s} d${c.d} ${JSON.stringify(c.padding)} op ${c.outputPadding ?? '-'}`, c] as const))('%s', (_, c) => {
  test('onnxruntime matches tfjs', async () => {
    const x = tf.input({ shape: [...new Array<number>(c.rank).fill(c.size), 3], name: 'x' });
    const layer = factories[c.rank]({ name: 'up', filters: 2, kernelSize: c.k, strides: c.s, dilationRate: c.d, padding: c.padding, ...(c.outputPadding !== undefined ? { outputPadding: c.outputPadding } : {}) });
    const model = tf.model({ inputs: x, outputs: layer.apply(x) as tf.SymbolicTensor });
    perturbWeights(model);
    const input = tf.randomNormal([2, ...new Array<number>(c.rank).fill(c.size), 3], 0, 1, 'float32', 3);
    const expected = model.predict(input) as tf.Tensor;
    const { outputs } = await runOnnx(model, [input]);
    expect(outputs[0]!.dims).toEqual(expected.shape);
    expect(relativeDifference(outputs[0]!.data as Float32Array, expected.dataSync() as Float32Array)).toBeLessThan(1e-4);
  });
});

test.each(['valid', 'same'] as const)('the native tf.layers.conv2dTranspose, padding %s, kernel shorter than the stride too', async (padding) => {
  for (const [k, s] of [
    [4, 2],
    [2, 3],
  ]) {
    const x = tf.input({ shape: [5, 5, 3], name: 'x' });
    const model = tf.model({ inputs: x, outputs: tf.layers.conv2dTranspose({ filters: 2, kernelSize: k!, strides: s!, padding, activation: 'tanh' }).apply(x) as tf.SymbolicTensor });
    perturbWeights(model);
    const input = tf.randomNormal([1, 5, 5, 3], 0, 1, 'float32', 5);
    const expected = model.predict(input) as tf.Tensor;
    const { outputs } = await runOnnx(model, [input]);
    expect(outputs[0]!.dims).toEqual(expected.shape);
    expect(relativeDifference(outputs[0]!.data as Float32Array, expected.dataSync() as Float32Array)).toBeLessThan(1e-4);
  }
});

test('a layer class with no ONNX form is an OnnxExportError naming the layer', () => {
  const x = tf.input({ shape: [8, 3], name: 'x' });
  const model = tf.model({ inputs: x, outputs: tf.layers.gru({ units: 4, name: 'recurrent' }).apply(x) as tf.SymbolicTensor });
  expect(() => toOnnx(model)).toThrow(OnnxExportError);
  expect(() => toOnnx(model)).toThrow("cannot export layer 'recurrent' (GRU) to ONNX: netspec has no ONNX form for this layer class");
});

test('the export is deterministic and names its dynamic dims', () => {
  const x = tf.input({ shape: [null, null, 3], name: 'image' });
  const model = tf.model({ inputs: x, outputs: tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'out' }).apply(x) as tf.SymbolicTensor });
  const bytes = toOnnx(model);
  expect(Buffer.from(toOnnx(model)).equals(Buffer.from(bytes))).toBe(true);
});
