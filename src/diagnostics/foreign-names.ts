/**
 * Layer names users bring from PyTorch (`torch.nn`), Keras and TensorFlow,
 * mapped to netspec's type. Edit distance alone would suggest a type that
 * computes something else (`PReLU` -> `reLU`, `GroupNorm` -> `batchNormalization`);
 * a name in this table gets the type that means the same, or is told that
 * netspec has none, never a lookalike.
 */

export interface ForeignName {
  /** The netspec layer type, or an option when the foreign layer is a wrapper (`SpectralNorm`). */
  readonly type: string;
  /** Where the name comes from, for the message: `PyTorch`, `Keras`, `TensorFlow`. */
  readonly from: string;
  /** What else to write to mean the same, when the type alone does not. */
  readonly also?: string;
  /** Set when the foreign name is an option of another layer, not a layer type. */
  readonly option?: true;
}

const torch = (type: string, also?: string): ForeignName => ({ type, from: 'PyTorch', ...(also ? { also } : {}) });

/** By folded name (lower case, no `_` or `-`). */
const names: ReadonlyMap<string, ForeignName> = new Map<string, ForeignName>([
  ['linear', torch('dense', 'netspec names it after Keras and tfjs; `units` is `out_features`')],
  ...([1, 2, 3] as const).flatMap((d): [string, ForeignName][] => [
    [`conv${d}d`, torch(`conv${d}d`)],
    [`convtranspose${d}d`, torch(`conv${d}dTranspose`, 'the kernel is laid out [k..., filters, inChannels] as in Keras')],
    [`batchnorm${d}d`, torch('batchNormalization', 'PyTorch\'s momentum 0.1 is Keras\' momentum 0.9, and its eps 1e-5 is epsilon: 1e-5')],
    [`instancenorm${d}d`, torch('instanceNormalization', 'PyTorch\'s default affine=False is `center: false, scale: false`, and its eps 1e-5 is `epsilon: 1e-5`')],
    [`maxpool${d}d`, torch(`maxPooling${d}d`)],
    [`avgpool${d}d`, torch(`averagePooling${d}d`)],
    [`reflectionpad${d}d`, torch(`reflectionPadding${d}d`)],
    [`zeropad${d}d`, torch(`zeroPadding${d}d`)],
    [`dropout${d}d`, torch(`spatialDropout${d}d`, 'PyTorch\'s Dropout2d drops whole channels, as spatialDropout does')],
    [`adaptiveavgpool${d}d`, torch(d === 3 ? 'globalAveragePooling3d' : `globalAveragePooling${d}d`, 'only for output_size 1')],
    [`adaptivemaxpool${d}d`, torch(`globalMaxPooling${d}d`, 'only for output_size 1')],
    [`globalaveragepooling${d}d`, { type: `globalAveragePooling${d}d`, from: 'Keras' }],
    [`globalmaxpooling${d}d`, { type: `globalMaxPooling${d}d`, from: 'Keras' }],
  ]),
  ['groupnorm', torch('groupNormalization', 'PyTorch\'s eps 1e-5 is epsilon: 1e-5')],
  ['layernorm', torch('layerNormalization')],
  ['instancenorm', torch('instanceNormalization')],
  ['groupnormalization', { type: 'groupNormalization', from: 'Keras' }],
  ['pixelnorm', { type: 'pixelNormalization', from: 'ProGAN' }],
  ['instancenormalization', { type: 'instanceNormalization', from: 'Keras' }],
  ['pixelshuffle', torch('pixelShuffle')],
  ['prelu', torch('prelu')],
  ['relu', torch('reLU')],
  ['leakyrelu', torch('leakyReLU', 'negative_slope is alpha')],
  ['elu', torch('elu')],
  ['tanh', torch('activation', '`activation: tanh`')],
  ['sigmoid', torch('activation', '`activation: sigmoid`')],
  ['softmax', torch('softmax')],
  ['identity', torch('activation', '`activation: linear`')],
  ['embedding', torch('embedding')],
  ['flatten', torch('flatten')],
  ['upsample', torch('upSampling2d', 'scale_factor is size; mode=\'bilinear\' is interpolation: bilinear')],
  ['upsamplingnearest2d', torch('upSampling2d')],
  ['upsamplingbilinear2d', torch('upSampling2d', '`interpolation: bilinear`; PyTorch\'s align_corners=True differs from Keras\' half-pixel sampling')],
  ['depthtospace', { type: 'depthToSpace', from: 'TensorFlow' }],
  ['spacetodepth', { type: 'spaceToDepth', from: 'TensorFlow' }],
  ['spectralnorm', { type: 'spectralNormalization', from: 'PyTorch', option: true }],
  ['spectralnormalization', { type: 'spectralNormalization', from: 'Keras', option: true }],
  ['weightnorm', { type: 'weightNormalization', from: 'PyTorch', option: true }],
]);

