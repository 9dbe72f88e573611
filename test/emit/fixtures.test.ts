/**
 * Golden modules: every spec in test/fixtures/emit/ compiles to exactly the
 * committed `.ts` beside it, and that module, run on the tfjs cpu backend,
 * builds models that agree with what netspec inferred: shapes, weights,
 * parameter counts and the options the spec chose.
 *
 * To regenerate the goldens after an intended change to emit, run
 * `NETSPEC_UPDATE_FIXTURES=1 npx vitest run test/emit/fixtures.test.ts`
 * and read the diff before committing it.
 */
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { unifiedDiff } from '../../src/cli/diff.js';
import { factoryOf } from '../../src/emit/layer-call.js';
import { frozenModels } from '../../src/emit/sub-model.js';
import { compile } from '../../src/index.js';
import { inferModel } from '../../src/infer/infer-shapes.js';
import type { LayerShapes, ModelShapes, Shape, SourceFile, Value } from '../../src/ir.js';

const dir = fileURLToPath(new URL('../fixtures/emit/', import.meta.url));
const update = process.env['NETSPEC_UPDATE_FIXTURES'] === '1';

function stems(ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => f.slice(0, -ext.length))
    .sort();
}

const specStems = stems('.yaml');
const goldenStems = stems('.ts');
const specPath = (stem: string) => `test/fixtures/emit/${stem}.yaml`;
const sources: SourceFile[] = specStems.map((stem) => ({ path: specPath(stem), text: readFileSync(join(dir, `${stem}.yaml`), 'utf8') }));
const result = compile(sources);

