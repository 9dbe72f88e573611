import type { LayerIR, LayerShapes, Value, WeightInfo } from '../ir.js';
import { chosenReparametrizations, reparametrizations } from '../infer/reparametrization.js';
import { sameDim } from '../infer/affine.js';
import { Call, Cast, type Code } from './code.js';

/** Where a layer's factory comes from in the generated module. */
export interface LayerFactory {
  readonly source: 'tf' | 'runtime';
  /** `tf.layers.<name>` or a named import from netspec/runtime. */
  readonly name: string;
  /** How it takes initializers, regularizers and constraints: tfjs objects, or the spec's plain JSON. */
  readonly options: 'tfjs' | 'json';
}

/** Spec options that are static assertions or wiring only; they never reach tfjs. */
const compileTimeOnly = new Set(['inputShape', 'batchInputShape', 'batchSize', 'inputLength']);

/** Layer types tfjs lacks, supplied by netspec/runtime. */
const runtimeOnly = new Set([
  'conv1dTranspose',
  'conv3dTranspose',
  'upSampling1d',
  'upSampling3d',
  'zeroPadding1d',
  'zeroPadding3d',
  'cropping1d',
  'cropping3d',
  'reflectionPadding1d',
  'reflectionPadding2d',
  'reflectionPadding3d',
  'depthToSpace',
  'spaceToDepth',
  'pixelShuffle',
  'groupNormalization',
  'instanceNormalization',
  'pixelNormalization',
  'minibatchStdDev',
  'selfAttention',
  'globalAveragePooling3d',
  'globalMaxPooling3d',
  'subtract',
  // tfjs' depthwiseConv2d drops dilationRate and neither it nor separableConv2d trains on wasm; tfjs has no separableConv1d.
  'depthwiseConv2d',
  'separableConv1d',
  'separableConv2d',
  'spatialDropout2d',
  'spatialDropout3d',
]);

/**
 * tfjs' gaussianNoise and gaussianDropout take no seed, and its
 * spatialDropout1d passes the seed to every draw unchanged (one mask at every
 * step): seeded, the runtime's, which draws anew each step as Keras 3 does.
 */
const seededNoise = new Set(['gaussianNoise', 'gaussianDropout', 'spatialDropout1d']);

/** tfjs factory names that differ from the spec's type names. */
const tfjsNames: Readonly<Record<string, string>> = { cropping2d: 'cropping2D' };

function isOne(value: Value | undefined): boolean {
  return value === undefined || value === 1 || (Array.isArray(value) && value.every((v) => v === 1));
}

/**
 * The native tfjs conv2dTranspose is correct only for valid/same padding
 * without outputPadding, dilation or outputShape (it silently ignores those),
 * and it throws on activityRegularizer. Everything else goes to the runtime.
 */
function nativeConv2dTransposeIsExact(layer: LayerIR): boolean {
  const { padding, outputPadding, dilationRate, outputShape, activityRegularizer } = layer.args;
  return (padding === undefined || padding === 'valid' || padding === 'same') && outputPadding === undefined && isOne(dilationRate) && outputShape === undefined && activityRegularizer === undefined;
}

const convTypes = new Set(['conv1d', 'conv2d', 'conv3d']);
const poolingTypes = new Set(['maxPooling1d', 'maxPooling2d', 'maxPooling3d', 'averagePooling1d', 'averagePooling2d', 'averagePooling3d']);

/**
 * tfjs' convolutions take no explicit pads (its layers only `valid`/`same`),
 * no reflection padding, throw on `causal` ("not implemented") and compute a
 * channelsLast tensor for a channelsFirst conv1d; `paddingMode: reflect` with
 * `valid` pads nothing and stays native.
 */
function nativeConvIsExact(layer: LayerIR): boolean {
  const { padding, paddingMode, dataFormat } = layer.args;
  const pads = padding !== undefined && padding !== 'valid';
  return !Array.isArray(padding) && padding !== 'causal' && !(paddingMode === 'reflect' && pads) && !(layer.type === 'conv1d' && dataFormat === 'channelsFirst');
}

/** tfjs' global pooling layers have no keepdims, and the 1D ones no dataFormat (they pool axis 1 whatever it is). */
function nativeGlobalPoolingIsExact(layer: LayerIR): boolean {
  return layer.args['keepdims'] !== true && !(layer.type.endsWith('1d') && layer.args['dataFormat'] === 'channelsFirst');
}

const globalPoolingTypes = new Set(['globalAveragePooling1d', 'globalAveragePooling2d', 'globalMaxPooling1d', 'globalMaxPooling2d']);