function fold(word: string): string {
  return word.toLowerCase().replace(/[_-]/g, '');
}

/** What netspec calls a layer another framework names `given`, if the table knows it. */
export function foreignName(given: string): ForeignName | undefined {
  return names.get(fold(given));
}

/**
 * The fix for an unknown layer type that another framework uses, given the
 * types the schema has (and the options of `dense`, for wrappers that are
 * options here); undefined when the name is not a foreign one.
 */
export function foreignNameFix(given: string, types: readonly string[], denseOptions: readonly string[]): string | undefined {
  const found = foreignName(given);
  if (!found || found.type === given) return undefined;
  if (found.option && !denseOptions.includes(found.type)) return `netspec has no option for ${found.from}'s ${given} yet`;
  if (found.option) return `${found.from}'s ${given} is an option of the layer it wraps: set \`${found.type}: true\` on that dense or convolution layer`;
  if (!types.includes(found.type)) return `netspec has no layer for ${found.from}'s ${given} yet`;
  return `use \`type: ${found.type}\`: it is netspec's name for ${found.from}'s ${given}${found.also ? ` (${found.also})` : ''}`;
}

/**
 * Activation names from PyTorch and Keras that name no netspec activation, or
 * a lookalike that computes something else (`silu` is not `selu`), by folded name.
 */
const activations: ReadonlyMap<string, string> = new Map([
  ['leakyrelu', "an activation has no leak in netspec (tfjs has none): set no activation here and add a `leakyReLU` layer after this one (`alpha`, default 0.3; PyTorch's negative_slope default is 0.01)"],
  ['lrelu', "an activation has no leak in netspec (tfjs has none): set no activation here and add a `leakyReLU` layer after this one (`alpha`, default 0.3; PyTorch's negative_slope default is 0.01)"],
  ['prelu', 'a learned leak is a layer: set no activation here and add a `prelu` layer after this one'],
  ['silu', "PyTorch's SiLU is `activation: swish` (x * sigmoid(x))"],
  ['hardswish', "netspec has no hard swish activation yet"],
  ['hardtanh', "netspec has no hard tanh activation yet; `relu6` is PyTorch's ReLU6"],
  ['logsoftmax', "netspec has no log-softmax activation yet"],
]);

/** Foreign activations netspec has no equivalent of: what `activations` says about them is news, not a fix. */
const unavailable: ReadonlySet<string> = new Set(['hardswish', 'hardtanh', 'logsoftmax']);

export function isUnavailableActivation(given: string): boolean {
  return unavailable.has(fold(given));
}

/** A layer to add after the one whose activation it replaces: the layer as flow YAML, and what the fix says. */
export interface ActivationLayer {
  readonly layer: string;
  readonly description: string;
}

const leak: readonly ActivationLayer[] = [
  { layer: '{ type: leakyReLU }', description: "move the leak into a `leakyReLU` layer after this one (alpha 0.3, Keras' default)" },
  { layer: '{ type: leakyReLU, alpha: 0.01 }', description: "move the leak into a `leakyReLU` layer after this one (alpha: 0.01, PyTorch's negative_slope default)" },
];

/** Foreign activations that are layers in netspec: each entry is one way to write it (alternatives when several). */
const activationLayers: ReadonlyMap<string, readonly ActivationLayer[]> = new Map([
  ['leakyrelu', leak],
  ['lrelu', leak],
  ['prelu', [{ layer: '{ type: prelu }', description: 'move the learned leak into a `prelu` layer after this one' }]],
]);

export function foreignActivationLayers(given: string): readonly ActivationLayer[] | undefined {
  return activationLayers.get(fold(given));
}

/** The fix for an activation name from another framework; undefined when it is not one (then edit distance decides). */
export function foreignActivationFix(given: string): string | undefined {
  return activations.get(fold(given));
}

/** The netspec activation that means the same as a foreign name, when it is a rename (`silu` -> `swish`), not a layer to add. */
const renamedActivations: ReadonlyMap<string, string> = new Map([['silu', 'swish']]);

export function foreignActivation(given: string): string | undefined {
  return renamedActivations.get(fold(given));
}
