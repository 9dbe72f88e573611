import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { Project, QuoteKind } from 'ts-morph';
import { describe, expect, test } from 'vitest';
import { Cast, writeCode, type Code } from '../../src/emit/code.js';
import { factoryOf, layerConfig, typedConfig, unsupportedOption } from '../../src/emit/layer-call.js';
import { compile } from '../../src/index.js';
import { inferModel } from '../../src/infer/infer-shapes.js';
import type { Args, LayerIR, LayerShapes, ModelIR, Shape, Span } from '../../src/ir.js';
import * as runtime from '../../src/runtime/index.js';

function span(start = 0): Span {
  return { file: 't.yaml', start, end: start + 1 };
}

/** What inference says about one layer of type `type` reading inputs of the given shapes (batch included). */
function shapesOf(type: string, args: Args, inputs: readonly Shape[] = [[null, 4, 4, 2]], id = 'l'): LayerShapes {
  const ids = inputs.map((_, i) => `in${i}`);
  const layer: LayerIR = { id, explicitId: true, type, args, from: ids.map((ref) => ({ id: ref, span: span() })), span: span(), idSpan: span(), argSpans: {} };
  const model: ModelIR = {
    name: 'm',
    span: span(),
    nameSpan: span(),
    inputs: inputs.map((shape, i) => ({ id: ids[i]!, shape: shape.slice(1), batchSize: (shape[0] as number | null | undefined) ?? null, dtype: 'float32', span: span() })),
    layers: [layer],
    incomplete: false,
    outputs: [{ ref: { id, span: span() } }],
  };
  const result = inferModel('t.yaml', model);
  expect(result.diagnostics.map((d) => d.message)).toEqual([]);
  return result.value!.layers[0]!;
}

const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { quoteKind: QuoteKind.Single } });

function print(code: Code): string {
  const writer = project.createWriter();
  writeCode(writer, code);
  return writer.toString();
}

/** The printed config argument of the layer factory, as the generated module writes it. */
function config(type: string, args: Args, inputs?: readonly Shape[]): string {
  const shapes = shapesOf(type, args, inputs);
  return print(typedConfig(layerConfig(shapes, factoryOf(shapes))));
}

const seq: Shape = [null, 8, 2];
const image: Shape = [null, 4, 4, 2];
const volume: Shape = [null, 4, 4, 4, 2];
const flat: Shape = [null, 4];

type FactoryCase = [string, { given: { type: string; args?: Args; inputs?: Shape[] }; want: string }];