/** tfjs' softmax runs over the last axis only (tf.softmax throws on any other). */
function nativeSoftmaxIsExact(shapes: LayerShapes): boolean {
  const rank = shapes.inputShapes[0]!.length;
  const axis = (shapes.layer.args['axis'] as number | undefined) ?? -1;
  return (axis < 0 ? rank + axis : axis) === rank - 1;
}

/** tfjs' ELU throws on any alpha but 1. */
function nativeEluIsExact(layer: LayerIR): boolean {
  const alpha = layer.args['alpha'];
  return alpha === undefined || alpha === 1;
}

/** tfjs declares negative sizes for cropped unknown (or symbolic: null to tfjs) dims, which poisons later layers' shapes. */
function nativeCropping2dIsExact(shapes: LayerShapes): boolean {
  return shapes.inputShapes[0]!.slice(1).every((d) => typeof d === 'number');
}

/**
 * tfjs' batchNormalization is right only over the last axis of a rank 2-4
 * tensor, with center and scale on (else it cannot train), and keeps
 * updating its moving statistics when frozen (Keras does not): by
 * `trainable: false`, or as part of a model another model uses frozen.
 */
function nativeBatchNormalizationIsExact(shapes: LayerShapes, frozenModel: boolean): boolean {
  const { args } = shapes.layer;
  const rank = shapes.inputShapes[0]!.length;
  const axis = (args['axis'] as number | undefined) ?? -1;
  return rank <= 4 && (axis === -1 || axis === rank - 1) && args['center'] !== false && args['scale'] !== false && args['trainable'] !== false && !frozenModel;
}

/**
 * tfjs' layerNormalization throws on rank 5 and up, and cannot train
 * without gamma or beta (`center: false`, `scale: false`: its batchNorm
 * gradient reads the missing offset or scale).
 */
function nativeLayerNormalizationIsExact(shapes: LayerShapes): boolean {
  const { args } = shapes.layer;
  return shapes.inputShapes[0]!.length <= 4 && args['center'] !== false && args['scale'] !== false;
}

/**
 * tfjs' prelu op on wasm ignores alpha's shape: it applies alpha's values
 * cyclically along the flattened input, which is the broadcast only when
 * alpha, leading 1s stripped, is the input's trailing dims (no shared axis,
 * or only leading ones such as SRGAN's `sharedAxes: [1, 2]`). cpu broadcasts
 * right in every case; the choice is static, so any other sharing is the runtime's.
 */
function nativePreluIsExact(shapes: LayerShapes): boolean {
  const alpha = shapes.weights.find((w) => w.name === 'alpha')?.shape ?? [];
  const dims = shapes.inputShapes[0]!.slice(1);
  const first = alpha.findIndex((d) => d !== 1);
  return first < 0 || alpha.slice(first).every((d, k) => d === dims[first + k]);
}

/**
 * tfjs' maximum and minimum gradients do not sum over broadcast axes (training
 * throws), so tfjs' layers are used only for inputs of one shape: equal
 * ranks and sizes, symbolic ones included (an unknown size could be a 1 that
 * broadcasts at run time).
 */
function nativeMaxMinIsExact(shapes: LayerShapes): boolean {
  const [first, ...rest] = shapes.inputShapes;
  return rest.every((s) => s.length === first!.length && s.every((d, a) => a === 0 || (d !== null && sameDim(d, first![a]))));
}

/**
 * Chooses, statically, which implementation builds a layer. `frozenModel`:
 * the layer's model is used frozen inside another model of the spec
 * (emit/sub-model.ts `frozenModels`).
 */
