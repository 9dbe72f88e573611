/**
 * Which spec layer type each tfjs / Keras layer class is. The class names are
 * those of tfjs-layers (`getClassName()`), Keras 2 (tf.keras) and Keras 3
 * (keras/src/layers/*, `registered_name` aside), with their documented aliases
 * (Convolution2D, Deconvolution2D, MaxPool2D, ...), and netspec's own
 * runtime layers (src/runtime, `static className`).
 */

/** What a class imports as: its spec type, or a function of its config for runtime layers that cover several types. */
export type LayerTypeOf = string | ((config: Readonly<Record<string, unknown>>) => string | undefined);

const byRank = (base: string, suffix = '') => (c: Readonly<Record<string, unknown>>) => (c['rank'] === 1 || c['rank'] === 2 || c['rank'] === 3 ? `${base}${c['rank']}d${suffix}` : undefined);
const byModeAndRank = (max: string, average: string) => (c: Readonly<Record<string, unknown>>) =>
  c['mode'] === 'max' || c['mode'] === 'average' ? byRank(c['mode'] === 'max' ? max : average)(c) : undefined;

const keras: Record<string, string> = {
  Dense: 'dense',
  Reshape: 'reshape',
  Flatten: 'flatten',
  Activation: 'activation',
  LeakyReLU: 'leakyReLU',
  ReLU: 'reLU',
  ELU: 'elu',
  Softmax: 'softmax',
  PReLU: 'prelu',
  Dropout: 'dropout',
  GaussianNoise: 'gaussianNoise',
  GaussianDropout: 'gaussianDropout',
  BatchNormalization: 'batchNormalization',
  LayerNormalization: 'layerNormalization',
  GroupNormalization: 'groupNormalization',
  Concatenate: 'concatenate',
  Add: 'add',
  Multiply: 'multiply',
  Subtract: 'subtract',
  Average: 'average',
  Maximum: 'maximum',
  Minimum: 'minimum',
  RepeatVector: 'repeatVector',
  Permute: 'permute',
  Embedding: 'embedding',
  DepthwiseConv2D: 'depthwiseConv2d',
  SeparableConv1D: 'separableConv1d',
  SeparableConv2D: 'separableConv2d',
  SeparableConvolution1D: 'separableConv1d',
  SeparableConvolution2D: 'separableConv2d',
};
for (const d of [1, 2, 3]) {
  Object.assign(keras, {
    [`Conv${d}D`]: `conv${d}d`,
    [`Convolution${d}D`]: `conv${d}d`,
    [`Conv${d}DTranspose`]: `conv${d}dTranspose`,
    [`Convolution${d}DTranspose`]: `conv${d}dTranspose`,
    [`UpSampling${d}D`]: `upSampling${d}d`,
    [`ZeroPadding${d}D`]: `zeroPadding${d}d`,
    [`Cropping${d}D`]: `cropping${d}d`,
    [`MaxPooling${d}D`]: `maxPooling${d}d`,
    [`MaxPool${d}D`]: `maxPooling${d}d`,
    [`AveragePooling${d}D`]: `averagePooling${d}d`,
    [`AvgPool${d}D`]: `averagePooling${d}d`,
    [`GlobalAveragePooling${d}D`]: `globalAveragePooling${d}d`,
    [`GlobalAvgPool${d}D`]: `globalAveragePooling${d}d`,
    [`GlobalMaxPooling${d}D`]: `globalMaxPooling${d}d`,
    [`GlobalMaxPool${d}D`]: `globalMaxPooling${d}d`,
    [`SpatialDropout${d}D`]: `spatialDropout${d}d`,
  });
}
keras['Deconvolution2D'] = 'conv2dTranspose';
keras['Deconvolution3D'] = 'conv3dTranspose';

/** netspec's runtime layers, by `static className` (src/runtime). */
const runtime: Record<string, LayerTypeOf> = {
  NetspecDense: 'dense',
  NetspecConv: byRank('conv'),
  NetspecConvTranspose: byRank('conv', 'Transpose'),
  NetspecDepthwiseConv: (c) => (c['rank'] === 2 ? 'depthwiseConv2d' : undefined),
  NetspecSeparableConv: byRank('separableConv'),
  NetspecReflectionPadding: byRank('reflectionPadding'),
  NetspecZeroPadding: byRank('zeroPadding'),
  NetspecCropping: byRank('cropping'),
  NetspecUpSampling: byRank('upSampling'),
  NetspecPooling: byModeAndRank('maxPooling', 'averagePooling'),
  NetspecGlobalPooling: byModeAndRank('globalMaxPooling', 'globalAveragePooling'),
  NetspecSpatialDropout: byRank('spatialDropout'),
  NetspecGaussianNoise: 'gaussianNoise',
  NetspecGaussianDropout: 'gaussianDropout',
  NetspecBatchNormalization: 'batchNormalization',
  NetspecLayerNormalization: 'layerNormalization',
  NetspecGroupNormalization: 'groupNormalization',
  NetspecInstanceNormalization: 'instanceNormalization',
  NetspecPixelNormalization: 'pixelNormalization',
  NetspecMinibatchStdDev: 'minibatchStdDev',
  NetspecSelfAttention: 'selfAttention',
  NetspecEmbedding: 'embedding',
  NetspecPReLU: 'prelu',
  NetspecSoftmax: 'softmax',
  NetspecElu: 'elu',
  NetspecSubtract: 'subtract',
  NetspecMaximum: 'maximum',
  NetspecMinimum: 'minimum',
  NetspecDepthToSpace: 'depthToSpace',
  NetspecSpaceToDepth: 'spaceToDepth',
  NetspecPixelShuffle: 'pixelShuffle',
};

/** Classes that are whole models: they become `type: model` layers and models of their own. */
export const modelClasses: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model']);

/** The class of a layer as it names it; Keras 3 may prefix a package (`keras.layers.Dense`) in `registered_name`. */
export function layerTypeOf(className: string, config: Readonly<Record<string, unknown>>): string | undefined {
  const known = (keras[className] as LayerTypeOf | undefined) ?? runtime[className];
  return typeof known === 'function' ? known(config) : known;
}

/** Whether a class is one of netspec's runtime layers: their config holds spec options as the spec wrote them. */
export function isRuntimeClass(className: string): boolean {
  return className in runtime;
}

/** Every class that imports, for the docs and for the "did you mean" of an unknown one. */
export const knownClasses: readonly string[] = [...Object.keys(keras), ...Object.keys(runtime), ...modelClasses, 'InputLayer'];