/** Every layer type of the schema with options where tfjs is exact: `tf.<name>` or `runtime.<name>`. */
const everyType: FactoryCase[] = [
  ['dense', { given: { type: 'dense', args: { units: 2 }, inputs: [flat] }, want: 'tf.dense' }],
  ['depthToSpace', { given: { type: 'depthToSpace', args: { blockSize: 2 }, inputs: [[null, 2, 2, 8]] }, want: 'runtime.depthToSpace' }],
  // tfjs' own embedding cannot train on wasm (no UnsortedSegmentSum kernel there).
  ['embedding', { given: { type: 'embedding', args: { inputDim: 10, outputDim: 4 }, inputs: [[null, 1]] }, want: 'runtime.embedding' }],
  ['pixelShuffle', { given: { type: 'pixelShuffle', args: { upscaleFactor: 2 }, inputs: [[null, 2, 2, 8]] }, want: 'runtime.pixelShuffle' }],
  ['minibatchStdDev', { given: { type: 'minibatchStdDev', args: { groupSize: 2 }, inputs: [[null, 4, 4, 8]] }, want: 'runtime.minibatchStdDev' }],
  ['selfAttention', { given: { type: 'selfAttention', args: {}, inputs: [[null, 4, 4, 8]] }, want: 'runtime.selfAttention' }],
  ['subtract', { given: { type: 'subtract', inputs: [image, image] }, want: 'runtime.subtract' }],
  ['repeatVector', { given: { type: 'repeatVector', args: { n: 3 }, inputs: [[null, 4]] }, want: 'tf.repeatVector' }],
  ['permute', { given: { type: 'permute', args: { dims: [3, 1, 2] }, inputs: [image] }, want: 'tf.permute' }],
  ['average', { given: { type: 'average', inputs: [image, [null, 4, 4, 1]] }, want: 'tf.average' }],
  ['maximum', { given: { type: 'maximum', inputs: [image, image] }, want: 'tf.maximum' }],
  ['minimum', { given: { type: 'minimum', inputs: [image, [null, 4, 4, 1]] }, want: 'runtime.minimum' }],
  ['prelu', { given: { type: 'prelu', inputs: [image] }, want: 'tf.prelu' }],
  ['reshape', { given: { type: 'reshape', args: { targetShape: [2, 2] }, inputs: [flat] }, want: 'tf.reshape' }],
  ['flatten', { given: { type: 'flatten', inputs: [image] }, want: 'tf.flatten' }],
  ['conv1d', { given: { type: 'conv1d', args: { filters: 1, kernelSize: 3 }, inputs: [seq] }, want: 'tf.conv1d' }],
  ['conv1dTranspose', { given: { type: 'conv1dTranspose', args: { filters: 1, kernelSize: 3, padding: 'same' }, inputs: [seq] }, want: 'runtime.conv1dTranspose' }],
  ['spaceToDepth', { given: { type: 'spaceToDepth', args: { blockSize: 2 }, inputs: [image] }, want: 'runtime.spaceToDepth' }],
  ['upSampling1d', { given: { type: 'upSampling1d', inputs: [seq] }, want: 'runtime.upSampling1d' }],
  ['zeroPadding1d', { given: { type: 'zeroPadding1d', inputs: [seq] }, want: 'runtime.zeroPadding1d' }],
  ['reflectionPadding1d', { given: { type: 'reflectionPadding1d', inputs: [seq] }, want: 'runtime.reflectionPadding1d' }],
  ['cropping1d', { given: { type: 'cropping1d', inputs: [seq] }, want: 'runtime.cropping1d' }],
  ['maxPooling1d', { given: { type: 'maxPooling1d', inputs: [seq] }, want: 'tf.maxPooling1d' }],
  ['averagePooling1d', { given: { type: 'averagePooling1d', inputs: [seq] }, want: 'tf.averagePooling1d' }],
  ['conv2d', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 3 }, inputs: [image] }, want: 'tf.conv2d' }],
  ['conv2dTranspose', { given: { type: 'conv2dTranspose', args: { filters: 1, kernelSize: 3 }, inputs: [image] }, want: 'tf.conv2dTranspose' }],
  // tfjs' depthwiseConv2d drops dilationRate; it and separableConv2d cannot train on wasm; tfjs has no separableConv1d.
  ['depthwiseConv2d', { given: { type: 'depthwiseConv2d', args: { kernelSize: 3 }, inputs: [image] }, want: 'runtime.depthwiseConv2d' }],
  ['separableConv1d', { given: { type: 'separableConv1d', args: { filters: 1, kernelSize: 3 }, inputs: [seq] }, want: 'runtime.separableConv1d' }],
  ['separableConv2d', { given: { type: 'separableConv2d', args: { filters: 1, kernelSize: 3 }, inputs: [image] }, want: 'runtime.separableConv2d' }],
  ['gaussianNoise', { given: { type: 'gaussianNoise', args: { stddev: 0.1 }, inputs: [image] }, want: 'tf.gaussianNoise' }],
  ['gaussianDropout', { given: { type: 'gaussianDropout', args: { rate: 0.1 }, inputs: [image] }, want: 'tf.gaussianDropout' }],
  ['spatialDropout1d', { given: { type: 'spatialDropout1d', args: { rate: 0.1 }, inputs: [seq] }, want: 'tf.spatialDropout1d' }],
  ['spatialDropout2d', { given: { type: 'spatialDropout2d', args: { rate: 0.1 }, inputs: [image] }, want: 'runtime.spatialDropout2d' }],
  ['spatialDropout3d', { given: { type: 'spatialDropout3d', args: { rate: 0.1 }, inputs: [volume] }, want: 'runtime.spatialDropout3d' }],
  ['upSampling2d', { given: { type: 'upSampling2d', inputs: [image] }, want: 'tf.upSampling2d' }],
  ['zeroPadding2d', { given: { type: 'zeroPadding2d', inputs: [image] }, want: 'tf.zeroPadding2d' }],
  ['reflectionPadding2d', { given: { type: 'reflectionPadding2d', inputs: [image] }, want: 'runtime.reflectionPadding2d' }],
  ['cropping2d', { given: { type: 'cropping2d', args: { cropping: 1 }, inputs: [image] }, want: 'tf.cropping2D' }],
  ['maxPooling2d', { given: { type: 'maxPooling2d', inputs: [image] }, want: 'tf.maxPooling2d' }],
  ['averagePooling2d', { given: { type: 'averagePooling2d', inputs: [image] }, want: 'tf.averagePooling2d' }],
  ['conv3d', { given: { type: 'conv3d', args: { filters: 1, kernelSize: 3 }, inputs: [volume] }, want: 'tf.conv3d' }],
  ['conv3dTranspose', { given: { type: 'conv3dTranspose', args: { filters: 1, kernelSize: 3, padding: 'same' }, inputs: [volume] }, want: 'runtime.conv3dTranspose' }],
  ['upSampling3d', { given: { type: 'upSampling3d', inputs: [volume] }, want: 'runtime.upSampling3d' }],
  ['zeroPadding3d', { given: { type: 'zeroPadding3d', inputs: [volume] }, want: 'runtime.zeroPadding3d' }],
  ['reflectionPadding3d', { given: { type: 'reflectionPadding3d', inputs: [volume] }, want: 'runtime.reflectionPadding3d' }],
  ['cropping3d', { given: { type: 'cropping3d', inputs: [volume] }, want: 'runtime.cropping3d' }],
  ['maxPooling3d', { given: { type: 'maxPooling3d', inputs: [volume] }, want: 'tf.maxPooling3d' }],
  ['averagePooling3d', { given: { type: 'averagePooling3d', inputs: [volume] }, want: 'tf.averagePooling3d' }],
  ['globalAveragePooling1d', { given: { type: 'globalAveragePooling1d', inputs: [seq] }, want: 'tf.globalAveragePooling1d' }],
  ['globalAveragePooling2d', { given: { type: 'globalAveragePooling2d', inputs: [image] }, want: 'tf.globalAveragePooling2d' }],
  ['globalAveragePooling3d', { given: { type: 'globalAveragePooling3d', inputs: [[null, 2, 2, 2, 3]] }, want: 'runtime.globalAveragePooling3d' }],
  ['globalMaxPooling1d', { given: { type: 'globalMaxPooling1d', inputs: [seq] }, want: 'tf.globalMaxPooling1d' }],
  ['globalMaxPooling2d', { given: { type: 'globalMaxPooling2d', inputs: [image] }, want: 'tf.globalMaxPooling2d' }],
  ['globalMaxPooling3d', { given: { type: 'globalMaxPooling3d', inputs: [[null, 2, 2, 2, 3]] }, want: 'runtime.globalMaxPooling3d' }],
  ['batchNormalization', { given: { type: 'batchNormalization', inputs: [image] }, want: 'tf.batchNormalization' }],
  ['layerNormalization', { given: { type: 'layerNormalization', inputs: [image] }, want: 'tf.layerNormalization' }],
  // tfjs has no group, instance or pixel normalization.
  ['groupNormalization', { given: { type: 'groupNormalization', args: { groups: 2 }, inputs: [image] }, want: 'runtime.groupNormalization' }],
  ['instanceNormalization', { given: { type: 'instanceNormalization', inputs: [image] }, want: 'runtime.instanceNormalization' }],
  ['pixelNormalization', { given: { type: 'pixelNormalization', inputs: [image] }, want: 'runtime.pixelNormalization' }],
  ['activation', { given: { type: 'activation', args: { activation: 'relu' }, inputs: [image] }, want: 'tf.activation' }],
  ['leakyReLU', { given: { type: 'leakyReLU', inputs: [image] }, want: 'tf.leakyReLU' }],
  ['reLU', { given: { type: 'reLU', inputs: [image] }, want: 'tf.reLU' }],
  ['elu', { given: { type: 'elu', inputs: [image] }, want: 'tf.elu' }],
  ['softmax', { given: { type: 'softmax', inputs: [image] }, want: 'tf.softmax' }],
  ['dropout', { given: { type: 'dropout', args: { rate: 0.5 }, inputs: [image] }, want: 'tf.dropout' }],
  ['concatenate', { given: { type: 'concatenate', inputs: [image, image] }, want: 'tf.concatenate' }],
  ['add', { given: { type: 'add', inputs: [image, image] }, want: 'tf.add' }],
  ['multiply', { given: { type: 'multiply', inputs: [image, image] }, want: 'tf.multiply' }],
];

const conv2dTransposeCases: FactoryCase[] = [
  ['padding unset', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2 } }, want: 'tf.conv2dTranspose' }],
  ['valid', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: 'valid' } }, want: 'tf.conv2dTranspose' }],
  ['same', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: [3, 2], strides: [2, 1], padding: 'same' } }, want: 'tf.conv2dTranspose' }],
  ['same, channelsFirst', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst' } }, want: 'tf.conv2dTranspose' }],
  ['same, unknown spatial dims', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, inputs: [[null, null, null, 2]] }, want: 'tf.conv2dTranspose' }],
  ['dilationRate 1', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, dilationRate: 1 } }, want: 'tf.conv2dTranspose' }],
  ['dilationRate [1, 1]', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, dilationRate: [1, 1] } }, want: 'tf.conv2dTranspose' }],
  ['weight regularizers and constraints', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, kernelRegularizer: 'l2', biasConstraint: 'nonNeg' } }, want: 'tf.conv2dTranspose' }],
  ['outputPadding 1', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, outputPadding: 1 } }, want: 'runtime.conv2dTranspose' }],
  // An explicit 0 changes the valid output length from (i-1)s + max(k, s) to (i-1)s + k.
  ['outputPadding 0', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 1, strides: 2, outputPadding: 0 } }, want: 'runtime.conv2dTranspose' }],
  ['outputPadding [1, 0]', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [1, 0] } }, want: 'runtime.conv2dTranspose' }],
  ['dilationRate 2', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, dilationRate: 2 } }, want: 'runtime.conv2dTranspose' }],
  ['dilationRate [1, 2]', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, dilationRate: [1, 2] } }, want: 'runtime.conv2dTranspose' }],
  ['outputShape', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputShape: [7, 8] } }, want: 'runtime.conv2dTranspose' }],
  ['explicit padding', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: [[1, 1], [0, 2]] } }, want: 'runtime.conv2dTranspose' }],
  ['explicit zero padding', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, padding: [[0, 0], [0, 0]] } }, want: 'runtime.conv2dTranspose' }],
  ['activityRegularizer by name', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, activityRegularizer: 'l2' } }, want: 'runtime.conv2dTranspose' }],
  ['activityRegularizer object', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, activityRegularizer: { l1: 0.1 } } }, want: 'runtime.conv2dTranspose' }],
  ['outputPadding, channelsFirst', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, outputPadding: 1, dataFormat: 'channelsFirst' } }, want: 'runtime.conv2dTranspose' }],
];

