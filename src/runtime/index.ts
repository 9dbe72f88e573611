/**
 * netspec/runtime: the layers generated modules import where tfjs has none,
 * or where the tfjs layer computes something other than the spec says.
 * Every class is registered for serialization, so model.save and
 * tf.loadLayersModel round-trip.
 *
 * Importing it also gives tfjs' wasm backend the gradient kernels it lacks
 * (./wasm-gradients.ts), so generated models train there, and replaces
 * wasm's slow transposed-convolution kernel with one built on its fast
 * conv2d (./wasm-kernels/conv2d-backprop-input.ts).
 */
import './wasm-gradients.js';
import './wasm-kernels/conv2d-backprop-input.js';
export { ConvTranspose, conv1dTranspose, conv2dTranspose, conv3dTranspose, type ConvTransposeArgs } from './conv-transpose.js';
export { Cropping, UpSampling, ZeroPadding, cropping1d, cropping2d, cropping3d, upSampling1d, upSampling2d, upSampling3d, zeroPadding1d, type UpSamplingArgs, zeroPadding3d } from './resample.js';
export { ReflectionPadding, reflectionPadding1d, reflectionPadding2d, reflectionPadding3d } from './padding.js';
export { Dense, dense, type DenseArgs } from './dense.js';
export type { EqualizedLearningRateOption, ReparametrizationArgs, SpectralNormalizationOption } from './reparametrization.js';
export { Conv, conv1d, conv2d, conv3d, type ConvArgs } from './conv.js';
export { DepthwiseConv, SeparableConv, depthwiseConv2d, separableConv1d, separableConv2d, type DepthwiseConvArgs, type SeparableConvArgs } from './depthwise.js';
export { Pooling, averagePooling1d, averagePooling2d, averagePooling3d, maxPooling1d, maxPooling2d, maxPooling3d, type PoolingArgs } from './pooling.js';
export {
  GlobalPooling,
  globalAveragePooling1d,
  globalAveragePooling2d,
  globalAveragePooling3d,
  globalMaxPooling1d,
  globalMaxPooling2d,
  globalMaxPooling3d,
  type GlobalPoolingArgs,
} from './global-pooling.js';
export { Elu, Softmax, elu, softmax } from './activation-options.js';
export { DepthToSpace, PixelShuffle, SpaceToDepth, depthToSpace, pixelShuffle, spaceToDepth, type BlockSizeArgs, type PixelShuffleArgs } from './subpixel.js';
export { PReLU, prelu, type PReLUArgs } from './prelu.js';
export { Embedding, embedding, type EmbeddingArgs } from './embedding.js';
export {
  GroupNormalization,
  InstanceNormalization,
  groupNormalization,
  instanceNormalization,
  normalizeGroups,
  type ChannelNormalizationArgs,
  type GroupNormalizationArgs,
} from './group-normalization.js';
export { PixelNormalization, pixelNormalization, type PixelNormalizationArgs } from './pixel-normalization.js';
export { MinibatchStdDev, minibatchStdDev, type MinibatchStdDevArgs } from './minibatch-stddev.js';
export { SelfAttention, selfAttention, type SelfAttentionArgs } from './self-attention.js';
export { Maximum, Minimum, Subtract, maximum, minimum, subtract } from './merge.js';
export {
  GaussianDropout,
  GaussianNoise,
  SpatialDropout,
  gaussianDropout,
  gaussianNoise,
  spatialDropout1d,
  spatialDropout2d,
  spatialDropout3d,
  type GaussianDropoutArgs,
  type GaussianNoiseArgs,
  type SpatialDropoutArgs,
} from './noise.js';
export { setInitialWeights, tensorFromBase64 } from './initial-weights.js';
export type { ConstraintDescriptor, InitializerDescriptor, RegularizerDescriptor } from './descriptors.js';
export { withConstraints } from './constraints.js';
export { withActivityRegularizer } from './activity.js';
export { setTrainable } from './compose.js';
export { restoreSavedModel, type SavedModelShapes } from './load.js';
export {
  BatchNormalization,
  LayerNormalization,
  batchNormalization,
  layerNormalization,
  type BatchNormalizationArgs,
  type LayerNormalizationArgs,
} from './normalization.js';