export function factoryOf(shapes: LayerShapes, frozenModel = false): LayerFactory {
  const { layer } = shapes;
  if (
    runtimeOnly.has(layer.type) ||
    // tfjs' dense and convolutions read their kernel as stored; a reparametrized one is the runtime's.
    chosenReparametrizations(layer).length > 0 ||
    (layer.type === 'conv2dTranspose' && !nativeConv2dTransposeIsExact(layer)) ||
    (layer.type === 'cropping2d' && !nativeCropping2dIsExact(shapes)) ||
    (convTypes.has(layer.type) && !nativeConvIsExact(layer)) ||
    // tfjs' dense and convolutions throw on their own activityRegularizer; the runtime's keep it in their config, so a saved model loads with it.
    ((layer.type === 'dense' || convTypes.has(layer.type)) && layer.args['activityRegularizer'] !== undefined) ||
    // tfjs' pooling layers take no explicit pads.
    (poolingTypes.has(layer.type) && Array.isArray(layer.args['padding'])) ||
    (globalPoolingTypes.has(layer.type) && !nativeGlobalPoolingIsExact(layer)) ||
    (layer.type === 'softmax' && !nativeSoftmaxIsExact(shapes)) ||
    (layer.type === 'elu' && !nativeEluIsExact(layer)) ||
    // tfjs' bilinear upSampling2d samples without half-pixel centers (Keras 3 samples with them).
    (layer.type === 'upSampling2d' && layer.args['interpolation'] === 'bilinear') ||
    (seededNoise.has(layer.type) && layer.args['seed'] !== undefined)
  ) {
    return { source: 'runtime', name: layer.type, options: 'json' };
  }
  // The runtime normalizations, prelu, embedding, maximum and minimum subclass tfjs' own and take the same options.
  // tfjs' embedding cannot train on wasm (its gather gradient needs UnsortedSegmentSum, which wasm lacks).
  if (
    (layer.type === 'batchNormalization' && !nativeBatchNormalizationIsExact(shapes, frozenModel)) ||
    (layer.type === 'layerNormalization' && !nativeLayerNormalizationIsExact(shapes)) ||
    (layer.type === 'prelu' && !nativePreluIsExact(shapes)) ||
    ((layer.type === 'maximum' || layer.type === 'minimum') && !nativeMaxMinIsExact(shapes)) ||
    layer.type === 'embedding'
  ) {
    return { source: 'runtime', name: layer.type, options: 'tfjs' };
  }
  return { source: 'tf', name: tfjsNames[layer.type] ?? layer.type, options: 'tfjs' };
}

function initializerCall(value: Value): Code {
  const { type, ...given } = typeof value === 'string' ? { type: value } : (value as { type: string });
  // tfjs' constant() throws without a value; Keras' Constant defaults it to 0.
  const config = type === 'constant' && !('value' in given) ? { value: 0 } : given;
  const hasConfig = Object.keys(config).length > 0;
  // tfjs' zeros() and ones() take no arguments; the others take a (possibly empty) config.
  return new Call(`tf.initializers.${type}`, type === 'zeros' || type === 'ones' ? [] : [hasConfig ? (config as Code) : {}]);
}

function regularizerCall(value: Value): Code {
  if (typeof value === 'string') return new Call(`tf.regularizers.${value}`);
  const { l1, l2 } = value as { l1?: number; l2?: number };
  if (l1 !== undefined && l2 !== undefined) return new Call('tf.regularizers.l1l2', [{ l1, l2 }]);
  return l1 !== undefined ? new Call('tf.regularizers.l1', [{ l1 }]) : new Call('tf.regularizers.l2', [{ l2: l2! }]);
}

function constraintCall(value: Value): Code {
  const { type, ...config } = typeof value === 'string' ? { type: value } : (value as { type: string });
  return new Call(`tf.constraints.${type}`, type === 'nonNeg' ? [] : [config as Code]);
}

/** `[[top, bottom], [left, right]]` from any of the spec's forms, which tfjs does not all accept. */
function pairs2d(value: Value | undefined): Code | undefined {
  if (value === undefined || typeof value === 'number') return value;
  return (value as readonly (number | readonly number[])[]).map((v) => (typeof v === 'number' ? [v, v] : v));
}

/** A spec option as the argument of a native tfjs layer. */
function nativeOption(type: string, option: string, value: Value): Code {
  if (option.endsWith('Initializer')) return initializerCall(value);
  if (option.endsWith('Regularizer')) return regularizerCall(value);
  if (option.endsWith('Constraint')) return constraintCall(value);
  if (type === 'upSampling2d' && option === 'size' && typeof value === 'number') return [value, value];
  if ((type === 'zeroPadding2d' && option === 'padding') || (type === 'cropping2d' && option === 'cropping')) return pairs2d(value)!;
  return value as Code;
}

/**
 * Options whose tfjs reading differs from the spec's, rewritten to the
 * spec's meaning: tfjs' softmax layer defaults to axis 1 (Keras: -1), its
 * concatenate treats every negative axis as -1, its reshape declares a wrong
 * shape for -1 with an unknown batch, its cropping2D requires `cropping`, and
 * its kernels default to another initializer.
 */