const resampleCases: FactoryCase[] = [
  ['cropping2d with known dims', { given: { type: 'cropping2d', args: { cropping: [[1, 0], [0, 1]] } }, want: 'tf.cropping2D' }],
  ['cropping2d with a known fixed batch', { given: { type: 'cropping2d', args: { cropping: 1 }, inputs: [[2, 4, 4, 2]] }, want: 'tf.cropping2D' }],
  ['cropping2d with unknown spatial dims', { given: { type: 'cropping2d', args: { cropping: 1 }, inputs: [[null, null, null, 2]] }, want: 'runtime.cropping2d' }],
  ['cropping2d with one unknown dim', { given: { type: 'cropping2d', args: { cropping: 1 }, inputs: [[null, 4, null, 2]] }, want: 'runtime.cropping2d' }],
  ['cropping2d channelsFirst with unknown dims', { given: { type: 'cropping2d', args: { cropping: 1, dataFormat: 'channelsFirst' }, inputs: [[null, 2, null, null]] }, want: 'runtime.cropping2d' }],
  ['cropping2d with unknown channels', { given: { type: 'cropping2d', args: { cropping: 1 }, inputs: [[null, 4, 4, null]] }, want: 'runtime.cropping2d' }],
  ['upSampling2d with unknown dims stays native', { given: { type: 'upSampling2d', inputs: [[null, null, null, 2]] }, want: 'tf.upSampling2d' }],
  ['zeroPadding2d with unknown dims stays native', { given: { type: 'zeroPadding2d', inputs: [[null, null, null, 2]] }, want: 'tf.zeroPadding2d' }],
  ['cropping1d with known dims is still the runtime', { given: { type: 'cropping1d', args: { cropping: 1 }, inputs: [seq] }, want: 'runtime.cropping1d' }],
];

/** Padding options tfjs' layers lack (explicit pairs, reflection, causal), conv1d channelsFirst, softmax and elu options. */
const paddingCases: FactoryCase[] = [
  ['conv2d with explicit pairs', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 3, padding: [[1, 1], [1, 1]] } }, want: 'runtime.conv2d' }],
  ['conv2d with zero explicit pairs', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 3, padding: [[0, 0], [0, 0]] } }, want: 'runtime.conv2d' }],
  ['conv2d same, reflect', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 3, padding: 'same', paddingMode: 'reflect' } }, want: 'runtime.conv2d' }],
  ['conv2d same, zeros', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 3, padding: 'same', paddingMode: 'zeros' } }, want: 'tf.conv2d' }],
  ['conv2d valid, reflect pads nothing', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 3, paddingMode: 'reflect' } }, want: 'tf.conv2d' }],
  ['conv1d causal', { given: { type: 'conv1d', args: { filters: 1, kernelSize: 3, padding: 'causal' }, inputs: [seq] }, want: 'runtime.conv1d' }],
  ['conv1d channelsFirst', { given: { type: 'conv1d', args: { filters: 1, kernelSize: 3, dataFormat: 'channelsFirst' }, inputs: [[null, 2, 8]] }, want: 'runtime.conv1d' }],
  ['conv1d explicit', { given: { type: 'conv1d', args: { filters: 1, kernelSize: 3, padding: [[2, 0]] }, inputs: [seq] }, want: 'runtime.conv1d' }],
  ['conv3d explicit, reflect', { given: { type: 'conv3d', args: { filters: 1, kernelSize: 3, padding: [[1, 1], [0, 0], [1, 0]], paddingMode: 'reflect' }, inputs: [volume] }, want: 'runtime.conv3d' }],
  ['conv3d channelsFirst stays native', { given: { type: 'conv3d', args: { filters: 1, kernelSize: 1, dataFormat: 'channelsFirst' }, inputs: [volume] }, want: 'tf.conv3d' }],
  ['maxPooling1d explicit', { given: { type: 'maxPooling1d', args: { padding: [[1, 0]] }, inputs: [seq] }, want: 'runtime.maxPooling1d' }],
  ['maxPooling2d explicit', { given: { type: 'maxPooling2d', args: { poolSize: 3, padding: [[1, 1], [1, 1]] } }, want: 'runtime.maxPooling2d' }],
  ['maxPooling2d same stays native', { given: { type: 'maxPooling2d', args: { padding: 'same' } }, want: 'tf.maxPooling2d' }],
  ['averagePooling3d explicit', { given: { type: 'averagePooling3d', args: { padding: [[1, 1], [1, 1], [0, 0]] }, inputs: [volume] }, want: 'runtime.averagePooling3d' }],
  ['softmax over axis 1', { given: { type: 'softmax', args: { axis: 1 } }, want: 'runtime.softmax' }],
  ['softmax over axis -2', { given: { type: 'softmax', args: { axis: -2 } }, want: 'runtime.softmax' }],
  ['softmax over the last axis by number', { given: { type: 'softmax', args: { axis: 3 } }, want: 'tf.softmax' }],
  ['elu with alpha 0.5', { given: { type: 'elu', args: { alpha: 0.5 } }, want: 'runtime.elu' }],
  ['elu with alpha 1', { given: { type: 'elu', args: { alpha: 1 } }, want: 'tf.elu' }],
  ['upSampling2d bilinear (half-pixel centers)', { given: { type: 'upSampling2d', args: { interpolation: 'bilinear' } }, want: 'runtime.upSampling2d' }],
  ['upSampling2d nearest stays native', { given: { type: 'upSampling2d', args: { interpolation: 'nearest' } }, want: 'tf.upSampling2d' }],
  ['gaussianNoise seeded (tfjs takes no seed)', { given: { type: 'gaussianNoise', args: { stddev: 0.1, seed: 1 } }, want: 'runtime.gaussianNoise' }],
  ['gaussianDropout seeded', { given: { type: 'gaussianDropout', args: { rate: 0.1, seed: 1 } }, want: 'runtime.gaussianDropout' }],
  ['spatialDropout1d seeded (tfjs repeats one mask)', { given: { type: 'spatialDropout1d', args: { rate: 0.1, seed: 1 }, inputs: [seq] }, want: 'runtime.spatialDropout1d' }],
];

