import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import * as runtime from '../../src/runtime/index.js';
import { perturbWeights, relativeDifference, runOnnx } from './helpers.js';

/** Pooling, resampling and the other shape layers, native and runtime, exported and run on onnxruntime against tfjs predict. */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Make = () => tf.layers.Layer;
const cases: [string, number[], Make][] = [
  ['native maxPooling2d same', [7, 7, 3], () => tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' })],
  ['native averagePooling2d same (counts only the input)', [7, 7, 3], () => tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })],
  ['native averagePooling1d valid', [9, 3], () => tf.layers.averagePooling1d({ poolSize: 2 })],
  ['runtime maxPooling2d explicit pads', [6, 6, 3], () => runtime.maxPooling2d({ poolSize: 3, strides: 2, padding: [[1, 1], [1, 0]] })],
  ['runtime averagePooling3d explicit pads (count the zeros)', [4, 4, 4, 2], () => runtime.averagePooling3d({ poolSize: 2, padding: [[1, 0], [0, 1], [1, 1]] })],
  ['native globalAveragePooling2d', [5, 4, 3], () => tf.layers.globalAveragePooling2d({})],
  ['runtime globalMaxPooling3d keepdims', [3, 4, 5, 2], () => runtime.globalMaxPooling3d({ keepdims: true })],
  ['native upSampling2d nearest', [3, 4, 2], () => tf.layers.upSampling2d({ size: [2, 3] })],
  ['runtime upSampling2d bilinear', [3, 4, 2], () => runtime.upSampling2d({ size: 2, interpolation: 'bilinear' })],
  ['runtime upSampling1d', [5, 2], () => runtime.upSampling1d({ size: 3 })],
  ['native cropping2D', [6, 7, 2], () => tf.layers.cropping2D({ cropping: [[1, 2], [0, 3]] })],
  ['runtime cropping3d', [5, 5, 5, 2], () => runtime.cropping3d({ cropping: [[1, 0], [0, 2], [1, 1]] })],
  ['runtime zeroPadding1d', [5, 2], () => runtime.zeroPadding1d({ padding: [2, 1] })],
  ['runtime reflectionPadding3d', [3, 4, 4, 2], () => runtime.reflectionPadding3d({ padding: 1 })],
  ['native permute', [3, 4, 2], () => tf.layers.permute({ dims: [3, 1, 2] })],
  ['runtime depthToSpace', [3, 3, 8], () => runtime.depthToSpace({ blockSize: 2 })],
  ['runtime spaceToDepth', [4, 6, 2], () => runtime.spaceToDepth({ blockSize: 2 })],
  ['runtime pixelShuffle', [3, 3, 8], () => runtime.pixelShuffle({ upscaleFactor: 2 })],
  ['runtime groupNormalization', [4, 4, 8], () => runtime.groupNormalization({ groups: 4 })],
  ['native layerNormalization', [4, 6], () => tf.layers.layerNormalization({})],
  ['runtime conv2d reflect, spectral norm', [6, 6, 3], () => runtime.conv2d({ filters: 4, kernelSize: 3, padding: 'same', paddingMode: 'reflect', spectralNormalization: true })],
  ['native conv2d same, dilated (explicit pads: onnxruntime has no dilated SAME_UPPER)', [7, 6, 3], () => tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', dilationRate: 2 })],
  ['runtime conv1d causal, dilated', [9, 3], () => runtime.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 })],
  ['runtime dense, weight norm', [5], () => runtime.dense({ units: 3, weightNormalization: true, activation: 'gelu' })],
  ['runtime elu alpha 0.5', [4, 3], () => runtime.elu({ alpha: 0.5 })],
  ...(['relu6', 'selu', 'hardSigmoid', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'gelu_new', 'softmax'] as const).map(
    (activation): [string, number[], Make] => [`activation ${activation}`, [4, 3], () => tf.layers.activation({ activation })],
  ),
  ['runtime softmax axis 1', [4, 3, 2], () => runtime.softmax({ axis: 1 })],
];

test.each(cases)('%s', async (_, shape, make) => {
  const x = tf.input({ shape, name: 'x' });
  const model = tf.model({ inputs: x, outputs: make().apply(x) as tf.SymbolicTensor });
  perturbWeights(model);
  const input = tf.randomNormal([2, ...shape], 0, 1, 'float32', 11);
  const expected = model.predict(input) as tf.Tensor;
  const { outputs } = await runOnnx(model, [input]);
  expect(outputs[0]!.dims).toEqual(expected.shape);
  expect(relativeDifference(outputs[0]!.data as Float32Array, expected.dataSync() as Float32Array)).toBeLessThan(1e-4);
  model.dispose();
});

test.each([
  ['minibatchStdDev, batch 4 in groups of 2', 4, () => runtime.minibatchStdDev({ groupSize: 2 })],
  ['minibatchStdDev, batch 3 below the group size 4', 3, () => runtime.minibatchStdDev({})],
  ['selfAttention', 2, () => runtime.selfAttention({ reduction: 4 })],
  ['depthwiseConv2d, multiplier 2, same, dilated', 2, () => runtime.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', dilationRate: 2 })],
  ['separableConv2d, strided', 2, () => runtime.separableConv2d({ filters: 5, kernelSize: 3, strides: 2, depthMultiplier: 2, activation: 'relu' })],
  ['separableConv1d', 2, () => runtime.separableConv1d({ filters: 5, kernelSize: 3, padding: 'same' })],
] as const)('%s', async (name, batch, make) => {
  const shape = name.startsWith('separableConv1d') ? [6, 8] : [5, 6, 8];
  const x = tf.input({ shape, name: 'x' });
  const model = tf.model({ inputs: x, outputs: (make() as tf.layers.Layer).apply(x) as tf.SymbolicTensor });
  perturbWeights(model);
  const input = tf.randomNormal([batch, ...shape], 0, 1, 'float32', 13);
  const expected = model.predict(input) as tf.Tensor;
  const { outputs } = await runOnnx(model, [input]);
  expect(outputs[0]!.dims).toEqual(expected.shape);
  expect(relativeDifference(outputs[0]!.data as Float32Array, expected.dataSync() as Float32Array)).toBeLessThan(1e-4);
  model.dispose();
});
