import { permute, repeatVector } from './axes.js';
import { conv, depthwiseConv, separableConv, windowArguments } from './conv.js';
import { convTranspose, transposeArguments } from './conv-transpose.js';
import { dense } from './dense.js';
import { dropout, sameShape, softmax, spatialDropout } from './elementwise.js';
import { embedding } from './embedding.js';
import { concatenate, elementwiseMerge, subtractMerge } from './merge.js';
import { minibatchStdDev } from './minibatch-stddev.js';
import { batchNormalization, groupNormalization, instanceNormalization, layerNormalization, pixelNormalization } from './normalization.js';
import { reflectionPadding } from './padding.js';
import { selfAttention } from './self-attention.js';
import { prelu } from './prelu.js';
import { globalPooling, poolArguments, pooling } from './pooling.js';
import { cropping, upSampling, zeroPadding } from './resample.js';
import { flatten, reshape, reshapeArguments } from './reshape.js';
import { reparametrizationArguments, reparametrized } from './reparametrization.js';
import type { ArgumentCheck, Rule } from './rule.js';
import { spaceToDepth, toSpace } from './subpixel.js';

/** The shape rule of every layer type, by the type's name in the spec. */
export const rules: Readonly<Record<string, Rule>> = {
  dense: reparametrized(dense),
  depthToSpace: toSpace('blockSize'),
  embedding,
  pixelShuffle: toSpace('upscaleFactor'),
  prelu,
  reshape,
  flatten,
  repeatVector,
  permute,
  conv1d: reparametrized(conv(1)),
  conv2d: reparametrized(conv(2)),
  conv3d: reparametrized(conv(3)),
  depthwiseConv2d: depthwiseConv(2),
  separableConv1d: separableConv(1),
  separableConv2d: separableConv(2),
  conv1dTranspose: reparametrized(convTranspose(1)),
  conv2dTranspose: reparametrized(convTranspose(2)),
  conv3dTranspose: reparametrized(convTranspose(3)),
  spaceToDepth,
  upSampling1d: upSampling(1),
  upSampling2d: upSampling(2),
  upSampling3d: upSampling(3),
  zeroPadding1d: zeroPadding(1),
  zeroPadding2d: zeroPadding(2),
  zeroPadding3d: zeroPadding(3),
  reflectionPadding1d: reflectionPadding(1),
  reflectionPadding2d: reflectionPadding(2),
  reflectionPadding3d: reflectionPadding(3),
  cropping1d: cropping(1),
  cropping2d: cropping(2),
  cropping3d: cropping(3),
  maxPooling1d: pooling(1),
  maxPooling2d: pooling(2),
  maxPooling3d: pooling(3),
  averagePooling1d: pooling(1),
  averagePooling2d: pooling(2),
  averagePooling3d: pooling(3),
  globalAveragePooling1d: globalPooling(1),
  globalAveragePooling2d: globalPooling(2),
  globalAveragePooling3d: globalPooling(3),
  globalMaxPooling1d: globalPooling(1),
  globalMaxPooling2d: globalPooling(2),
  globalMaxPooling3d: globalPooling(3),
  batchNormalization,
  layerNormalization,
  groupNormalization,
  instanceNormalization,
  pixelNormalization,
  minibatchStdDev,
  selfAttention,
  activation: sameShape,
  leakyReLU: sameShape,
  reLU: sameShape,
  elu: sameShape,
  softmax,
  dropout,
  gaussianNoise: sameShape,
  gaussianDropout: sameShape,
  spatialDropout1d: spatialDropout(1),
  spatialDropout2d: spatialDropout(2),
  spatialDropout3d: spatialDropout(3),
  concatenate,
  add: elementwiseMerge,
  multiply: elementwiseMerge,
  subtract: subtractMerge,
  average: elementwiseMerge,
  maximum: elementwiseMerge,
  minimum: elementwiseMerge,
};

/** Every check after the first that fails is left out: they describe one layer, and its first problem is enough. */
function all(...checks: ArgumentCheck[]): ArgumentCheck {
  return (ctx) => checks.every((check) => check(ctx));
}

/** The checks of a layer type's own options, which run before its shape rule whatever the layer receives. */
export const argumentChecks: Readonly<Record<string, ArgumentCheck>> = {
  dense: reparametrizationArguments,
  reshape: reshapeArguments,
  conv1d: all(reparametrizationArguments, windowArguments(1)),
  conv2d: all(reparametrizationArguments, windowArguments(2)),
  conv3d: all(reparametrizationArguments, windowArguments(3)),
  depthwiseConv2d: windowArguments(2),
  separableConv1d: windowArguments(1),
  separableConv2d: windowArguments(2),
  conv1dTranspose: all(reparametrizationArguments, transposeArguments(1)),
  conv2dTranspose: all(reparametrizationArguments, transposeArguments(2)),
  conv3dTranspose: all(reparametrizationArguments, transposeArguments(3)),
  maxPooling1d: poolArguments(1),
  maxPooling2d: poolArguments(2),
  maxPooling3d: poolArguments(3),
  averagePooling1d: poolArguments(1),
  averagePooling2d: poolArguments(2),
  averagePooling3d: poolArguments(3),
};