/** tfjs' layerNormalization cannot train without gamma or beta (its batchNorm gradient reads them), nor run above rank 4. */
/** tfjs' dense and convolutions throw on their own activityRegularizer; the runtime's keep it in the saved config. */
const activityCases: FactoryCase[] = [
  ['dense without one stays native', { given: { type: 'dense', args: { units: 2, kernelConstraint: 'maxNorm' }, inputs: [flat] }, want: 'tf.dense' }],
  ['dense', { given: { type: 'dense', args: { units: 2, activityRegularizer: 'l2' }, inputs: [flat] }, want: 'runtime.dense' }],
  ['conv1d', { given: { type: 'conv1d', args: { filters: 1, kernelSize: 2, activityRegularizer: { l1: 0.1 } }, inputs: [seq] }, want: 'runtime.conv1d' }],
  ['conv2d', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 1, activityRegularizer: 'l1l2' }, inputs: [image] }, want: 'runtime.conv2d' }],
  ['conv3d', { given: { type: 'conv3d', args: { filters: 1, kernelSize: 1, activityRegularizer: 'l1' }, inputs: [volume] }, want: 'runtime.conv3d' }],
];

const layerNormalizationCases: FactoryCase[] = [
  ['layerNormalization with gamma and beta', { given: { type: 'layerNormalization', args: { axis: [1, 2, 3] }, inputs: [image] }, want: 'tf.layerNormalization' }],
  ['layerNormalization without beta', { given: { type: 'layerNormalization', args: { center: false }, inputs: [image] }, want: 'runtime.layerNormalization' }],
  ['layerNormalization without gamma', { given: { type: 'layerNormalization', args: { scale: false }, inputs: [image] }, want: 'runtime.layerNormalization' }],
  ['layerNormalization without either, on unknown axes', { given: { type: 'layerNormalization', args: { axis: [1, 2], center: false, scale: false }, inputs: [[null, null, null, 2]] }, want: 'runtime.layerNormalization' }],
];

/** tfjs' prelu op on wasm reads alpha cyclically: right only where alpha, leading 1s stripped, is the input's trailing dims. */
const preluCases: FactoryCase[] = [
  ['prelu: no sharing', { given: { type: 'prelu', inputs: [[null, 4, 5, 3]] }, want: 'tf.prelu' }],
  ['prelu: shared over rows and cols (SRGAN)', { given: { type: 'prelu', args: { sharedAxes: [1, 2] }, inputs: [[null, 4, 5, 3]] }, want: 'tf.prelu' }],
  ['prelu: shared over rows', { given: { type: 'prelu', args: { sharedAxes: 1 }, inputs: [[null, 4, 5, 3]] }, want: 'tf.prelu' }],
  ['prelu: shared over every axis', { given: { type: 'prelu', args: { sharedAxes: [1, 2, 3] }, inputs: [[null, 4, 5, 3]] }, want: 'tf.prelu' }],
  ['prelu: shared over unknown rows and cols', { given: { type: 'prelu', args: { sharedAxes: [1, 2] }, inputs: [[null, null, null, 3]] }, want: 'tf.prelu' }],
  ['prelu: a shared axis of size 1 after an unshared one', { given: { type: 'prelu', args: { sharedAxes: [2] }, inputs: [[null, 4, 1, 3]] }, want: 'tf.prelu' }],
  ['prelu: shared over channels', { given: { type: 'prelu', args: { sharedAxes: [3] }, inputs: [[null, 4, 5, 3]] }, want: 'runtime.prelu' }],
  ['prelu: shared over cols only', { given: { type: 'prelu', args: { sharedAxes: [2] }, inputs: [[null, 4, 5, 3]] }, want: 'runtime.prelu' }],
  ['prelu: channelsFirst, shared over rows and cols', { given: { type: 'prelu', args: { sharedAxes: [2, 3] }, inputs: [[null, 3, 4, 5]] }, want: 'runtime.prelu' }],
];

function factoryText(c: FactoryCase[1]['given']): string {
  const f = factoryOf(shapesOf(c.type, c.args ?? {}, c.inputs ?? [image]));
  return `${f.source}.${f.name}`;
}