function moduleText(stem: string): string {
  const index = result.specs.findIndex((s) => s.file === specPath(stem));
  const text = result.modules[index]?.text;
  if (text === undefined) throw new Error(`no module for ${specPath(stem)}`);
  return text;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('golden text', () => {
  test('every fixture compiles without errors (lint warnings are expected: the fixtures cover odd configurations on purpose)', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.span?.file}: ${d.code} ${d.message}`)).toEqual([]);
    expect(result.modules).toHaveLength(specStems.length);
  });

  test('every spec has a golden module and every golden module a spec', () => {
    expect({ specsWithoutGolden: specStems.filter((s) => !goldenStems.includes(s)), goldensWithoutSpec: goldenStems.filter((s) => !specStems.includes(s)) }).toEqual({
      specsWithoutGolden: [],
      goldensWithoutSpec: [],
    });
    expect(specStems.length).toBeGreaterThanOrEqual(5);
  });

  test.each(specStems)('%s.ts is exactly what its spec compiles to', (stem) => {
    const golden = join(dir, `${stem}.ts`);
    const got = moduleText(stem);
    if (update) writeFileSync(golden, got);
    const want = readFileSync(golden, 'utf8');
    if (got !== want) expect.fail(`test/fixtures/emit/${stem}.ts is stale:\n${unifiedDiff(want, got, `test/fixtures/emit/${stem}.ts (committed)`, `${stem}.yaml (compiled)`)}`);
  });

  test('compiling twice gives identical text', () => {
    expect(compile(sources).modules).toEqual(result.modules);
  });

  test('a module does not depend on the other specs compiled with it, nor on their order', () => {
    for (const source of sources) expect(compile([source]).modules.map((m) => m.text)).toEqual([moduleText(source.path.replace(/^.*\/|\.yaml$/g, ''))]);
    const reversed = compile([...sources].reverse());
    expect(reversed.modules.map((m) => m.text).sort()).toEqual(result.modules.map((m) => m.text).sort());
  });
});

/** Every fixture model, as `["<stem> <model>", stem, shapes]`, and every layer of them. */
const models: [string, string, ModelShapes][] = result.models.map((m) => {
  const stem = m.file.replace(/^.*\/|\.yaml$/g, '');
  return [`${stem} ${m.model.name}`, stem, m];
});
const allLayers = result.models.flatMap((m) => m.layers);
/** Models used frozen inside others: their batch normalizations are the runtime's. */
const frozen = frozenModels(result.models);
/** How a layer of `m` is built, as emit decides it. */
const factoryIn = (m: ModelShapes, l: LayerShapes) => factoryOf(l, frozen.has(m.model.name));

describe('the fixtures cover', () => {
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/netspec.schema.json', import.meta.url)), 'utf8')) as {
    $defs: Record<string, { oneOf?: { $ref: string }[]; enum?: string[]; properties?: Record<string, unknown> }>;
  };
  const def = (name: string) => schema.$defs[name]!;
  const refName = (r: { $ref: string }) => r.$ref.split('/').pop()!;
  // A branch's def is named after its type, but for `type: model` (`modelLayer`).
  const layerTypes = def('layer').oneOf!.map((r) => (def(refName(r)).properties?.['type'] as { const: string }).const);
  const values = (pattern: RegExp): Value[] => allLayers.flatMap((l) => Object.entries(l.layer.args).filter(([k]) => pattern.test(k)).map(([, v]) => v));
  const forms = (pattern: RegExp) => new Set(values(pattern).map((v) => JSON.stringify(typeof v === 'string' ? v : Object.keys(v as object).sort())));
  const has = (type: string, test: (args: Record<string, Value>) => boolean) => allLayers.some((l) => l.layer.type === type && test(l.layer.args));

  test('every layer type of the schema', () => {
    const used = new Set(allLayers.map((l) => l.layer.type));
    expect(layerTypes.filter((t) => !used.has(t))).toEqual([]);
    expect(layerTypes.length).toBeGreaterThanOrEqual(37);
  });

  test('every initializer, by name and as an object', () => {
    const names = def('initializerName').enum!;
    const used = values(/Initializer$/);
    const byName = new Set(used.filter((v) => typeof v === 'string'));
    const byObject = new Set(used.filter((v) => typeof v === 'object').map((v) => (v as { type: string }).type));
    expect({ missingNames: names.filter((n) => !byName.has(n)), missingObjects: names.filter((n) => !byObject.has(n)) }).toEqual({ missingNames: [], missingObjects: [] });
  });

  test('every regularizer form', () => {
    expect([...forms(/Regularizer$/)].sort()).toEqual(['"l1"', '"l1l2"', '"l2"', '["l1","l2"]', '["l1"]', '["l2"]'].sort());
  });

  test('every constraint, by name and as an object', () => {
    const names = def('constraintName').enum!;
    const used = values(/Constraint$/);
    expect(names.filter((n) => !used.includes(n))).toEqual([]);
    expect(names.filter((n) => !used.some((v) => typeof v === 'object' && (v as { type: string }).type === n))).toEqual([]);
  });

  test('channelsFirst on every layer type that has dataFormat, except the ones netspec rejects', () => {
    const withFormat = layerTypes.filter((t) => t !== 'model' && def(t).properties?.['dataFormat'] !== undefined);
    expect(withFormat.filter((t) => !has(t, (a) => a['dataFormat'] === 'channelsFirst'))).toEqual([]);
    expect(allLayers.some((l) => l.layer.args['dataFormat'] === 'channelsFirst' && factoryOf(l).source === 'runtime')).toBe(true);
  });

  test('every runtime factory, and every reason a conv2dTranspose goes to the runtime', () => {
    const runtime = new Set(allLayers.filter((l) => factoryOf(l).source === 'runtime').map((l) => l.layer.type));
    expect([...runtime].sort()).toEqual(
      [
        'batchNormalization',
        'conv1dTranspose',
        'conv2dTranspose',
        'conv3dTranspose',
        'cropping1d',
        'cropping2d',
        'cropping3d',
        'upSampling1d',
        'upSampling2d',
        'upSampling3d',
        'zeroPadding1d',
        'zeroPadding3d',
        'reflectionPadding1d',
        'reflectionPadding2d',
        'reflectionPadding3d',
        'conv1d',
        'conv2d',
        'conv3d',
        'maxPooling1d',
        'maxPooling2d',
        'maxPooling3d',
        'averagePooling1d',
        'averagePooling2d',
        'averagePooling3d',
        'softmax',
        'elu',
        'depthToSpace',
        'spaceToDepth',
        'pixelShuffle',
        'prelu',
        'embedding',
        'groupNormalization',
        'instanceNormalization',
        'pixelNormalization',
        'layerNormalization',
        'dense',
        'minibatchStdDev',
        'selfAttention',
        'globalAveragePooling1d',
        'globalAveragePooling2d',
        'globalAveragePooling3d',
        'globalMaxPooling1d',
        'globalMaxPooling2d',
        'globalMaxPooling3d',
        'subtract',
        'maximum',
        'minimum',
        'depthwiseConv2d',
        'separableConv1d',
        'separableConv2d',
        'gaussianNoise',
        'gaussianDropout',
        'spatialDropout1d',
        'spatialDropout2d',
        'spatialDropout3d',
      ].sort(),
    );
    const reasons: [string, (a: Record<string, Value>) => boolean][] = [
      ['outputPadding', (a) => a['outputPadding'] !== undefined],
      ['dilationRate', (a) => a['dilationRate'] !== undefined],
      ['outputShape', (a) => a['outputShape'] !== undefined],
      ['explicit padding', (a) => Array.isArray(a['padding'])],
      ['activityRegularizer', (a) => a['activityRegularizer'] !== undefined],
    ];
    expect(reasons.filter(([, test]) => !has('conv2dTranspose', test)).map(([name]) => name)).toEqual([]);
    expect(has('conv2dTranspose', (a) => a['padding'] === 'valid') && has('conv2dTranspose', (a) => a['padding'] === 'same')).toBe(true);
  });

  test('inputs with a batch size and with unknown dims, several outputs and inputs, reserved ids, frozen layers', () => {
    const inputs = result.models.flatMap((m) => m.model.inputs);
    expect(inputs.some((i) => i.batchSize !== null)).toBe(true);
    expect(inputs.some((i) => i.shape.includes(null))).toBe(true);
    expect(inputs.some((i) => i.dtype === 'int32')).toBe(true);
    expect(result.models.some((m) => m.outputs.length > 2 && m.inputs.length > 2)).toBe(true);
    expect(allLayers.map((l) => l.layer.id)).toEqual(expect.arrayContaining(['default', 'default_', 'tf', 'model', 'inputs', 'outputs', 'upSampling1d']));
    expect(allLayers.filter((l) => l.layer.args['trainable'] === false).map((l) => factoryOf(l).source).sort()).toEqual(expect.arrayContaining(['runtime', 'tf']));
  });
});

/** tfjs class of every layer type when tfjs builds it, and of the runtime layers. */
const nativeClass: Readonly<Record<string, string>> = {
  dense: 'Dense',
  prelu: 'PReLU',
  reshape: 'Reshape',
  repeatVector: 'RepeatVector',
  permute: 'Permute',
  flatten: 'Flatten',
  conv1d: 'Conv1D',
  conv2d: 'Conv2D',
  conv3d: 'Conv3D',
  conv2dTranspose: 'Conv2DTranspose',
  upSampling2d: 'UpSampling2D',
  zeroPadding2d: 'ZeroPadding2D',
  cropping2d: 'Cropping2D',
  maxPooling1d: 'MaxPooling1D',
  maxPooling2d: 'MaxPooling2D',
  maxPooling3d: 'MaxPooling3D',
  averagePooling1d: 'AveragePooling1D',
  averagePooling2d: 'AveragePooling2D',
  averagePooling3d: 'AveragePooling3D',
  globalAveragePooling1d: 'GlobalAveragePooling1D',
  globalAveragePooling2d: 'GlobalAveragePooling2D',
  globalMaxPooling1d: 'GlobalMaxPooling1D',
  globalMaxPooling2d: 'GlobalMaxPooling2D',
  batchNormalization: 'BatchNormalization',
  layerNormalization: 'LayerNormalization',
  activation: 'Activation',
  leakyReLU: 'LeakyReLU',
  reLU: 'ReLU',
  elu: 'ELU',
  softmax: 'Softmax',
  dropout: 'Dropout',
  gaussianNoise: 'GaussianNoise',
  gaussianDropout: 'GaussianDropout',
  spatialDropout1d: 'SpatialDropout1D',
  concatenate: 'Concatenate',
  add: 'Add',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
};

function runtimeClass(type: string): string {
  if (type.startsWith('global')) return 'NetspecGlobalPooling';
  if (type.endsWith('Transpose')) return 'NetspecConvTranspose';
  if (type === 'batchNormalization') return 'NetspecBatchNormalization';
  if (type === 'layerNormalization') return 'NetspecLayerNormalization';
  if (type.startsWith('upSampling')) return 'NetspecUpSampling';
  if (type.startsWith('zeroPadding')) return 'NetspecZeroPadding';
  if (type.startsWith('reflectionPadding')) return 'NetspecReflectionPadding';
  if (/^conv[123]d$/.test(type)) return 'NetspecConv';
  if (/Pooling[123]d$/.test(type)) return 'NetspecPooling';
  if (type === 'softmax') return 'NetspecSoftmax';
  if (type === 'elu') return 'NetspecElu';
  if (type === 'depthwiseConv2d') return 'NetspecDepthwiseConv';
  if (type.startsWith('separableConv')) return 'NetspecSeparableConv';
  if (type.startsWith('spatialDropout')) return 'NetspecSpatialDropout';
  if (type === 'gaussianNoise') return 'NetspecGaussianNoise';
  if (type === 'gaussianDropout') return 'NetspecGaussianDropout';
  if (type === 'dense') return 'NetspecDense';
  const others: Readonly<Record<string, string>> = {
    depthToSpace: 'NetspecDepthToSpace',
    spaceToDepth: 'NetspecSpaceToDepth',
    pixelShuffle: 'NetspecPixelShuffle',
    prelu: 'NetspecPReLU',
    embedding: 'NetspecEmbedding',
    groupNormalization: 'NetspecGroupNormalization',
    instanceNormalization: 'NetspecInstanceNormalization',
    pixelNormalization: 'NetspecPixelNormalization',
    minibatchStdDev: 'NetspecMinibatchStdDev',
    selfAttention: 'NetspecSelfAttention',
    subtract: 'NetspecSubtract',
    maximum: 'NetspecMaximum',
    minimum: 'NetspecMinimum',
  };
  return others[type] ?? 'NetspecCropping';
}

/** The number of spatial axes a layer type works on: `conv2dTranspose` -> 2. */
function spatialRank(type: string): number {
  return Number(/([123])d/i.exec(type)?.[1] ?? 1);
}

const tupleOptions = new Set(['kernelSize', 'strides', 'dilationRate', 'poolSize', 'size']);

/** `[begin, end]` per axis from the spec's int / ints / pairs forms, written independently of src/infer. */
function pairs(value: Value | undefined, rank: number, fallback: number): number[][] {
  if (value === undefined) return Array.from({ length: rank }, () => [fallback, fallback]);
  if (typeof value === 'number') return Array.from({ length: rank }, () => [value, value]);
  return (value as (number | number[])[]).map((v) => (typeof v === 'number' ? [v, v] : v));
}

/** How tfjs serializes the initializers netspec writes. */
const varianceScalingOf: Readonly<Record<string, object>> = {
  varianceScaling: {},
  glorotUniform: { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
  glorotNormal: { scale: 1, mode: 'fanAvg', distribution: 'normal' },
  heNormal: { scale: 2, mode: 'fanIn', distribution: 'normal' },
  heUniform: { scale: 2, mode: 'fanIn', distribution: 'uniform' },
  leCunNormal: { scale: 1, mode: 'fanIn', distribution: 'normal' },
  leCunUniform: { scale: 1, mode: 'fanIn', distribution: 'uniform' },
};

function initializerConfig(value: Value): object {
  const { type, ...given } = typeof value === 'string' ? { type: value } : (value as { type: string });
  if (type in varianceScalingOf) return { className: 'VarianceScaling', config: { ...varianceScalingOf[type], ...given } };
  // Keras' Constant defaults to 0 when the spec gives no value.
  const config = type === 'constant' ? { value: 0, ...given } : given;
  return { className: type.charAt(0).toUpperCase() + type.slice(1), config };
}

function regularizerConfig(value: Value): object {
  const l1l2 = typeof value === 'string' ? { l1: value.includes('l1') ? 0.01 : 0, l2: value.endsWith('l2') ? 0.01 : 0 } : { l1: 0, l2: 0, ...(value as object) };
  return { className: 'L1L2', config: l1l2 };
}

function constraintConfig(value: Value): object {
  const { type, ...given } = typeof value === 'string' ? { type: value } : (value as { type: string });
  return { className: type.charAt(0).toUpperCase() + type.slice(1), config: given };
}

/** What `getConfig()` of the tfjs layer must show for the options the spec set. */
function expectedNativeConfig(l: LayerShapes): Record<string, unknown> {
  const { type, args, id } = l.layer;
  const rank = spatialRank(type);
  const want: Record<string, unknown> = { name: id, trainable: args['trainable'] ?? true };
  for (const [option, value] of Object.entries(args)) {
    // tfjs records a dtype only on input layers; float32, the only one the schema allows, is what every layer computes in.
    if (['inputShape', 'batchInputShape', 'batchSize', 'inputLength', 'dtype'].includes(option)) continue;
    // A native convolution pads nothing or with zeros; tfjs has no paddingMode to record.
    if (option === 'paddingMode') continue;
    // A reparametrization turned off is no option of tfjs' layer.
    if (['spectralNormalization', 'weightNormalization', 'equalizedLearningRate'].includes(option)) continue;
    // tfjs' global pooling has no keepdims (false when native) and, in 1D, no dataFormat (channelsLast when native).
    if (type.startsWith('global') && (option === 'keepdims' || (option === 'dataFormat' && rank === 1))) continue;
    if (option.endsWith('Initializer')) want[option] = initializerConfig(value);
    else if (option.endsWith('Regularizer')) want[option] = regularizerConfig(value);
    else if (option.endsWith('Constraint')) want[option] = constraintConfig(value);
    else if (tupleOptions.has(option) && typeof value === 'number') want[option] = Array.from({ length: rank }, () => value);
    else if ((type === 'zeroPadding2d' && option === 'padding') || (type === 'cropping2d' && option === 'cropping')) want[option] = pairs(value, rank, 0);
    else if (type === 'concatenate' && option === 'axis') want[option] = (value as number) < 0 ? l.inputShapes[0]!.length + (value as number) : value;
    // tfjs keeps an inferred target dim as null.
    else if (type === 'reshape' && option === 'targetShape') want[option] = l.outputShape.slice(1).includes(null) ? (value as number[]).map((d) => (d === -1 ? null : d)) : l.outputShape.slice(1);
    // tfjs keeps prelu's sharedAxes as a list.
    else if (type === 'prelu' && option === 'sharedAxes') want[option] = [value].flat();
    // tfjs keeps layerNormalization axes as non-negative ones.
    else if (type === 'layerNormalization' && option === 'axis') want[option] = [value].flat().map((a) => ((a as number) < 0 ? l.inputShapes[0]!.length + (a as number) : a));
    else want[option] = value;
  }
  if (type === 'softmax') want['axis'] = -1;
  if (type === 'concatenate' && args['axis'] === undefined) want['axis'] = l.inputShapes[0]!.length - 1;
  if (type === 'cropping2d' && args['cropping'] === undefined) want['cropping'] = pairs(0, 2, 0);
  return want;
}

/** Runtime layers keep the spec's options verbatim as their config. */
function expectedRuntimeConfig(l: LayerShapes): Record<string, unknown> {
  const want: Record<string, unknown> = { name: l.layer.id };
  for (const [option, value] of Object.entries(l.layer.args)) if (!['inputShape', 'batchInputShape', 'batchSize', 'inputLength'].includes(option)) want[option] = value;
  return want;
}

/** The weight an initializer option fills, as netspec's inference names it. */
const initializedWeight: Readonly<Record<string, string>> = {
  kernelInitializer: 'kernel',
  biasInitializer: 'bias',
  gammaInitializer: 'gamma',
  betaInitializer: 'beta',
  movingMeanInitializer: 'moving_mean',
  movingVarianceInitializer: 'moving_variance',
  alphaInitializer: 'alpha',
  embeddingsInitializer: 'embeddings',
  depthwiseInitializer: 'depthwise_kernel',
  pointwiseInitializer: 'pointwise_kernel',
};

/** Values a deterministic initializer must produce, or undefined for random ones. */
function initialValues(value: Value, shape: readonly number[]): number[] | undefined {
  const { type, ...config } = typeof value === 'string' ? { type: value } : (value as { type: string; value?: number; gain?: number });
  const size = shape.reduce((a, b) => a * b, 1);
  if (type === 'zeros' || type === 'ones') return new Array<number>(size).fill(type === 'ones' ? 1 : 0);
  if (type === 'constant') return new Array<number>(size).fill((config as { value?: number }).value ?? 0);
  if (type === 'identity') return Array.from({ length: size }, (_, k) => (Math.floor(k / shape[1]!) === k % shape[1]! ? ((config as { gain?: number }).gain ?? 1) : 0));
  return undefined;
}

const baseName = (w: tf.LayerVariable) => w.originalName.split('/').pop()!;
const weightRows = (ws: readonly { name: string; shape: readonly (number | null)[]; trainable: boolean }[]) =>
  ws.map((w) => `${w.name} [${w.shape.join(', ')}]${w.trainable ? '' : ' frozen'}`).sort();

/**
 * A layer's output shape in `model`. A model used as a layer has a node in its
 * own graph and one in the composite's; where a fixed batch makes them differ,
 * tfjs' `outputShape` throws, and the composite's node (the latest) is the one.
 */
function outputShapeIn(built: tf.layers.Layer): unknown {
  try {
    return built.outputShape;
  } catch {
    const shapes = built.inboundNodes[built.inboundNodes.length - 1]!.outputShapes;
    return Array.isArray(shapes[0]) && shapes.length === 1 ? shapes[0] : shapes;
  }
}

/** tfjs saves no `trainable` for a model used as a layer: frozen means no trainable weights (setTrainable freezes each layer inside). */
function trainableIn(built: tf.layers.Layer): boolean {
  return built instanceof tf.LayersModel ? built.trainableWeights.length > 0 : built.trainable;
}

/** Unknown dims become 4 and an unknown batch the model's fixed batch or 2. */
function concrete(shape: Shape, batch: number): number[] {
  return shape.map((d, a) => (d as number | null) ?? (a === 0 ? batch : 4));
}

function batchOf(m: ModelShapes): number {
  return m.inputs.map((i) => i.shape[0]).find((b): b is number => b !== null) ?? 2;
}

/** Concrete input tensors for a real run, by input id. */
function inputTensors(m: ModelShapes, fill: 0 | 1): tf.Tensor[] {
  const batch = batchOf(m);
  return m.model.inputs.map((i) => tf.fill(concrete([i.batchSize, ...i.shape], batch), fill, i.dtype));
}

/** What netspec infers when the unknown dims of the inputs are the concrete ones a run uses. */
function concreteOutputShapes(m: ModelShapes): Shape[] {
  const batch = batchOf(m);
  const inputs = m.model.inputs.map((i) => ({ ...i, batchSize: batch, shape: concrete([batch, ...i.shape], batch).slice(1) }));
  const subModels = new Map(result.models.filter((other) => other.file === m.file).map((other) => [other.model.name, other]));
  const inferred = inferModel(m.file, { ...m.model, inputs }, subModels);
  expect(inferred.diagnostics).toEqual([]);
  return inferred.value!.outputs.map((o) => o.shape);
}

describe.each(models)('%s', (_, stem, m) => {
  const name = pascal(m.model.name);
  let module: Record<string, unknown>;
  let model: tf.LayersModel;
  const layer = (id: string) => model.getLayer(id);

  beforeAll(async () => {
    module = (await import(`../fixtures/emit/${stem}.ts`)) as Record<string, unknown>;
    model = (module[`build${name}`] as () => tf.LayersModel)();
  });

  test('exported shape tuples are the inferred shapes', () => {
    expect(module[`${m.model.name}InputShapes`]).toEqual(m.inputs.map((i) => i.shape));
    expect(module[`${m.model.name}OutputShapes`]).toEqual(m.outputs.map((o) => o.shape));
  });

  test('model inputs and outputs: names and shapes', () => {
    expect(model.name).toBe(m.model.name);
    expect(model.inputLayers.map((l) => l.name)).toEqual(m.model.inputs.map((i) => i.id));
    expect(model.inputs.map((t) => [t.shape, t.dtype])).toEqual(m.model.inputs.map((i) => [[i.batchSize, ...i.shape], i.dtype]));
    const declared = (m.outputs.length === 1 ? [model.outputShape] : model.outputShape) as Shape[];
    expect(declared).toEqual(m.outputs.map((o) => o.shape));
    expect(model.outputLayers.map((l) => l.name)).toEqual(m.outputs.map((o) => o.name));
  });

  test('every layer: named by its id, built natively or by the runtime as factoryOf says, with the inferred output shape', () => {
    expect(model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name).sort()).toEqual(m.layers.map((l) => l.layer.id).sort());
    for (const l of m.layers) {
      const built = layer(l.layer.id);
      const factory = factoryIn(m, l);
      // A `type: model` layer is a tfjs model, applied as a layer.
      const className = l.layer.type === 'model' ? 'Model' : factory.source === 'tf' ? nativeClass[l.layer.type] : runtimeClass(l.layer.type);
      expect([l.layer.id, built.getClassName(), outputShapeIn(built)]).toEqual([l.layer.id, className, l.outputShape]);
    }
  });

  test('weights: every layer has the inferred weights, and countParams the inferred split', () => {
    for (const l of m.layers) {
      const built = layer(l.layer.id);
      const got = built.weights.map((w) => ({ name: baseName(w), shape: w.shape, trainable: built.trainable && w.trainable }));
      // netspec names the weights of a `type: model` layer `<inner layer id>/<weight>`.
      const want = l.weights.map((w) => ({ ...w, name: w.name.split('/').pop()! }));
      expect([l.layer.id, weightRows(got)]).toEqual([l.layer.id, weightRows(want)]);
    }
    const size = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
    expect(model.countParams()).toBe(m.params.trainable + m.params.nonTrainable);
    expect({ trainable: size(model.trainableWeights), nonTrainable: size(model.nonTrainableWeights) }).toEqual(m.params);
  });

  test('trainable: false layers have no trainable weights', () => {
    for (const l of m.layers.filter((l) => l.layer.args['trainable'] === false)) {
      const built = layer(l.layer.id);
      expect([l.layer.id, built.trainable, built.trainableWeights.length, built.nonTrainableWeights.length]).toEqual([l.layer.id, false, 0, l.weights.length]);
    }
  });

  test('the options of the spec reach tfjs: getConfig of every layer', () => {
    for (const l of m.layers.filter((l) => l.layer.type !== 'model')) {
      // Runtime layers that subclass a tfjs layer take and keep its options, as a native one does.
      const want = factoryIn(m, l).options === 'tfjs' ? expectedNativeConfig(l) : expectedRuntimeConfig(l);
      expect({ id: l.layer.id, config: layer(l.layer.id).getConfig() }).toMatchObject({ id: l.layer.id, config: want });
    }
  });

  test('initializers fill the weights: zeros, ones, constant and identity give exact values', () => {
    for (const l of m.layers) {
      const built = layer(l.layer.id);
      for (const [option, value] of Object.entries(l.layer.args)) {
        const weightName = initializedWeight[option];
        if (!weightName) continue;
        // selfAttention's kernelInitializer fills query_kernel, key_kernel and value_kernel.
        const weight = built.weights.find((w) => baseName(w) === weightName || baseName(w).endsWith(`_${weightName}`));
        expect([l.layer.id, option, weight !== undefined]).toEqual([l.layer.id, option, true]);
        const want = initialValues(value, weight!.shape as number[]);
        if (want) expect([l.layer.id, option, Array.from(weight!.read().dataSync())]).toEqual([l.layer.id, option, want]);
      }
    }
  });

  test('regularizers reach tfjs: one loss per regularized weight and per activity regularizer', () => {
    for (const l of m.layers) {
      const names = new Set(l.weights.map((w) => w.name));
      const wanted = Object.entries(l.layer.args).filter(
        ([option]) => option === 'activityRegularizer' || (option.endsWith('Regularizer') && names.has(initializedWeight[option.replace('Regularizer', 'Initializer')] ?? option.replace('Regularizer', ''))),
      ).length;
      expect([l.layer.id, layer(l.layer.id).losses.length]).toEqual([l.layer.id, wanted]);
    }
  });

  test('predict on zeros: the shapes inferred for the concrete inputs, finite values', () => {
    const outputs = tf.tidy(() => {
      const xs = inputTensors(m, 0);
      const y = model.predict(xs.length === 1 ? xs[0]! : xs);
      return (Array.isArray(y) ? y : [y]).map((t) => ({ shape: t.shape, finite: t.dtype === 'int32' || tf.all(tf.isFinite(t)).dataSync()[0] === 1 }));
    });
    expect(outputs).toEqual(concreteOutputShapes(m).map((shape) => ({ shape, finite: true })));
  });

  test(`run${name}() takes inputs by id and names its outputs`, () => {
    const xs = inputTensors(m, 0);
    const run = module[`run${name}`] as (model: tf.LayersModel, inputs: Record<string, tf.Tensor>) => Record<string, tf.Tensor>;
    const outputs = run(model, Object.fromEntries(m.model.inputs.map((i, k) => [i.id, xs[k]!])));
    expect(Object.entries(outputs).map(([k, t]) => [k, t.shape])).toEqual(m.outputs.map((o, k) => [o.name, concreteOutputShapes(m)[k]]));
    tf.dispose([...xs, ...Object.values(outputs)]);
  });

  test('the model survives toJSON -> modelFromJSON: same layers, same outputs for the same weights', async () => {
    const restored = await tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
    expect(restored.layers.map((l) => [l.name, l.getClassName(), outputShapeIn(l), trainableIn(l)])).toEqual(model.layers.map((l) => [l.name, l.getClassName(), outputShapeIn(l), trainableIn(l)]));
    // setWeights projects through the layers' constraints, so both sides get their weights the same way.
    const fresh = (module[`build${name}`] as () => tf.LayersModel)();
    const weights = model.getWeights();
    fresh.setWeights(weights);
    restored.setWeights(weights);
    const [a, b] = [fresh, restored].map((net) =>
      tf.tidy(() => {
        const xs = inputTensors(m, 1);
        const y = net.predict(xs.length === 1 ? xs[0]! : xs);
        return (Array.isArray(y) ? y : [y]).map((t) => Array.from(t.dataSync()));
      }),
    );
    expect(b).toEqual(a);
  });
});

/** A few options spelled out by hand, independent of the expectation builders above. */
const spotChecks: [string, string, string, (config: tf.serialization.ConfigDict) => unknown, unknown][] = [
  ['initializers', 'dense', 'init_randomNormal', (c) => c['kernelInitializer'], { className: 'RandomNormal', config: { mean: 0.1, stddev: 0.02, seed: 1 } }],
  ['initializers', 'dense', 'init_constant', (c) => c['biasInitializer'], { className: 'Constant', config: { value: 0 } }],
  ['initializers', 'dense', 'init_heUniform', (c) => c['kernelInitializer'], { className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'uniform', seed: 8 } }],
  ['initializers', 'normalization', 'bn', (c) => [c['momentum'], c['epsilon'], c['movingVarianceInitializer']], [0.9, 0.01, { className: 'Constant', config: { value: 2 } }]],
  ['penalties', 'dense', 'reg_objects', (c) => c['biasRegularizer'], { className: 'L1L2', config: { l1: 0.003, l2: 0.004 } }],
  ['penalties', 'dense', 'reg_names', (c) => c['kernelRegularizer'], { className: 'L1L2', config: { l1: 0.01, l2: 0 } }],
  ['penalties', 'dense', 'con_minMaxNorm', (c) => c['kernelConstraint'], { className: 'MinMaxNorm', config: { minValue: 0.1, maxValue: 2, rate: 0.5, axis: 1 } }],
  ['penalties', 'dense', 'frozen', (c) => c['trainable'], false],
  ['penalties', 'image', 'up', (c) => [c['kernelInitializer'], c['activityRegularizer'], c['outputPadding']], [{ type: 'constant', value: 0.125 }, { l2: 0.001 }, 1]],
  ['penalties', 'activity', 'actConv3d', (c) => [c['activityRegularizer'], c['kernelInitializer']], [{ l1: 0.01, l2: 0.02 }, 'heNormal']],
  ['conv-transpose', 'decoder2d', 'explicit', (c) => c['padding'], [[1, 0], [0, 2]]],
  ['conv-transpose', 'decoder2d', 'same', (c) => [c['padding'], c['kernelSize'], c['strides'], c['useBias'], c['activation']], ['same', [3, 2], [2, 1], false, 'tanh']],
  ['graph', 'mixer', 'cols', (c) => c['axis'], 2],
  ['graph', 'mixer', 'probsDefault', (c) => c['axis'], -1],
  ['graph', 'mixer', 'drop', (c) => [c['rate'], c['noiseShape'], c['seed']], [0.25, [null, 1, 1, 2], 3]],
  ['resample', 'image', 'padMixed', (c) => c['padding'], [[1, 1], [0, 2]]],
  ['channels-first', 'image', 'upNative', (c) => c['dataFormat'], 'channelsFirst'],
];

test.each(spotChecks)('%s %s: %s', async (stem, modelName, id, read, want) => {
  const module = (await import(`../fixtures/emit/${stem}.ts`)) as Record<string, () => tf.LayersModel>;
  const model = module[`build${pascal(modelName)}`]!();
  expect(read(model.getLayer(id).getConfig())).toEqual(want);
});

test('regularizers of native and runtime layers, activity included, are losses of the model', async () => {
  const penalties = (await import('../fixtures/emit/penalties.ts')).buildImage();
  // kernel, bias and activity regularizers of `up`; beta and gamma of `bn` and `ln`; the kernel of `conv`.
  expect(penalties.layers.map((l) => l.losses.length).reduce((a, b) => a + b, 0)).toBe(8);
  const decoder = (await import('../fixtures/emit/conv-transpose.ts')).buildDecoder2d();
  tf.tidy(() => {
    // Training mode, as in fit: the activity penalty reads the output of the same step.
    decoder.apply(tf.ones([2, 3, 3, 2]), { training: true });
    expect(decoder.calculateLosses().map((l) => l.dataSync()[0]! > 0)).toEqual([true]);
  });
  // dense and conv1d/2d/3d with an activityRegularizer are the runtime's (tfjs' throw on it): one penalty each, plus actDense's kernel l1.
  const activity = (await import('../fixtures/emit/penalties.ts')).buildActivity();
  expect(activity.layers.filter((l) => l.losses.length > 0).map((l) => [l.name, l.getClassName(), l.losses.length])).toEqual([
    ['actDense', 'NetspecDense', 2],
    ['actConv1d', 'NetspecConv', 1],
    ['actConv2d', 'NetspecConv', 1],
    ['actConv3d', 'NetspecConv', 1],
  ]);
  tf.tidy(() => {
    activity.apply([tf.ones([2, 6, 2]), tf.ones([2, 4, 4, 2]), tf.ones([2, 3, 3, 3, 1])], { training: true });
    expect(activity.calculateLosses().map((l) => l.dataSync()[0]! > 0)).toEqual([true, true, true, true, true]);
  });
});

// tfjs' BatchNormalization reads beta (gamma) in training even with center (scale) false, and throws;
// netspec builds such a layer with the runtime's batchNormalization, which trains.
test('a batchNormalization with center: false can run in training mode', async () => {
  const model = (await import('../fixtures/emit/penalties.ts')).buildImage();
  tf.tidy(() => {
    model.apply(tf.ones([2, 2, 2, 2]), { training: true });
  });
});

// The schema documents glorotUniform (Keras' default) as the default kernel initializer, and the
// runtime layers use it; tfjs' own layers default to glorotNormal, so emit passes glorotUniform.
test('native layers without kernelInitializer start from the documented default, glorotUniform', async () => {
  const unset = result.models.flatMap((m) => m.layers.filter((l) => factoryOf(l).source === 'tf' && l.weights.some((w) => w.name === 'kernel') && l.layer.args['kernelInitializer'] === undefined).map((l) => [m, l] as const));
  expect(unset.length).toBeGreaterThan(0);
  for (const [m, l] of unset) {
    const stem = m.file.replace(/^.*\/|\.yaml$/g, '');
    const module = (await import(`../fixtures/emit/${stem}.ts`)) as Record<string, () => tf.LayersModel>;
    const config = module[`build${pascal(m.model.name)}`]!().getLayer(l.layer.id).getConfig();
    expect([l.layer.id, config['kernelInitializer']]).toMatchObject([l.layer.id, { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } }]);
  }
});