function nativeAdjustments(shapes: LayerShapes, config: Record<string, Code>): void {
  const { layer } = shapes;
  const rank = shapes.inputShapes[0]!.length;
  if (layer.type === 'softmax') config['axis'] = -1;
  if (layer.type === 'concatenate') {
    const axis = (layer.args['axis'] as number | undefined) ?? -1;
    config['axis'] = axis < 0 ? rank + axis : axis;
  }
  if (layer.type === 'reshape' && shapes.outputShape.slice(1).every((d) => typeof d === 'number')) config['targetShape'] = shapes.outputShape.slice(1) as Code;
  if (layer.type === 'cropping2d' && config['cropping'] === undefined) config['cropping'] = 0;
  // A native convolution pads nothing or with zeros: the mode is already the one tfjs computes.
  delete config['paddingMode'];
  // A native global pooling has keepdims false and, in 1D, channelsLast: what tfjs' layers (which take neither option) compute.
  if (globalPoolingTypes.has(layer.type)) {
    delete config['keepdims'];
    if (layer.type.endsWith('1d')) delete config['dataFormat'];
  }
  // tfjs' kernels default to glorotNormal; Keras' (and the runtime layers') to glorotUniform.
  if (config['kernelInitializer'] === undefined && shapes.weights.some((w) => w.name === 'kernel')) config['kernelInitializer'] = initializerCall('glorotUniform');
}

/** The config object passed to the layer factory; the tfjs name is always the spec id. */
export function layerConfig(shapes: LayerShapes, factory: LayerFactory): Record<string, Code> {
  const { layer } = shapes;
  const config: Record<string, Code> = { name: layer.id };
  for (const [option, value] of Object.entries(layer.args)) {
    if (compileTimeOnly.has(option)) continue;
    // A reparametrization turned off (`false`, overriding a default) is no option of tfjs' layer.
    if (factory.source === 'tf' && (reparametrizations as readonly string[]).includes(option)) continue;
    config[option] = factory.options === 'tfjs' ? nativeOption(layer.type, option, value) : (value as Code);
  }
  if (factory.options === 'tfjs') nativeAdjustments(shapes, config);
  return config;
}

/**
 * The config as the generated TypeScript writes it: tfjs types `noiseShape` as
 * `number[]`, though it reads a null entry as the input's size there
 * (tfjs-core `getNoiseShape`), so such a list is cast.
 */
export function typedConfig(config: Record<string, Code>): Record<string, Code> {
  const noise = config['noiseShape'];
  return Array.isArray(noise) && noise.includes(null) ? { ...config, noiseShape: new Cast(noise, 'number[]') } : config;
}

/** Whether any weight of the model has a constraint, which only the runtime's withConstraints applies during fit. */
export function hasConstraints(layers: readonly LayerShapes[]): boolean {
  return layers.some((l) => Object.keys(l.layer.args).some((option) => option.endsWith('Constraint')));
}

/**
 * Configurations netspec cannot build yet, as located NS4010 errors rather
 * than generated code that throws or silently computes something else.
 * `fix`, when there is one, is removing `option` (and what that means): check.ts writes it as that edit.
 */
export function unsupportedOption(layer: LayerIR, weights: readonly WeightInfo[] | undefined): { option: string; message: string; fix?: string } | undefined {
  if (layer.type === 'embedding' && layer.args['maskZero'] === true) {
    return {
      option: 'maskZero',
      message: 'embedding with maskZero: true is not supported yet (no netspec layer reads a mask, and tfjs training ignores it where Keras masks the loss)',
      fix: 'remove maskZero; index 0 is then an ordinary index',
    };
  }
  // Without weights (the layer's input is unknown after an earlier error) only the options alone are checked.
  return weights ? unsupportedInitializer(layer, weights) : undefined;
}

/** tfjs' orthogonal and identity initializers throw on weights they cannot fill (at build time, in the generated code). */
function unsupportedInitializer(layer: LayerIR, weights: readonly WeightInfo[]): { option: string; message: string } | undefined {
  for (const [option, value] of Object.entries(layer.args)) {
    if (!option.endsWith('Initializer')) continue;
    const type = typeof value === 'string' ? value : (value as { type?: string }).type;
    const name = option.slice(0, -'Initializer'.length).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    // A layer with several kernels (selfAttention's query_kernel, key_kernel, ...) fills each with the one initializer.
    const filled = weights.find((w) => w.name === name || w.name.endsWith(`_${name}`));
    if (!filled) continue;
    const { shape } = filled;
    if (type === 'orthogonal' && shape.length < 2) return { option, message: `the orthogonal initializer needs a weight of rank 2 or more; '${filled.name}' has shape [${shape.join(', ')}]` };
    if (type === 'identity' && (shape.length !== 2 || shape[0] !== shape[1])) {
      return { option, message: `the identity initializer needs a square 2D weight; '${filled.name}' has shape [${shape.join(', ')}]` };
    }
  }
  return undefined;
}