describe('factoryOf', () => {
  test.each(everyType)('%s', (_, { given, want }) => {
    expect(factoryText(given)).toBe(want);
  });

  test('the table covers every layer type of the schema', () => {
    type Def = { oneOf?: { $ref: string }[]; properties?: { type?: { const: string } } };
    const schema = JSON.parse(readFileSync(new URL('../../schemas/netspec.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, Def> };
    const types = schema.$defs['layer']!.oneOf!.map((r) => schema.$defs[r.$ref.split('/').pop()!]!.properties!.type!.const);
    // A `type: model` layer has no factory: its model's build function makes it (emit/sub-model.ts).
    expect(everyType.map(([, c]) => c.given.type).sort()).toEqual(types.filter((t) => t !== 'model').sort());
  });

  test.each(conv2dTransposeCases)('conv2dTranspose: %s', (_, { given, want }) => {
    expect(factoryText(given)).toBe(want);
  });

  test.each(resampleCases)('%s', (_, { given, want }) => {
    expect(factoryText(given)).toBe(want);
  });

  test.each(paddingCases)('%s', (_, { given, want }) => {
    expect(factoryText(given)).toBe(want);
  });

  test.each(activityCases)('activityRegularizer: %s', (_, { given, want }) => {
    expect(factoryText(given)).toBe(want);
  });

  test.each(preluCases)('%s', (_, { given, want }) => {
    expect(factoryText(given)).toBe(want);
  });

  test.each(layerNormalizationCases)('%s', (_, { given, want }) => {
    expect(factoryText(given)).toBe(want);
  });

  test('every factory exists: tf.layers.<name> or a netspec/runtime export', () => {
    const missing = [...everyType, ...conv2dTransposeCases, ...resampleCases, ...paddingCases, ...preluCases, ...layerNormalizationCases]
      .map(([, c]) => factoryOf(shapesOf(c.given.type, c.given.args ?? {}, c.given.inputs ?? [image])))
      .filter((f) => typeof (f.source === 'tf' ? (tf.layers as unknown as Record<string, unknown>) : (runtime as Record<string, unknown>))[f.name] !== 'function');
    expect(missing).toEqual([]);
  });
});

type ConfigCase = [string, { given: { type: string; args?: Args; inputs?: Shape[] }; want: string }];

const initializers: ConfigCase[] = [
  ['zeros takes no argument', { given: { type: 'dense', args: { units: 2, kernelInitializer: 'zeros' }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelInitializer: tf.initializers.zeros() }" }],
  ['ones takes no argument', { given: { type: 'dense', args: { units: 2, biasInitializer: 'ones' }, inputs: [flat] }, want: "{ name: 'l', units: 2, biasInitializer: tf.initializers.ones(), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['{ type: zeros } takes no argument', { given: { type: 'dense', args: { units: 2, kernelInitializer: { type: 'zeros' } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelInitializer: tf.initializers.zeros() }" }],
  ['{ type: ones } takes no argument', { given: { type: 'dense', args: { units: 2, kernelInitializer: { type: 'ones' } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelInitializer: tf.initializers.ones() }" }],
  ['a name takes an empty config', { given: { type: 'dense', args: { units: 2, kernelInitializer: 'heNormal' }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelInitializer: tf.initializers.heNormal({}) }" }],
  ['an object without options takes an empty config', { given: { type: 'dense', args: { units: 2, kernelInitializer: { type: 'glorotUniform' } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  [
    'an object passes its options in order',
    {
      given: { type: 'dense', args: { units: 2, kernelInitializer: { type: 'randomNormal', mean: 0, stddev: 0.02, seed: 1 } }, inputs: [flat] },
      want: "{ name: 'l', units: 2, kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: 1 }) }",
    },
  ],
  [
    'varianceScaling with every option',
    {
      given: { type: 'dense', args: { units: 2, kernelInitializer: { type: 'varianceScaling', scale: 2, mode: 'fanOut', distribution: 'truncatedNormal', seed: 3 } }, inputs: [flat] },
      want: "{ name: 'l', units: 2, kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'truncatedNormal', seed: 3 }) }",
    },
  ],
  ['constant with a value', { given: { type: 'dense', args: { units: 2, biasInitializer: { type: 'constant', value: 0.5 } }, inputs: [flat] }, want: "{ name: 'l', units: 2, biasInitializer: tf.initializers.constant({ value: 0.5 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  // tfjs' constant() throws without a value; Keras' Constant defaults to 0.
  ['constant by name gets value 0', { given: { type: 'dense', args: { units: 2, biasInitializer: 'constant' }, inputs: [flat] }, want: "{ name: 'l', units: 2, biasInitializer: tf.initializers.constant({ value: 0 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['{ type: constant } gets value 0', { given: { type: 'dense', args: { units: 2, biasInitializer: { type: 'constant' } }, inputs: [flat] }, want: "{ name: 'l', units: 2, biasInitializer: tf.initializers.constant({ value: 0 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['identity with a gain', { given: { type: 'dense', args: { units: 4, kernelInitializer: { type: 'identity', gain: 2 } }, inputs: [flat] }, want: "{ name: 'l', units: 4, kernelInitializer: tf.initializers.identity({ gain: 2 }) }" }],
  [
    'every initializer option of batchNormalization',
    {
      given: { type: 'batchNormalization', args: { betaInitializer: 'zeros', gammaInitializer: { type: 'randomUniform', minval: 1, maxval: 2 }, movingMeanInitializer: 'ones', movingVarianceInitializer: { type: 'constant', value: 2 } } },
      want:
        "{ name: 'l', betaInitializer: tf.initializers.zeros(), gammaInitializer: tf.initializers.randomUniform({ minval: 1, maxval: 2 }), movingMeanInitializer: tf.initializers.ones(), movingVarianceInitializer: tf.initializers.constant({ value: 2 }) }",
    },
  ],
];

const regularizers: ConfigCase[] = [
  ['l1 by name', { given: { type: 'dense', args: { units: 2, kernelRegularizer: 'l1' }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelRegularizer: tf.regularizers.l1(), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['l2 by name', { given: { type: 'dense', args: { units: 2, kernelRegularizer: 'l2' }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelRegularizer: tf.regularizers.l2(), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['l1l2 by name', { given: { type: 'dense', args: { units: 2, biasRegularizer: 'l1l2' }, inputs: [flat] }, want: "{ name: 'l', units: 2, biasRegularizer: tf.regularizers.l1l2(), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['{ l1 }', { given: { type: 'dense', args: { units: 2, kernelRegularizer: { l1: 0.1 } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelRegularizer: tf.regularizers.l1({ l1: 0.1 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['{ l2 }', { given: { type: 'dense', args: { units: 2, kernelRegularizer: { l2: 0.2 } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelRegularizer: tf.regularizers.l2({ l2: 0.2 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['{ l1, l2 }', { given: { type: 'dense', args: { units: 2, kernelRegularizer: { l1: 0.1, l2: 0.2 } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelRegularizer: tf.regularizers.l1l2({ l1: 0.1, l2: 0.2 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['{ l2, l1 } keeps tfjs argument order', { given: { type: 'dense', args: { units: 2, kernelRegularizer: { l2: 0.2, l1: 0.1 } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelRegularizer: tf.regularizers.l1l2({ l1: 0.1, l2: 0.2 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  [
    'beta and gamma regularizers',
    { given: { type: 'layerNormalization', args: { betaRegularizer: 'l2', gammaRegularizer: { l1: 0 } } }, want: "{ name: 'l', betaRegularizer: tf.regularizers.l2(), gammaRegularizer: tf.regularizers.l1({ l1: 0 }) }" },
  ],
  [
    'a runtime groupNormalization takes them as the spec wrote them',
    {
      given: { type: 'groupNormalization', args: { groups: 2, gammaInitializer: { type: 'randomNormal', stddev: 0.02 }, betaRegularizer: 'l2', gammaConstraint: 'nonNeg' } },
      want: "{ name: 'l', groups: 2, gammaInitializer: { type: 'randomNormal', stddev: 0.02 }, betaRegularizer: 'l2', gammaConstraint: 'nonNeg' }",
    },
  ],
];

const constraints: ConfigCase[] = [
  ['maxNorm by name', { given: { type: 'dense', args: { units: 2, kernelConstraint: 'maxNorm' }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelConstraint: tf.constraints.maxNorm({}), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['minMaxNorm by name', { given: { type: 'dense', args: { units: 2, kernelConstraint: 'minMaxNorm' }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelConstraint: tf.constraints.minMaxNorm({}), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['unitNorm by name', { given: { type: 'dense', args: { units: 2, kernelConstraint: 'unitNorm' }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelConstraint: tf.constraints.unitNorm({}), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['nonNeg by name takes no argument', { given: { type: 'dense', args: { units: 2, biasConstraint: 'nonNeg' }, inputs: [flat] }, want: "{ name: 'l', units: 2, biasConstraint: tf.constraints.nonNeg(), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['{ type: nonNeg } takes no argument', { given: { type: 'dense', args: { units: 2, biasConstraint: { type: 'nonNeg' } }, inputs: [flat] }, want: "{ name: 'l', units: 2, biasConstraint: tf.constraints.nonNeg(), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['{ type: maxNorm, ... }', { given: { type: 'dense', args: { units: 2, kernelConstraint: { type: 'maxNorm', maxValue: 2, axis: 0 } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelConstraint: tf.constraints.maxNorm({ maxValue: 2, axis: 0 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  [
    '{ type: minMaxNorm, ... }',
    {
      given: { type: 'dense', args: { units: 2, kernelConstraint: { type: 'minMaxNorm', minValue: 0.1, maxValue: 2, rate: 0.5, axis: 1 } }, inputs: [flat] },
      want: "{ name: 'l', units: 2, kernelConstraint: tf.constraints.minMaxNorm({ minValue: 0.1, maxValue: 2, rate: 0.5, axis: 1 }), kernelInitializer: tf.initializers.glorotUniform({}) }",
    },
  ],
  ['{ type: unitNorm, axis }', { given: { type: 'dense', args: { units: 2, kernelConstraint: { type: 'unitNorm', axis: 1 } }, inputs: [flat] }, want: "{ name: 'l', units: 2, kernelConstraint: tf.constraints.unitNorm({ axis: 1 }), kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  [
    'beta and gamma constraints',
    { given: { type: 'batchNormalization', args: { betaConstraint: 'nonNeg', gammaConstraint: { type: 'maxNorm', maxValue: 1.5 } } }, want: "{ name: 'l', betaConstraint: tf.constraints.nonNeg(), gammaConstraint: tf.constraints.maxNorm({ maxValue: 1.5 }) }" },
  ],
];

const options: ConfigCase[] = [
  ['the name comes first', { given: { type: 'dense', args: { units: 3, activation: 'relu' }, inputs: [flat] }, want: "{ name: 'l', units: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  [
    'Keras input assertions never reach tfjs',
    { given: { type: 'dense', args: { inputShape: [4], units: 3, batchInputShape: [2, 4], batchSize: 2 }, inputs: [[2, 4]] }, want: "{ name: 'l', units: 3, kernelInitializer: tf.initializers.glorotUniform({}) }" },
  ],
  [
    'nor the runtime',
    { given: { type: 'conv1dTranspose', args: { filters: 1, kernelSize: 2, inputShape: [8, 2], batchSize: 2 }, inputs: [[2, 8, 2]] }, want: "{ name: 'l', filters: 1, kernelSize: 2 }" },
  ],
  ['trainable and dtype pass through', { given: { type: 'dense', args: { units: 2, trainable: false, dtype: 'float32' }, inputs: [flat] }, want: "{ name: 'l', units: 2, trainable: false, dtype: 'float32', kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  ['tuples are passed as the spec wrote them', { given: { type: 'conv2d', args: { filters: 2, kernelSize: 3, strides: [1, 2], padding: 'same' } }, want: "{ name: 'l', filters: 2, kernelSize: 3, strides: [1, 2], padding: 'same', kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  [
    'runtime layers keep descriptors as plain JSON',
    {
      given: {
        type: 'conv2dTranspose',
        args: { filters: 2, kernelSize: 3, strides: 2, outputPadding: 1, kernelInitializer: { type: 'randomNormal', stddev: 0.02 }, biasInitializer: 'zeros', kernelRegularizer: 'l2', activityRegularizer: { l1: 0.1 }, kernelConstraint: 'nonNeg' },
      },
      want:
        "{ name: 'l', filters: 2, kernelSize: 3, strides: 2, outputPadding: 1, kernelInitializer: { type: 'randomNormal', stddev: 0.02 }, biasInitializer: 'zeros', kernelRegularizer: 'l2', activityRegularizer: { l1: 0.1 }, kernelConstraint: 'nonNeg' }",
    },
  ],
  ['zeroPadding2d: an int stays', { given: { type: 'zeroPadding2d', args: { padding: 1 } }, want: "{ name: 'l', padding: 1 }" }],
  ['zeroPadding2d: ints per axis become pairs', { given: { type: 'zeroPadding2d', args: { padding: [1, 2] } }, want: "{ name: 'l', padding: [[1, 1], [2, 2]] }" }],
  ['zeroPadding2d: pairs stay', { given: { type: 'zeroPadding2d', args: { padding: [[1, 0], [0, 2]] } }, want: "{ name: 'l', padding: [[1, 0], [0, 2]] }" }],
  ['zeroPadding2d: an int and a pair', { given: { type: 'zeroPadding2d', args: { padding: [1, [0, 2]] } }, want: "{ name: 'l', padding: [[1, 1], [0, 2]] }" }],
  ['zeroPadding2d: unset stays unset', { given: { type: 'zeroPadding2d' }, want: "{ name: 'l' }" }],
  ['zeroPadding1d (runtime) keeps the spec form', { given: { type: 'zeroPadding1d', args: { padding: [1, 3] }, inputs: [seq] }, want: "{ name: 'l', padding: [1, 3] }" }],
  ['cropping2d: unset becomes 0, which tfjs requires', { given: { type: 'cropping2d' }, want: "{ name: 'l', cropping: 0 }" }],
  ['cropping2d: an int stays', { given: { type: 'cropping2d', args: { cropping: 1 } }, want: "{ name: 'l', cropping: 1 }" }],
  ['cropping2d: ints per axis become pairs', { given: { type: 'cropping2d', args: { cropping: [1, 0] } }, want: "{ name: 'l', cropping: [[1, 1], [0, 0]] }" }],
  ['cropping2d: a pair and an int', { given: { type: 'cropping2d', args: { cropping: [[0, 1], 1] } }, want: "{ name: 'l', cropping: [[0, 1], [1, 1]] }" }],
  ['cropping2d (runtime, unknown dims) keeps the spec form', { given: { type: 'cropping2d', args: { cropping: [1, 0] }, inputs: [[null, null, null, 2]] }, want: "{ name: 'l', cropping: [1, 0] }" }],
  ['cropping3d (runtime) keeps the spec form', { given: { type: 'cropping3d', args: { cropping: [0, [1, 0], 1] }, inputs: [volume] }, want: "{ name: 'l', cropping: [0, [1, 0], 1] }" }],
  ['upSampling2d: an int becomes a pair', { given: { type: 'upSampling2d', args: { size: 3 } }, want: "{ name: 'l', size: [3, 3] }" }],
  ['upSampling2d: a pair stays', { given: { type: 'upSampling2d', args: { size: [1, 2], interpolation: 'bilinear' } }, want: "{ name: 'l', size: [1, 2], interpolation: 'bilinear' }" }],
  ['upSampling1d (runtime): an int stays', { given: { type: 'upSampling1d', args: { size: 3 }, inputs: [seq] }, want: "{ name: 'l', size: 3 }" }],
  ['conv2d: paddingMode never reaches a native layer', { given: { type: 'conv2d', args: { filters: 2, kernelSize: 3, padding: 'same', paddingMode: 'zeros' } }, want: "{ name: 'l', filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({}) }" }],
  [
    'conv2d (runtime) keeps explicit pairs and the mode',
    { given: { type: 'conv2d', args: { filters: 2, kernelSize: 3, padding: [[1, 0], [0, 1]], paddingMode: 'reflect' } }, want: "{ name: 'l', filters: 2, kernelSize: 3, padding: [[1, 0], [0, 1]], paddingMode: 'reflect' }" },
  ],
  ['softmax (runtime) keeps its axis', { given: { type: 'softmax', args: { axis: 1 } }, want: "{ name: 'l', axis: 1 }" }],
  ['softmax: unset axis becomes -1 (tfjs defaults to 1)', { given: { type: 'softmax' }, want: "{ name: 'l', axis: -1 }" }],
  ['softmax: axis -1 stays', { given: { type: 'softmax', args: { axis: -1 } }, want: "{ name: 'l', axis: -1 }" }],
  ['softmax: the last axis by number becomes -1', { given: { type: 'softmax', args: { axis: 3 } }, want: "{ name: 'l', axis: -1 }" }],
  ['concatenate: unset axis becomes the last, positive', { given: { type: 'concatenate', inputs: [image, image] }, want: "{ name: 'l', axis: 3 }" }],
  ['concatenate: -1 becomes positive', { given: { type: 'concatenate', args: { axis: -1 }, inputs: [flat, flat] }, want: "{ name: 'l', axis: 1 }" }],
  ['concatenate: -2 becomes positive (tfjs reads every negative axis as -1)', { given: { type: 'concatenate', args: { axis: -2 }, inputs: [image, image] }, want: "{ name: 'l', axis: 2 }" }],
  ['concatenate: -3 on rank 4', { given: { type: 'concatenate', args: { axis: -3 }, inputs: [image, image] }, want: "{ name: 'l', axis: 1 }" }],
  ['concatenate: a positive axis stays', { given: { type: 'concatenate', args: { axis: 1 }, inputs: [image, image, image] }, want: "{ name: 'l', axis: 1 }" }],
  ['reshape: -1 becomes the concrete size', { given: { type: 'reshape', args: { targetShape: [-1, 2] }, inputs: [image] }, want: "{ name: 'l', targetShape: [16, 2] }" }],
  ['reshape: a concrete target stays', { given: { type: 'reshape', args: { targetShape: [8, 4] }, inputs: [image] }, want: "{ name: 'l', targetShape: [8, 4] }" }],
  ['reshape: -1 stays when the size is unknown', { given: { type: 'reshape', args: { targetShape: [-1, 2] }, inputs: [[null, null, 4, 2]] }, want: "{ name: 'l', targetShape: [-1, 2] }" }],
  ['reshape: with a fixed batch, -1 becomes the concrete size', { given: { type: 'reshape', args: { targetShape: [2, -1] }, inputs: [[3, 4, 4, 2]] }, want: "{ name: 'l', targetShape: [2, 16] }" }],
  ['dropout: a noise shape with unknown dims is cast to the tfjs type', { given: { type: 'dropout', args: { rate: 0.5, noiseShape: [null, 1, 1, 2] } }, want: "{ name: 'l', rate: 0.5, noiseShape: [null, 1, 1, 2] as number[] }" }],
  ['prelu: sharedAxes as the spec wrote it', { given: { type: 'prelu', args: { sharedAxes: 3, alphaInitializer: 'ones' } }, want: "{ name: 'l', sharedAxes: 3, alphaInitializer: tf.initializers.ones() }" }],
  [
    'embedding: tfjs options, without inputLength (checked statically)',
    {
      given: { type: 'embedding', args: { inputDim: 6, outputDim: 2, inputLength: 3, embeddingsRegularizer: 'l2', maskZero: false }, inputs: [[null, 3]] },
      want: "{ name: 'l', inputDim: 6, outputDim: 2, embeddingsRegularizer: tf.regularizers.l2(), maskZero: false }",
    },
  ],
  ['depthToSpace (runtime) keeps the spec form', { given: { type: 'depthToSpace', args: { blockSize: 2, dataFormat: 'channelsFirst' }, inputs: [[null, 8, 2, 2]] }, want: "{ name: 'l', blockSize: 2, dataFormat: 'channelsFirst' }" }],
  ['dropout: a concrete noise shape is not cast', { given: { type: 'dropout', args: { rate: 0.5, noiseShape: [2, 1, 1, 2] }, inputs: [[2, 4, 4, 2]] }, want: "{ name: 'l', rate: 0.5, noiseShape: [2, 1, 1, 2] }" }],
];

describe('layerConfig', () => {
  describe.each([
    ['initializers', initializers],
    ['regularizers', regularizers],
    ['constraints', constraints],
    ['options', options],
  ] as const)('%s', (_, cases) => {
    test.each(cases)('%s', (_, { given, want }) => {
      expect(config(given.type, given.args ?? {}, given.inputs ?? [image])).toBe(want);
    });
  });

  test('every initializer name of the schema is a tf.initializers factory, called as tfjs wants', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/netspec.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, { enum: string[] }> };
    for (const name of schema.$defs['initializerName']!.enum) {
      const text = config('dense', { units: 4, kernelInitializer: name }, [flat]);
      const want = name === 'zeros' || name === 'ones' ? '()' : name === 'constant' ? '({ value: 0 })' : '({})';
      expect(text).toBe(`{ name: 'l', units: 4, kernelInitializer: tf.initializers.${name}${want} }`);
      expect(typeof (tf.initializers as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    for (const name of schema.$defs['constraintName']!.enum) expect(typeof (tf.constraints as unknown as Record<string, unknown>)[name]).toBe('function');
  });

  test('layerConfig itself keeps plain values; only typedConfig casts', () => {
    const shapes = shapesOf('dropout', { rate: 0.5, noiseShape: [null, 1, 1, 2] });
    const plain = layerConfig(shapes, factoryOf(shapes));
    expect(plain['noiseShape']).toEqual([null, 1, 1, 2]);
    expect(typedConfig(plain)['noiseShape']).toBeInstanceOf(Cast);
  });
});

type UnsupportedCase = [string, { given: { type: string; args?: Args; inputs?: Shape[] }; want: { option: string; message: string; fix?: string } | undefined }];

const unsupported: UnsupportedCase[] = [
  ['weights files are built (resolve reads them; they are not layer arguments)', { given: { type: 'conv2dTranspose', args: { filters: 1, kernelSize: 2, outputPadding: 0 } }, want: undefined }],
  ['activityRegularizer on dense is the runtime dense', { given: { type: 'dense', args: { units: 2, activityRegularizer: 'l2' }, inputs: [flat] }, want: undefined }],
  ['activityRegularizer on conv2d is the runtime conv2d', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 1, activityRegularizer: { l1: 0.1 } } }, want: undefined }],
  ['activityRegularizer on conv2dTranspose goes to the runtime', { given: { type: 'conv2dTranspose', args: { filters: 1, kernelSize: 1, activityRegularizer: 'l1' } }, want: undefined }],
  ['activityRegularizer on conv1dTranspose', { given: { type: 'conv1dTranspose', args: { filters: 1, kernelSize: 1, activityRegularizer: 'l1' }, inputs: [seq] }, want: undefined }],
  ['activityRegularizer on conv3dTranspose', { given: { type: 'conv3dTranspose', args: { filters: 1, kernelSize: 1, activityRegularizer: 'l1' }, inputs: [volume] }, want: undefined }],
  ['conv1d causal is the runtime one', { given: { type: 'conv1d', args: { filters: 1, kernelSize: 3, dilationRate: 2, padding: 'causal' }, inputs: [seq] }, want: undefined }],
  ['conv1d same', { given: { type: 'conv1d', args: { filters: 1, kernelSize: 2, padding: 'same' }, inputs: [seq] }, want: undefined }],
  ['conv1d channelsFirst is the runtime one', { given: { type: 'conv1d', args: { filters: 1, kernelSize: 2, dataFormat: 'channelsFirst' }, inputs: [seq] }, want: undefined }],
  ['softmax over axis 1 is the runtime one', { given: { type: 'softmax', args: { axis: 1 } }, want: undefined }],
  ['softmax over axis -2 is the runtime one', { given: { type: 'softmax', args: { axis: -2 } }, want: undefined }],
  ['softmax over the last axis by number', { given: { type: 'softmax', args: { axis: 3 } }, want: undefined }],
  ['softmax by default', { given: { type: 'softmax' }, want: undefined }],
  ['elu with alpha 0.5 is the runtime one', { given: { type: 'elu', args: { alpha: 0.5 } }, want: undefined }],
  ['elu with alpha 1', { given: { type: 'elu', args: { alpha: 1 } }, want: undefined }],
  ['elu by default', { given: { type: 'elu' }, want: undefined }],
  ['leakyReLU with any alpha', { given: { type: 'leakyReLU', args: { alpha: 0.5 } }, want: undefined }],
  ['batchNormalization of a rank-5 tensor is the runtime one', { given: { type: 'batchNormalization', inputs: [volume] }, want: undefined }],
  ['batchNormalization of a rank-5 channelsFirst tensor is the runtime one', { given: { type: 'batchNormalization', args: { axis: 1 }, inputs: [volume] }, want: undefined }],
  ['batchNormalization of a rank-4 tensor', { given: { type: 'batchNormalization' }, want: undefined }],
  ['batchNormalization of a rank-2 tensor', { given: { type: 'batchNormalization', inputs: [flat] }, want: undefined }],
  ['layerNormalization of a rank-5 tensor is the runtime one', { given: { type: 'layerNormalization', inputs: [volume] }, want: undefined }],
  [
    'orthogonal on a bias',
    { given: { type: 'dense', args: { units: 2, biasInitializer: 'orthogonal' }, inputs: [flat] }, want: { option: 'biasInitializer', message: "the orthogonal initializer needs a weight of rank 2 or more; 'bias' has shape [2]" } },
  ],
  [
    'orthogonal on gamma',
    { given: { type: 'batchNormalization', args: { gammaInitializer: { type: 'orthogonal', gain: 2 } } }, want: { option: 'gammaInitializer', message: "the orthogonal initializer needs a weight of rank 2 or more; 'gamma' has shape [2]" } },
  ],
  [
    'orthogonal on a moving mean',
    { given: { type: 'batchNormalization', args: { movingMeanInitializer: 'orthogonal' } }, want: { option: 'movingMeanInitializer', message: "the orthogonal initializer needs a weight of rank 2 or more; 'moving_mean' has shape [2]" } },
  ],
  ['orthogonal on a dense kernel', { given: { type: 'dense', args: { units: 2, kernelInitializer: 'orthogonal' }, inputs: [flat] }, want: undefined }],
  ['orthogonal on a conv kernel', { given: { type: 'conv2d', args: { filters: 2, kernelSize: 3, kernelInitializer: 'orthogonal' } }, want: undefined }],
  ['orthogonal on a bias the layer does not have', { given: { type: 'dense', args: { units: 2, useBias: false, biasInitializer: 'orthogonal' }, inputs: [flat] }, want: undefined }],
  [
    'identity on a non-square kernel',
    { given: { type: 'dense', args: { units: 2, kernelInitializer: 'identity' }, inputs: [flat] }, want: { option: 'kernelInitializer', message: "the identity initializer needs a square 2D weight; 'kernel' has shape [4, 2]" } },
  ],
  [
    'identity on a conv kernel',
    { given: { type: 'conv2d', args: { filters: 2, kernelSize: 1, kernelInitializer: { type: 'identity' } } }, want: { option: 'kernelInitializer', message: "the identity initializer needs a square 2D weight; 'kernel' has shape [1, 1, 2, 2]" } },
  ],
  [
    'identity on a runtime layer bias',
    {
      given: { type: 'conv2dTranspose', args: { filters: 1, kernelSize: 2, outputPadding: 0, biasInitializer: 'identity' } },
      want: { option: 'biasInitializer', message: "the identity initializer needs a square 2D weight; 'bias' has shape [1]" },
    },
  ],
  ['identity on a square kernel', { given: { type: 'dense', args: { units: 4, kernelInitializer: { type: 'identity', gain: 2 } }, inputs: [flat] }, want: undefined }],
  [
    'embedding with maskZero: true',
    {
      given: { type: 'embedding', args: { inputDim: 4, outputDim: 2, maskZero: true }, inputs: [[null, 3]] },
      want: {
        option: 'maskZero',
        message: 'embedding with maskZero: true is not supported yet (no netspec layer reads a mask, and tfjs training ignores it where Keras masks the loss)',
        fix: 'remove maskZero; index 0 is then an ordinary index',
      },
    },
  ],
  ['embedding with maskZero: false', { given: { type: 'embedding', args: { inputDim: 4, outputDim: 2, maskZero: false }, inputs: [[null, 3]] }, want: undefined }],
  [
    'identity on non-square embeddings',
    { given: { type: 'embedding', args: { inputDim: 4, outputDim: 2, embeddingsInitializer: 'identity' }, inputs: [[null, 3]] }, want: { option: 'embeddingsInitializer', message: "the identity initializer needs a square 2D weight; 'embeddings' has shape [4, 2]" } },
  ],
  ['identity on square embeddings', { given: { type: 'embedding', args: { inputDim: 3, outputDim: 3, embeddingsInitializer: 'identity' }, inputs: [[null, 3]] }, want: undefined }],
  [
    'orthogonal on a prelu alpha of rank 1',
    { given: { type: 'prelu', args: { alphaInitializer: 'orthogonal' }, inputs: [flat] }, want: { option: 'alphaInitializer', message: "the orthogonal initializer needs a weight of rank 2 or more; 'alpha' has shape [4]" } },
  ],
  ['a configuration tfjs builds', { given: { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: 'heNormal' } }, want: undefined }],
];

describe('unsupportedOption', () => {
  test.each(unsupported)('%s', (_, { given, want }) => {
    const shapes = shapesOf(given.type, given.args ?? {}, given.inputs ?? [image]);
    expect(unsupportedOption(shapes.layer, shapes.weights)).toEqual(want);
  });

  test('compile reports it as NS4010 at the option, and emits nothing', () => {
    const text = ['netspec: 1', 'models:', '  m:', '    inputs: { x: [4] }', '    layers:', '      - { type: dense, id: head, units: 2, biasInitializer: orthogonal }', ''].join('\n');
    const result = compile([{ path: 'specs/init.yaml', text }]);
    expect(result.diagnostics.map((d) => [d.code, d.message, text.slice(d.span!.start, d.span!.end)])).toEqual([
      ['NS4010', "layer 'head': the orthogonal initializer needs a weight of rank 2 or more; 'bias' has shape [2]", 'orthogonal'],
    ]);
    expect(result.modules).toEqual([]);
  });

  test('an elu with alpha 0.5 and a causal conv1d compile to the runtime ones', () => {
    const text = ['netspec: 1', 'models:', '  m:', '    inputs: { x: [8, 2] }', '    layers:', '      - { type: conv1d, id: ctx, filters: 2, kernelSize: 3, padding: causal }', '      - { type: elu, id: act, alpha: 0.5 }', ''].join('\n');
    const result = compile([{ path: 'specs/elu.yaml', text }]);
    expect(result.diagnostics).toEqual([]);
    expect(result.modules[0]!.text).toContain("import { conv1d, elu, restoreSavedModel } from 'netspec/runtime';");
    expect(result.modules[0]!.text).toContain("const act = elu({ name: 'act', alpha: 0.5 }).apply(ctx) as tf.SymbolicTensor;");
  });

  test('a rank-5 batchNormalization compiles to the runtime one', () => {
    const text = ['netspec: 1', 'models:', '  m:', '    inputs: { x: [2, 2, 2, 1] }', '    layers:', '      - { type: batchNormalization, id: norm }', ''].join('\n');
    const result = compile([{ path: 'specs/bn.yaml', text }]);
    expect(result.diagnostics).toEqual([]);
    expect(result.modules[0]!.text).toContain("import { batchNormalization, restoreSavedModel } from 'netspec/runtime';");
    expect(result.modules[0]!.text).toContain("const norm = batchNormalization({ name: 'norm' }).apply(x) as tf.SymbolicTensor;");
  });
});
