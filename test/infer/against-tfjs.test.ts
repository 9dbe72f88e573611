/**
 * The independent check: every shape rule against the layer tfjs (or
 * netspec/runtime) actually builds. For each case the layer is made exactly as
 * the generated code makes it (`factoryOf` + `layerConfig`), applied to
 * `tf.input`s and to real tensors, and its output shape and weights are
 * compared with what inference says.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Call, Ident, type Code } from '../../src/emit/code.js';
import { factoryOf, layerConfig } from '../../src/emit/layer-call.js';
import { inferModel } from '../../src/infer/infer-shapes.js';
import type { Args, LayerShapes, WeightInfo } from '../../src/ir.js';
import * as runtime from '../../src/runtime/index.js';
import { input, layer, model } from './helpers.js';

/** Shapes here are concrete or unknown, never symbolic: tfjs builds them as they are. */
type Shape = readonly (number | null)[];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Given {
  readonly type: string;
  readonly args: Args;
  /** Input shapes, batch included. */
  readonly inputs: readonly Shape[];
}

type Case = [string, { given: Given }];

/** A spec value as generated code writes it, turned into the value that code evaluates to. */
function evaluate(code: Code): unknown {
  if (code instanceof Call) {
    const path = code.callee.split('.');
    if (path[0] !== 'tf') throw new Error(`unexpected callee ${code.callee}`);
    const fn = path.slice(1).reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], tf) as (...args: unknown[]) => unknown;
    return fn(...code.args.map(evaluate));
  }
  if (code instanceof Ident) throw new Error(`unexpected identifier ${code.name}`);
  if (Array.isArray(code)) return code.map(evaluate);
  if (code !== null && typeof code === 'object') return Object.fromEntries(Object.entries(code).map(([k, v]) => [k, v === undefined ? undefined : evaluate(v)]));
  return code;
}

let counter = 0;

function layerOf(given: Given) {
  const ids = given.inputs.map((_, i) => `in${i}`);
  return { ids, layer: layer(given.type, given.args, ids, `${given.type}_${++counter}`) };
}

function infer(given: Given): LayerShapes {
  const { ids, layer: l } = layerOf(given);
  const result = inferModel('t.yaml', model(given.inputs.map((s, i) => input(ids[i]!, s.slice(1), s[0] ?? null)), [l]));
  expect(result.diagnostics.map((d) => d.message)).toEqual([]);
  return result.value!.layers[0]!;
}

type Factory = (config: unknown) => tf.layers.Layer;

/** Builds the layer the generated module would build. */
function build(shapes: Pick<LayerShapes, 'layer'>): tf.layers.Layer {
  const factory = factoryOf(shapes as LayerShapes);
  const config = evaluate(layerConfig(shapes as LayerShapes, factory));
  const table = (factory.source === 'tf' ? tf.layers : runtime) as unknown as Record<string, Factory>;
  const make = table[factory.name];
  if (!make) throw new Error(`no factory ${factory.source}.${factory.name}`);
  return make(config);
}

function applyTo(l: tf.layers.Layer, xs: readonly (tf.SymbolicTensor | tf.Tensor)[]): tf.SymbolicTensor | tf.Tensor {
  return l.apply((xs.length === 1 ? xs[0] : xs) as tf.Tensor) as tf.SymbolicTensor | tf.Tensor;
}

const size = (shapes: readonly (readonly number[])[]) => shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
/** A weight's shape; tfjs types it with possibly-unknown dims, but weights are always concrete. */
const known = (w: tf.LayerVariable) => w.shape as number[];
const ruleSize = (weights: readonly WeightInfo[], trainable?: boolean) => size(weights.filter((w) => trainable === undefined || w.trainable === trainable).map((w) => w.shape));

/** Concrete input shapes for a real run: unknown batches become the known batch (or 2); undefined when another dim is unknown. */
function concrete(inputs: readonly Shape[]): { batch: number; shapes: number[][] } | undefined {
  if (inputs.some((s) => s.slice(1).some((d) => d === null))) return undefined;
  const batch = inputs.map((s) => s[0]).find((b) => b !== null && b !== undefined) ?? 2;
  return { batch, shapes: inputs.map((s) => [s[0] ?? batch, ...(s.slice(1) as number[])]) };
}

function compare(given: Given, source: 'tf' | 'runtime'): void {
  const shapes = infer(given);
  expect(factoryOf(shapes as LayerShapes).source).toBe(source);
  const l = build(shapes);
  try {
    const symbolic = applyTo(
      l,
      given.inputs.map((s) => tf.input({ batchShape: [...s] })),
    );
    expect(symbolic.shape).toEqual(shapes.outputShape);
    expect(l.countParams()).toBe(ruleSize(shapes.weights));
    expect(l.weights.map((w) => [w.originalName.split('/').pop(), w.shape])).toEqual(shapes.weights.map((w) => [w.name, w.shape]));
    expect(size(l.trainableWeights.map(known))).toBe(ruleSize(shapes.weights, true));
    expect(size(l.nonTrainableWeights.map(known))).toBe(ruleSize(shapes.weights, false));
    const real = concrete(given.inputs);
    if (real && !shapes.outputShape.slice(1).includes(null)) {
      const xs = real.shapes.map((s) => tf.randomNormal(s));
      const y = applyTo(l, xs) as tf.Tensor;
      expect(y.shape).toEqual([shapes.outputShape[0] ?? real.batch, ...shapes.outputShape.slice(1)]);
      tf.dispose([...xs, y]);
    }
  } finally {
    if (l.built) l.dispose();
  }
}

const name = ({ type, args, inputs }: Given) => `${type} ${JSON.stringify(args)} on ${inputs.map((s) => JSON.stringify(s)).join(' + ')}`;
const cases = (givens: readonly Given[]): Case[] => givens.map((given) => [name(given), { given }]);

/** Every combination of the listed option values; `undefined` leaves an option out. */
function grid(options: Record<string, readonly (Args[string] | undefined)[]>): Args[] {
  let out: Record<string, Args[string]>[] = [{}];
  for (const [key, values] of Object.entries(options)) {
    out = out.flatMap((args) => values.map((v) => (v === undefined ? { ...args } : { ...args, [key]: v })));
  }
  return out;
}

const formats = [undefined, 'channelsFirst'] as const;

/** A channelsLast shape `[batch, ...spatial, channels]`, reordered for channelsFirst. */
function laid(format: string | undefined, batch: number | null, spatial: readonly (number | null)[], channels: number | null): Shape {
  return format === 'channelsFirst' ? [batch, channels, ...spatial] : [batch, ...spatial, channels];
}

const native: Given[] = [];
const viaRuntime: Given[] = [];

// dense
for (const inputShape of [[null, 7], [3, 7], [null, 4, 7], [null, 2, 3, 7]] as Shape[]) {
  for (const args of grid({ units: [1, 5], useBias: [undefined, false] })) native.push({ type: 'dense', args, inputs: [inputShape] });
}
native.push(
  { type: 'dense', args: { units: 4, activation: 'relu', kernelInitializer: { type: 'randomNormal', stddev: 0.02 }, biasInitializer: 'ones', kernelRegularizer: 'l2', biasConstraint: 'nonNeg' }, inputs: [[null, 6]] },
  { type: 'dense', args: { units: 3, trainable: false }, inputs: [[null, 6]] },
  { type: 'dense', args: { units: 3, inputShape: [6] }, inputs: [[null, 6]] },
);

// reshape (with a known batch wherever -1 is used: see the tfjs deviations below) and flatten
for (const [from, targetShape] of [
  [[null, 24], [2, 3, 4]],
  [[null, 2, 3, 4], [24]],
  [[null, 4, 4, 8], [16, 8]],
  [[null, null, 8], [-1, 4]],
  [[null, null, 8], [2, 4]],
  [[2, 24], [-1, 4]],
  [[2, 2, 3, 4], [-1]],
  [[3, 2, 3, 4], [6, -1]],
  [[1, 4, 4, 8], [4, -1, 2]],
] as [Shape, number[]][]) {
  native.push({ type: 'reshape', args: { targetShape }, inputs: [from] });
}
for (const from of [[null, 3, 4], [null, 2, 3, 4], [5, 2, 2, 2, 2]] as Shape[]) {
  for (const dataFormat of formats) native.push({ type: 'flatten', args: dataFormat ? { dataFormat } : {}, inputs: [from] });
}

// convolutions
for (const args of grid({ filters: [2], kernelSize: [1, 2, 3, [2, 3]], strides: [undefined, 2, [1, 2]], padding: [undefined, 'same'], dataFormat: formats })) {
  native.push({ type: 'conv2d', args, inputs: [laid(args['dataFormat'] as string, null, [7, 8], 3)] });
}
for (const args of grid({ filters: [3], kernelSize: [2, 3], dilationRate: [2, [1, 3]], padding: [undefined, 'same'], dataFormat: formats })) {
  native.push({ type: 'conv2d', args, inputs: [laid(args['dataFormat'] as string, null, [9, 8], 2)] });
}
native.push(
  { type: 'conv2d', args: { filters: 4, kernelSize: 3, useBias: false, padding: 'same' }, inputs: [[null, null, null, 3]] },
  { type: 'conv2d', args: { filters: 4, kernelSize: 3, kernelInitializer: 'heNormal', kernelConstraint: { type: 'maxNorm', maxValue: 2 } }, inputs: [[4, 6, 6, 1]] },
);
for (const args of grid({ filters: [2], kernelSize: [1, 3, 5], strides: [undefined, 2, 3], padding: [undefined, 'same'] })) native.push({ type: 'conv1d', args, inputs: [[null, 11, 4]] });
for (const args of grid({ filters: [2], kernelSize: [2, 3], dilationRate: [2, 3], padding: [undefined, 'same'] })) native.push({ type: 'conv1d', args, inputs: [[null, 12, 2]] });
for (const args of grid({ filters: [2], kernelSize: [1, 2, [1, 2, 3]], strides: [undefined, 2], padding: [undefined, 'same'], dataFormat: formats })) {
  native.push({ type: 'conv3d', args, inputs: [laid(args['dataFormat'] as string, null, [4, 5, 6], 2)] });
}
native.push({ type: 'conv3d', args: { filters: 2, kernelSize: 2, dilationRate: 2 }, inputs: [[null, 4, 5, 6, 1]] });

// conv2dTranspose: native where tfjs computes the spec exactly (valid/same, no outputPadding, dilation or outputShape)
for (const args of grid({ filters: [3], kernelSize: [1, 2, 3, 4, 5, [3, 2]], strides: [undefined, 2, 3, [2, 1]], padding: [undefined, 'same'], dataFormat: formats })) {
  native.push({ type: 'conv2dTranspose', args, inputs: [laid(args['dataFormat'] as string, null, [4, 5], 2)] });
}
native.push(
  { type: 'conv2dTranspose', args: { filters: 8, kernelSize: 5, strides: 2, padding: 'same', useBias: false }, inputs: [[null, 4, 4, 16]] },
  { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', dilationRate: 1 }, inputs: [[null, null, 5, 3]] },
  { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 4, strides: 2, trainable: false }, inputs: [[2, 3, 3, 1]] },
);

// transposed convolutions netspec builds itself
for (const args of grid({ filters: [2], kernelSize: [2, 3, [4, 3]], strides: [[2, 3]], padding: [undefined, 'same', [[1, 0], [0, 2]]], outputPadding: [[1, 2], [0, 0]] })) {
  viaRuntime.push({ type: 'conv2dTranspose', args, inputs: [[null, 3, 4, 2]] });
}
for (const args of grid({ filters: [2], kernelSize: [2, 3], dilationRate: [2, [1, 3]], padding: [undefined, 'same', [[2, 1], [0, 1]]], dataFormat: formats })) {
  viaRuntime.push({ type: 'conv2dTranspose', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4], 2)] });
}
for (const [padding, outputShape] of [
  [undefined, [9, 10]],
  [undefined, [10, 9]],
  ['same', [7, 8]],
  ['same', [8, 7]],
  [[[1, 1], [0, 0]], [7, 10]],
] as [Args[string] | undefined, number[]][]) {
  viaRuntime.push({ type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, outputShape, ...(padding ? { padding } : {}) }, inputs: [[null, 4, 4, 3]] });
}
viaRuntime.push(
  { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, dataFormat: 'channelsFirst', useBias: false }, inputs: [[null, 3, 4, 4]] },
  { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, padding: [[1, 1], [1, 1]], trainable: false }, inputs: [[1, 4, 4, 3]] },
  { type: 'conv2dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, outputPadding: 1 }, inputs: [[null, null, 4, 3]] },
);
for (const args of grid({ filters: [2], kernelSize: [1, 3, 4], strides: [undefined, 2, 3], padding: [undefined, 'same', [[1, 2]]], dataFormat: formats })) {
  viaRuntime.push({ type: 'conv1dTranspose', args, inputs: [laid(args['dataFormat'] as string, null, [5], 3)] });
}
viaRuntime.push(
  { type: 'conv1dTranspose', args: { filters: 2, kernelSize: 3, strides: 3, outputPadding: 2 }, inputs: [[null, 5, 1]] },
  { type: 'conv1dTranspose', args: { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', outputPadding: 0 }, inputs: [[null, 5, 1]] },
  { type: 'conv1dTranspose', args: { filters: 2, kernelSize: 3, strides: 2, outputShape: [12] }, inputs: [[null, 5, 1]] },
);
for (const args of grid({ filters: [2], kernelSize: [2, [1, 2, 3]], strides: [undefined, [2, 1, 2]], padding: [undefined, 'same'], dataFormat: formats })) {
  viaRuntime.push({ type: 'conv3dTranspose', args, inputs: [laid(args['dataFormat'] as string, null, [2, 3, 2], 2)] });
}
viaRuntime.push(
  { type: 'conv3dTranspose', args: { filters: 1, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [1, 0, 1] }, inputs: [[null, 2, 2, 2, 1]] },
  { type: 'conv3dTranspose', args: { filters: 1, kernelSize: 2, dilationRate: 2, padding: [[1, 0], [0, 0], [0, 1]] }, inputs: [[null, 2, 3, 2, 1]] },
);

// pooling
for (const type of ['maxPooling2d', 'averagePooling2d']) {
  for (const args of grid({ poolSize: [undefined, 3, [2, 3]], strides: [undefined, 1, 2], padding: [undefined, 'same'], dataFormat: formats })) {
    native.push({ type, args, inputs: [laid(args['dataFormat'] as string, null, [7, 8], 2)] });
  }
}
for (const type of ['maxPooling1d', 'averagePooling1d']) {
  for (const args of grid({ poolSize: [undefined, 3, [4]], strides: [undefined, 1, 2], padding: [undefined, 'same'] })) native.push({ type, args, inputs: [[null, 9, 2]] });
}
for (const type of ['maxPooling3d', 'averagePooling3d']) {
  for (const args of grid({ poolSize: [undefined, [1, 2, 3]], strides: [undefined, 1], padding: [undefined, 'same'], dataFormat: formats })) {
    native.push({ type, args, inputs: [laid(args['dataFormat'] as string, null, [4, 5, 6], 2)] });
  }
}
native.push(
  { type: 'maxPooling2d', args: {}, inputs: [[null, null, 6, 2]] },
  { type: 'globalAveragePooling1d', args: {}, inputs: [[null, 10, 4]] },
  { type: 'globalAveragePooling1d', args: {}, inputs: [[null, null, 4]] },
  { type: 'globalAveragePooling2d', args: {}, inputs: [[null, 7, 7, 16]] },
  { type: 'globalAveragePooling2d', args: { dataFormat: 'channelsFirst' }, inputs: [[null, 16, 7, 7]] },
  { type: 'globalAveragePooling2d', args: {}, inputs: [[3, null, null, 5]] },
);
native.push(
  { type: 'globalMaxPooling1d', args: {}, inputs: [[null, 10, 4]] },
  { type: 'globalMaxPooling1d', args: { dataFormat: 'channelsLast', keepdims: false }, inputs: [[null, null, 4]] },
  { type: 'globalMaxPooling2d', args: {}, inputs: [[null, 7, 7, 16]] },
  { type: 'globalMaxPooling2d', args: { dataFormat: 'channelsFirst' }, inputs: [[null, 16, 7, 7]] },
  { type: 'globalAveragePooling2d', args: { keepdims: false }, inputs: [[2, null, null, 5]] },
);
for (const type of ['globalAveragePooling', 'globalMaxPooling']) {
  for (const args of grid({ dataFormat: formats, keepdims: [undefined, true] })) {
    for (const rank of [1, 2, 3]) {
      // tfjs' own layers where they are exact (see src/emit/layer-call.ts); the runtime's for the rest.
      const nativeCase = args['keepdims'] === undefined && (rank === 2 || (rank === 1 && args['dataFormat'] === undefined));
      if (!nativeCase) viaRuntime.push({ type: `${type}${rank}d`, args, inputs: [laid(args['dataFormat'] as string, null, [2, 3, 4].slice(0, rank), 3)] });
    }
  }
}
viaRuntime.push({ type: 'globalMaxPooling3d', args: {}, inputs: [[null, null, null, null, 2]] });

// depthwise and separable: always the runtime (test/runtime/depthwise.test.ts shows why)
for (const args of grid({ kernelSize: [3, [2, 3]], strides: [undefined, 2], padding: [undefined, 'same'], depthMultiplier: [undefined, 2], dataFormat: formats })) {
  viaRuntime.push({ type: 'depthwiseConv2d', args, inputs: [laid(args['dataFormat'] as string, null, [5, 6], 3)] });
  viaRuntime.push({ type: 'separableConv2d', args: { ...args, filters: 4 }, inputs: [laid(args['dataFormat'] as string, null, [5, 6], 3)] });
}
for (const args of grid({ kernelSize: [3], dilationRate: [undefined, 2], padding: [undefined, 'same'], useBias: [undefined, false], depthMultiplier: [undefined, 3] })) {
  viaRuntime.push({ type: 'depthwiseConv2d', args, inputs: [[null, 7, 8, 2]] });
  viaRuntime.push({ type: 'separableConv1d', args: { ...args, filters: 5 }, inputs: [[null, 9, 2]] });
}
viaRuntime.push({ type: 'depthwiseConv2d', args: { kernelSize: 3 }, inputs: [[null, null, null, 4]] }, { type: 'separableConv1d', args: { filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' }, inputs: [[null, 3, 7]] });

// noise: tfjs' own unseeded, the runtime's seeded and for spatialDropout2d/3d
native.push(
  { type: 'gaussianNoise', args: { stddev: 0.3 }, inputs: [[null, 5, 3]] },
  { type: 'gaussianDropout', args: { rate: 0.4 }, inputs: [[null, 4, 4, 2]] },
  { type: 'spatialDropout1d', args: { rate: 0.4 }, inputs: [[null, 6, 3]] },
);
viaRuntime.push(
  { type: 'gaussianNoise', args: { stddev: 0.3, seed: 1 }, inputs: [[null, 5, 3]] },
  { type: 'gaussianDropout', args: { rate: 0.4, seed: 2 }, inputs: [[null, 7]] },
  { type: 'spatialDropout1d', args: { rate: 0.4, seed: 3 }, inputs: [[null, 6, 3]] },
);
for (const args of grid({ rate: [0, 0.5], dataFormat: formats, seed: [undefined, 4] })) {
  viaRuntime.push({ type: 'spatialDropout2d', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4], 2)] });
  viaRuntime.push({ type: 'spatialDropout3d', args, inputs: [laid(args['dataFormat'] as string, null, [2, 3, 4], 2)] });
}

// resampling
for (const args of grid({ size: [undefined, 3, [2, 3]], dataFormat: formats, interpolation: [undefined, 'nearest'] })) {
  native.push({ type: 'upSampling2d', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4], 2)] });
}
// tfjs' bilinear samples without half-pixel centers: the runtime's (test/runtime/upsampling-bilinear.test.ts).
for (const args of grid({ size: [undefined, 3, [2, 3]], dataFormat: formats, interpolation: ['bilinear'] })) {
  viaRuntime.push({ type: 'upSampling2d', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4], 2)] });
}
for (const args of grid({ padding: [undefined, 0, 2, [1, 2], [[1, 0], [2, 3]], [1, [0, 2]]], dataFormat: formats })) {
  native.push({ type: 'zeroPadding2d', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4], 2)] });
}
for (const args of grid({ cropping: [undefined, 0, 1, [1, 2], [[1, 0], [2, 1]], [0, [1, 2]]], dataFormat: formats })) {
  native.push({ type: 'cropping2d', args, inputs: [laid(args['dataFormat'] as string, null, [6, 7], 2)] });
}
native.push({ type: 'upSampling2d', args: {}, inputs: [[null, null, 4, 2]] }, { type: 'zeroPadding2d', args: { padding: 1 }, inputs: [[null, 4, null, 2]] });
for (const args of grid({ size: [undefined, 3, [2]] })) viaRuntime.push({ type: 'upSampling1d', args, inputs: [[null, 5, 2]] });
for (const args of grid({ size: [undefined, 2, [1, 2, 3]], dataFormat: formats })) viaRuntime.push({ type: 'upSampling3d', args, inputs: [laid(args['dataFormat'] as string, null, [2, 3, 4], 2)] });
for (const args of grid({ padding: [undefined, 2, [1, 3]] })) viaRuntime.push({ type: 'zeroPadding1d', args, inputs: [[null, 5, 2]] });
for (const args of grid({ padding: [undefined, 1, [[1, 0], 2, [0, 3]]], dataFormat: formats })) viaRuntime.push({ type: 'zeroPadding3d', args, inputs: [laid(args['dataFormat'] as string, null, [2, 3, 4], 2)] });
for (const args of grid({ cropping: [undefined, 2, [1, 3]] })) viaRuntime.push({ type: 'cropping1d', args, inputs: [[null, 8, 2]] });
for (const args of grid({ cropping: [undefined, 1, [0, [1, 0], [0, 2]]], dataFormat: formats })) viaRuntime.push({ type: 'cropping3d', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4, 5], 2)] });
viaRuntime.push({ type: 'upSampling3d', args: {}, inputs: [[null, null, 2, 2, 1]] }, { type: 'cropping1d', args: { cropping: 1 }, inputs: [[null, null, 3]] });

// padding family: what tfjs' layers lack (explicit pads, reflection, causal), conv1d channelsFirst
for (const args of grid({ padding: [undefined, 0, 2, [1, 3], [[2, 1]]], dataFormat: formats })) viaRuntime.push({ type: 'reflectionPadding1d', args, inputs: [laid(args['dataFormat'] as string, null, [5], 2)] });
for (const args of grid({ padding: [undefined, 1, [1, 2], [[2, 0], [1, 3]], [1, [0, 2]]], dataFormat: formats })) viaRuntime.push({ type: 'reflectionPadding2d', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4], 2)] });
for (const args of grid({ padding: [undefined, [[1, 0], 2, [0, 1]]], dataFormat: formats })) viaRuntime.push({ type: 'reflectionPadding3d', args, inputs: [laid(args['dataFormat'] as string, null, [2, 3, 4], 2)] });
viaRuntime.push({ type: 'reflectionPadding2d', args: { padding: 2 }, inputs: [[null, null, 4, 2]] });
for (const args of grid({ filters: [2], kernelSize: [2, 3], strides: [undefined, 2], padding: [[[1, 1], [0, 2]], 'same'], paddingMode: ['reflect', undefined], dataFormat: formats })) {
  if (args['padding'] === 'same' && args['paddingMode'] === undefined) continue;
  viaRuntime.push({ type: 'conv2d', args, inputs: [laid(args['dataFormat'] as string, null, [5, 6], 3)] });
}
for (const args of grid({ filters: [2], kernelSize: [1, 3], strides: [undefined, 2], dilationRate: [undefined, 2], padding: ['causal', [[2, 1]]], paddingMode: [undefined, 'reflect'], dataFormat: formats })) {
  if (args['strides'] !== undefined && args['dilationRate'] !== undefined) continue;
  viaRuntime.push({ type: 'conv1d', args, inputs: [laid(args['dataFormat'] as string, null, [9], 4)] });
}
for (const args of grid({ filters: [2], kernelSize: [1, 3, 5], strides: [undefined, 2], padding: [undefined, 'same'] })) viaRuntime.push({ type: 'conv1d', args: { ...args, dataFormat: 'channelsFirst' }, inputs: [[null, 4, 11]] });
for (const args of grid({ filters: [2], kernelSize: [2, [1, 2, 3]], padding: [[[1, 0], [0, 0], [1, 1]], 'same'], paddingMode: ['reflect'], dataFormat: formats })) {
  viaRuntime.push({ type: 'conv3d', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4, 5], 2)] });
}
viaRuntime.push(
  { type: 'conv2d', args: { filters: 2, kernelSize: 3, padding: [[1, 1], [1, 1]], useBias: false, activation: 'relu' }, inputs: [[null, null, null, 3]] },
  { type: 'conv2d', args: { filters: 2, kernelSize: 3, padding: [[1, 1], [1, 1]], trainable: false, kernelInitializer: 'heNormal', kernelConstraint: 'nonNeg' }, inputs: [[2, 4, 4, 1]] },
  { type: 'conv1d', args: { filters: 2, kernelSize: 3, padding: 'causal', activityRegularizer: 'l2' }, inputs: [[null, 6, 1]] },
);
for (const type of ['maxPooling2d', 'averagePooling2d']) {
  for (const args of grid({ poolSize: [2, 3, [2, 3]], strides: [undefined, 1], padding: [[[1, 1], [1, 0]]], dataFormat: formats })) {
    viaRuntime.push({ type, args, inputs: [laid(args['dataFormat'] as string, null, [7, 8], 2)] });
  }
}
for (const type of ['maxPooling1d', 'averagePooling1d']) viaRuntime.push({ type, args: { poolSize: 3, strides: 2, padding: [[1, 1]] }, inputs: [[null, 9, 2]] }, { type, args: { padding: [[0, 1]] }, inputs: [[null, null, 2]] });
for (const type of ['maxPooling3d', 'averagePooling3d']) {
  for (const dataFormat of formats) viaRuntime.push({ type, args: { poolSize: [2, 2, 3], padding: [[1, 0], [0, 1], [1, 1]], ...(dataFormat ? { dataFormat } : {}) }, inputs: [laid(dataFormat, null, [4, 5, 6], 2)] });
}
for (const [axis, shape] of [
  [1, [null, 4, 4, 3]],
  [-2, [null, 4, 3]],
  [2, [2, 3, 4, 5, 6]],
  [-3, [null, 4, 5, 6]],
] as [number, Shape][]) {
  viaRuntime.push({ type: 'softmax', args: { axis }, inputs: [shape] });
}
for (const alpha of [0, 0.5, 2]) viaRuntime.push({ type: 'elu', args: { alpha }, inputs: [[null, 4, 3]] });
// sub-pixel layers, prelu, embedding
for (const args of grid({ blockSize: [2, 3], dataFormat: formats })) viaRuntime.push({ type: 'depthToSpace', args, inputs: [laid(args['dataFormat'] as string, null, [2, 3], 36)] });
for (const args of grid({ blockSize: [2, 3], dataFormat: formats })) viaRuntime.push({ type: 'spaceToDepth', args, inputs: [laid(args['dataFormat'] as string, null, [6, 12], 2)] });
for (const args of grid({ upscaleFactor: [1, 2, 3], dataFormat: formats })) viaRuntime.push({ type: 'pixelShuffle', args, inputs: [laid(args['dataFormat'] as string, 2, [2, 3], 36)] });
viaRuntime.push({ type: 'depthToSpace', args: { blockSize: 2 }, inputs: [[null, null, 3, null]] }, { type: 'spaceToDepth', args: { blockSize: 2 }, inputs: [[null, null, 4, 3]] });
// tfjs' prelu where its op is right on wasm too; the runtime's for the other sharings.
native.push(
  { type: 'prelu', args: {}, inputs: [[null, 4, 5, 3]] },
  { type: 'prelu', args: { sharedAxes: [1, 2] }, inputs: [[null, 4, 5, 3]] },
  { type: 'prelu', args: { sharedAxes: [1, 2], alphaInitializer: 'ones', alphaConstraint: 'nonNeg' }, inputs: [[null, null, null, 3]] },
  { type: 'prelu', args: { sharedAxes: 1 }, inputs: [[3, 6, 2]] },
  { type: 'prelu', args: {}, inputs: [[null, 10]] },
);
viaRuntime.push(
  { type: 'prelu', args: { sharedAxes: 3 }, inputs: [[null, 4, 5, 3]] },
  { type: 'prelu', args: { sharedAxes: [2, 3], alphaRegularizer: 'l2' }, inputs: [[null, 3, 4, 5]] },
  { type: 'prelu', args: { sharedAxes: [2] }, inputs: [[null, 4, null, 3]] },
  // Unknown index lengths: a real run would feed random (negative) indices.
  { type: 'embedding', args: { inputDim: 10, outputDim: 4 }, inputs: [[null, null]] },
  { type: 'embedding', args: { inputDim: 3, outputDim: 2, embeddingsInitializer: 'zeros' }, inputs: [[2, null, null]] },
);

// weight reparametrizations: every kernel layer type with each, as the runtime builds them
const reparametrizations: Args[] = [{ spectralNormalization: true }, { spectralNormalization: { powerIterations: 2 } }, { weightNormalization: true }, { equalizedLearningRate: true }, { equalizedLearningRate: { lrMultiplier: 0.01 } }];
for (const reparametrization of reparametrizations) {
  viaRuntime.push(
    { type: 'dense', args: { units: 5, ...reparametrization }, inputs: [[null, 7]] },
    { type: 'dense', args: { units: 3, useBias: false, ...reparametrization }, inputs: [[2, 4, 6]] },
    { type: 'conv1d', args: { filters: 3, kernelSize: 3, ...reparametrization }, inputs: [[null, 8, 2]] },
    { type: 'conv2d', args: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', ...reparametrization }, inputs: [[null, 7, 8, 3]] },
    { type: 'conv3d', args: { filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', ...reparametrization }, inputs: [[null, 2, 3, 4, 3]] },
    { type: 'conv1dTranspose', args: { filters: 2, kernelSize: 4, strides: 2, ...reparametrization }, inputs: [[null, 5, 3]] },
    { type: 'conv2dTranspose', args: { filters: 3, kernelSize: 4, strides: 2, padding: 'same', ...reparametrization }, inputs: [[null, 3, 4, 5]] },
    { type: 'conv3dTranspose', args: { filters: 2, kernelSize: 2, strides: 2, trainable: false, ...reparametrization }, inputs: [[1, 2, 2, 2, 3]] },
  );
}
viaRuntime.push({ type: 'conv2d', args: { filters: 64, kernelSize: 3, spectralNormalization: true }, inputs: [[1, 5, 5, 3]] });
// `false` (overriding a default) leaves tfjs' own layer
native.push({ type: 'conv2d', args: { filters: 2, kernelSize: 3, spectralNormalization: false, weightNormalization: false, equalizedLearningRate: false }, inputs: [[null, 5, 5, 3]] });
// GAN blocks
for (const args of grid({ groupSize: [undefined, 1, 2], dataFormat: formats })) viaRuntime.push({ type: 'minibatchStdDev', args, inputs: [laid(args['dataFormat'] as string, null, [3, 4], 2)] });
viaRuntime.push({ type: 'minibatchStdDev', args: {}, inputs: [[null, 5]] }, { type: 'minibatchStdDev', args: { groupSize: 2 }, inputs: [[4, null, null, 3]] }, { type: 'minibatchStdDev', args: {}, inputs: [[null, 2, 2, 3, 2]] });
for (const args of grid({ reduction: [undefined, 2], dataFormat: formats })) viaRuntime.push({ type: 'selfAttention', args, inputs: [laid(args['dataFormat'] as string, null, [2, 3], 8)] });
viaRuntime.push({ type: 'selfAttention', args: { kernelInitializer: 'heNormal', biasInitializer: 'ones' }, inputs: [[null, null, null, 16]] });

// normalization
for (const [shape, axes] of [
  [[null, 5], [undefined, 1, -1]],
  [[null, 4, 6], [undefined, 1, -2]],
  [[null, 3, 4, 5], [undefined, 1, 2, -3]],
] as [Shape, (number | undefined)[]][]) {
  // tfjs is exact over the last axis with center and scale on; the rest is the runtime's batchNormalization.
  for (const args of grid({ axis: axes, center: [undefined, false], scale: [undefined, false] })) {
    const lastAxis = args['axis'] === undefined || args['axis'] === -1 || args['axis'] === shape.length - 1;
    (lastAxis && args['center'] === undefined && args['scale'] === undefined ? native : viaRuntime).push({ type: 'batchNormalization', args, inputs: [shape] });
  }
}
native.push({ type: 'batchNormalization', args: { momentum: 0.8, epsilon: 1e-5 }, inputs: [[null, null, null, 3]] });
// Frozen: Keras keeps the moving statistics, tfjs would update them.
viaRuntime.push({ type: 'batchNormalization', args: { trainable: false }, inputs: [[null, 4, 4, 3]] }, { type: 'batchNormalization', args: {}, inputs: [[null, 2, 3, 4, 5]] }, { type: 'layerNormalization', args: {}, inputs: [[null, 2, 3, 4, 5]] });
for (const [shape, axes] of [
  [[null, 6], [undefined, 1, [-1]]],
  [[null, 4, 6], [undefined, 1, [1, 2], [-2, -1], [2, 1]]],
  [[null, 2, 3, 4], [[3, 1], [1, 2, 3], -2]],
] as [Shape, (number | number[] | undefined)[]][]) {
  // tfjs cannot train without gamma or beta: those are the runtime's layerNormalization.
  for (const args of grid({ axis: axes, center: [undefined, false], scale: [undefined, false] })) (args['center'] === undefined && args['scale'] === undefined ? native : viaRuntime).push({ type: 'layerNormalization', args, inputs: [shape] });
}
native.push({ type: 'layerNormalization', args: { trainable: false }, inputs: [[null, null, 6]] });
// Without gamma and beta, unknown (or symbolic: null to tfjs) normalized axes are fine: nothing is shaped like them.
viaRuntime.push(
  { type: 'layerNormalization', args: { axis: [1, 2, 3], center: false, scale: false }, inputs: [[null, null, null, 8]] },
  { type: 'layerNormalization', args: { axis: [1, 2], center: false, scale: false }, inputs: [[null, null, null, 8]] },
);
// group, instance and pixel normalization: tfjs has none.
for (const args of grid({ groups: [undefined, 4, -1], center: [undefined, false], scale: [undefined, false] })) viaRuntime.push({ type: 'groupNormalization', args, inputs: [[null, 3, 3, 32]] });
viaRuntime.push(
  { type: 'groupNormalization', args: { groups: 2, axis: 1 }, inputs: [[null, 4, 3, 3]] },
  { type: 'groupNormalization', args: { groups: 8 }, inputs: [[null, null, null, 32]] },
  { type: 'groupNormalization', args: { groups: 3 }, inputs: [[null, 6]] },
  { type: 'groupNormalization', args: { groups: 2, axis: -2 }, inputs: [[2, 3, 4, 5]] },
  { type: 'groupNormalization', args: { groups: 4, gammaInitializer: 'heNormal', betaRegularizer: 'l2', gammaConstraint: 'nonNeg' }, inputs: [[null, 2, 2, 2, 8]] },
);
for (const args of grid({ center: [undefined, false], scale: [undefined, false] })) viaRuntime.push({ type: 'instanceNormalization', args, inputs: [[null, 4, 4, 64]] });
viaRuntime.push(
  { type: 'instanceNormalization', args: { axis: 1, epsilon: 1e-5 }, inputs: [[null, 3, 4, 4]] },
  { type: 'instanceNormalization', args: { center: false, scale: false }, inputs: [[null, null, null, null]] },
  { type: 'instanceNormalization', args: {}, inputs: [[null, 6, 2]] },
  { type: 'pixelNormalization', args: {}, inputs: [[null, 8]] },
  { type: 'pixelNormalization', args: { epsilon: 1e-6 }, inputs: [[null, 4, 4, 16]] },
  { type: 'pixelNormalization', args: {}, inputs: [[null, null, null, 8]] },
  { type: 'pixelNormalization', args: { axis: 1 }, inputs: [[2, 3, 4, 4]] },
);

// element-wise
for (const inputShape of [[null, 10], [null, 4, 4, 3], [2, null, 5]] as Shape[]) {
  native.push(
    { type: 'activation', args: { activation: 'relu' }, inputs: [inputShape] },
    { type: 'activation', args: { activation: 'tanh' }, inputs: [inputShape] },
    { type: 'activation', args: { activation: 'softmax' }, inputs: [inputShape] },
    { type: 'leakyReLU', args: { alpha: 0.2 }, inputs: [inputShape] },
    { type: 'reLU', args: { maxValue: 6 }, inputs: [inputShape] },
    { type: 'elu', args: {}, inputs: [inputShape] },
    { type: 'dropout', args: { rate: 0.5 }, inputs: [inputShape] },
  );
}
native.push(
  { type: 'softmax', args: {}, inputs: [[null, 10]] },
  { type: 'softmax', args: { axis: 1 }, inputs: [[4, 10]] },
  { type: 'softmax', args: { axis: -1 }, inputs: [[null, 10]] },
  { type: 'dropout', args: { rate: 0.3, noiseShape: [null, 1, 1, 3], seed: 1 }, inputs: [[null, 4, 4, 3]] },
);

// merges
for (const inputs of [
  [[null, 8, 8, 3], [null, 8, 8, 5]],
  [[null, 4, 1], [null, 4, 2], [null, 4, 3]],
  [[null, 3], [null, 4]],
  [[4, 3], [4, 5]],
  [[null, null, 3], [null, null, 5]],
] as Shape[][]) {
  native.push({ type: 'concatenate', args: {}, inputs });
}
// Negative axes other than -1: see the known gaps at the end.
for (const [axis, inputs] of [
  [1, [[null, 2, 5], [null, 3, 5]]],
  [1, [[null, 2, 5], [null, 3, 5], [null, 1, 5]]],
  [-1, [[null, 2, 5], [null, 2, 3]]],
  [1, [[null, 3, 8, 8], [null, 1, 8, 8]]],
  [2, [[null, 4, 2, 3], [null, 4, 5, 3]]],
  [1, [[null, null, 5], [null, 4, 5]]],
] as [number, Shape[]][]) {
  native.push({ type: 'concatenate', args: { axis }, inputs });
}
for (const type of ['add', 'multiply']) {
  for (const inputs of [
    [[null, 8, 8, 3], [null, 8, 8, 3]],
    [[null, 5], [null, 5], [null, 5]],
    [[null, 8, 8, 1], [null, 8, 8, 3]],
    [[null, 1, 4], [null, 3, 1]],
    [[null, 3], [null, 8, 8, 3]],
    [[null, 4, 5], [null, 5]],
    [[null, 3], [4, 3]],
    [[null, null, 3], [null, 5, 3]],
    [[null, null, 3], [null, 1, 3], [null, 1, 1]],
  ] as Shape[][]) {
    native.push({ type, args: {}, inputs });
  }
}

for (const type of ['average', 'maximum', 'minimum', 'subtract']) {
  for (const inputs of [
    [[null, 8, 8, 3], [null, 8, 8, 3]],
    [[null, 8, 8, 1], [null, 8, 8, 3]],
    [[null, 3], [null, 4, 4, 3]],
    [[null, 1, 4], [null, 3, 1]],
    [[2, 5], [null, 5]],
    [[null, null, 3], [null, 5, 3]],
    ...(type === 'subtract' ? [] : [[[null, 5], [null, 5], [null, 5]]]),
  ] as Shape[][]) {
    // tfjs' maximum and minimum for inputs of one known shape; the runtime's where they may broadcast; subtract is always the runtime's.
    const oneShape = inputs.every((s) => s.every((d, a) => a === 0 || (d !== null && d === inputs[0]![a])) && s.length === inputs[0]!.length);
    (type === 'average' || (type !== 'subtract' && oneShape) ? native : viaRuntime).push({ type, args: {}, inputs });
  }
}

// axes
native.push(
  { type: 'repeatVector', args: { n: 3 }, inputs: [[null, 4]] },
  { type: 'repeatVector', args: { n: 1 }, inputs: [[2, null]] },
  { type: 'permute', args: { dims: [3, 1, 2] }, inputs: [[null, 4, 5, 3]] },
  { type: 'permute', args: { dims: [2, 3, 1] }, inputs: [[null, 3, 4, 5]] },
  { type: 'permute', args: { dims: [2, 1] }, inputs: [[null, null, 5]] },
  { type: 'permute', args: { dims: [1] }, inputs: [[2, 6]] },
  { type: 'permute', args: { dims: [4, 2, 1, 3] }, inputs: [[null, 2, 3, null, 2]] },
);

describe('native tfjs layers: inferred shapes and weights equal what tfjs builds', () => {
  test.each(cases(native))('%s', (_, { given }) => compare(given, 'tf'));
});

describe('netspec/runtime layers: inferred shapes and weights equal what the runtime builds and computes', () => {
  test.each(cases(viaRuntime))('%s', (_, { given }) => compare(given, 'runtime'));
});

/**
 * Where tfjs's own symbolic shape is wrong or less precise than the rule, the
 * raw tfjs layer says `tfjs`; the layer emit builds (a concrete target shape,
 * or the runtime cropping) says what the rule says, and so does the real tensor.
 */
describe('tfjs symbolic shapes emit corrects', () => {
  const table: [string, { given: Given; want: Shape; tfjs: Shape; raw: () => tf.layers.Layer }][] = [
    // tfjs Reshape.computeOutputShape treats the unknown batch as an unknown dim and gives up on -1.
    ['reshape -1 with an unknown batch', { given: { type: 'reshape', args: { targetShape: [-1, 8] }, inputs: [[null, 4, 4, 8]] }, want: [null, 16, 8], tfjs: [null, null, 8], raw: () => tf.layers.reshape({ targetShape: [-1, 8] }) }],
    ['reshape [2, -1, 2] with an unknown batch', { given: { type: 'reshape', args: { targetShape: [2, -1, 2] }, inputs: [[null, 12]] }, want: [null, 2, 3, 2], tfjs: [null, 2, null, 2], raw: () => tf.layers.reshape({ targetShape: [2, -1, 2] }) }],
    // tfjs Cropping2D.computeOutputShape computes null - crop as a number.
    ['cropping2d of unknown rows and cols', { given: { type: 'cropping2d', args: { cropping: [[1, 1], [0, 2]] }, inputs: [[null, null, null, 3]] }, want: [null, null, null, 3], tfjs: [null, -2, -2, 3], raw: () => tf.layers.cropping2D({ cropping: [[1, 1], [0, 2]] }) }],
  ];
  test.each(table)('%s', (_, { given, want, tfjs, raw }) => {
    const symbolic = () => given.inputs.map((s) => tf.input({ batchShape: [...s] }));
    expect(applyTo(raw(), symbolic()).shape).toEqual(tfjs);
    const shapes = infer(given);
    expect(shapes.outputShape).toEqual(want);
    const l = build(shapes);
    expect(applyTo(l, symbolic()).shape).toEqual(want);
    const real = concrete(given.inputs);
    if (real) {
      const y = applyTo(l, real.shapes.map((s) => tf.ones(s))) as tf.Tensor;
      expect(y.shape).toEqual([real.batch, ...want.slice(1)]);
    }
  });
});

/** What the rules reject, tfjs rejects too: it throws while building or running, or produces an empty tensor. */
describe('what inference rejects, tfjs cannot build or run either', () => {
  const table: [string, { given: Given; code: string }][] = [
    ['conv2d kernel larger than the input', { given: { type: 'conv2d', args: { filters: 2, kernelSize: 3 }, inputs: [[null, 2, 2, 3]] }, code: 'NS4004' }],
    ['conv2d stride with dilation', { given: { type: 'conv2d', args: { filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }, inputs: [[null, 9, 9, 3]] }, code: 'NS4009' }],
    ['conv2d on rank 3', { given: { type: 'conv2d', args: { filters: 2, kernelSize: 3 }, inputs: [[null, 9, 3]] }, code: 'NS4001' }],
    ['maxPooling2d window larger than the input', { given: { type: 'maxPooling2d', args: {}, inputs: [[null, 1, 4, 3]] }, code: 'NS4004' }],
    ['cropping2d everything', { given: { type: 'cropping2d', args: { cropping: [[2, 2], [0, 0]] }, inputs: [[null, 4, 4, 3]] }, code: 'NS4004' }],
    // tf.mirrorPad asserts the same as PyTorch's ReflectionPad: padding < size.
    ['reflectionPadding2d as long as the axis', { given: { type: 'reflectionPadding2d', args: { padding: [[3, 0], [0, 0]] }, inputs: [[null, 3, 4, 3]] }, code: 'NS4009' }],
    ['conv2d reflecting more than the axis', { given: { type: 'conv2d', args: { filters: 1, kernelSize: 1, padding: [[0, 0], [4, 0]], paddingMode: 'reflect' }, inputs: [[null, 3, 4, 3]] }, code: 'NS4009' }],
    ['dense on rank 1', { given: { type: 'dense', args: { units: 2 }, inputs: [[null]] }, code: 'NS4001' }],
    ['flatten on rank 2', { given: { type: 'flatten', args: {}, inputs: [[null, 4]] }, code: 'NS4001' }],
    ['flatten of unknown dims', { given: { type: 'flatten', args: {}, inputs: [[null, null, 4]] }, code: 'NS4007' }],
    ['reshape size mismatch', { given: { type: 'reshape', args: { targetShape: [3, 3] }, inputs: [[null, 10]] }, code: 'NS4005' }],
    ['conv2d unknown channels', { given: { type: 'conv2d', args: { filters: 2, kernelSize: 1 }, inputs: [[null, 4, 4, null]] }, code: 'NS4007' }],
    ['batchNormalization unknown channels', { given: { type: 'batchNormalization', args: {}, inputs: [[null, 4, null]] }, code: 'NS4007' }],
    ['batchNormalization on the batch axis', { given: { type: 'batchNormalization', args: { axis: 0 }, inputs: [[null, 4]] }, code: 'NS4009' }],
    ['layerNormalization of the same axis twice', { given: { type: 'layerNormalization', args: { axis: [1, -2] }, inputs: [[null, 4, 6]] }, code: 'NS4009' }],
    ['concatenate spatial mismatch', { given: { type: 'concatenate', args: {}, inputs: [[null, 8, 8, 3], [null, 7, 7, 3]] }, code: 'NS4003' }],
    ['concatenate rank mismatch', { given: { type: 'concatenate', args: {}, inputs: [[null, 8, 8, 3], [null, 8, 3]] }, code: 'NS4003' }],
    ['concatenate unknown vs known dim', { given: { type: 'concatenate', args: {}, inputs: [[null, null, 5], [null, 4, 5]] }, code: 'NS4003' }],
    ['concatenate known vs unknown batch', { given: { type: 'concatenate', args: {}, inputs: [[4, 3], [null, 3]] }, code: 'NS4003' }],
    ['add channel mismatch', { given: { type: 'add', args: {}, inputs: [[null, 4, 3], [null, 4, 2]] }, code: 'NS4003' }],
    ['add different batch sizes', { given: { type: 'add', args: {}, inputs: [[4, 3], [8, 3]] }, code: 'NS4003' }],
    ['multiply batch 1 against 8', { given: { type: 'multiply', args: {}, inputs: [[1, 3], [8, 3]] }, code: 'NS4003' }],
    ['depthToSpace of channels that do not split into r*r groups', { given: { type: 'depthToSpace', args: { blockSize: 2 }, inputs: [[null, 2, 2, 6]] }, code: 'NS4009' }],
    ['pixelShuffle of channels that do not split into r*r groups', { given: { type: 'pixelShuffle', args: { upscaleFactor: 2 }, inputs: [[null, 2, 2, 2]] }, code: 'NS4009' }],
    ['spaceToDepth of rows that do not divide', { given: { type: 'spaceToDepth', args: { blockSize: 2 }, inputs: [[null, 3, 4, 1]] }, code: 'NS4009' }],
    ['prelu sharing an axis past the rank', { given: { type: 'prelu', args: { sharedAxes: [4] }, inputs: [[null, 4, 4, 3]] }, code: 'NS4009' }],
    ['prelu of an unknown axis it does not share', { given: { type: 'prelu', args: {}, inputs: [[null, null, 3]] }, code: 'NS4007' }],
  ];
  test.each(table)('%s', (_, { given, code }) => {
    const { ids, layer: l } = layerOf(given);
    const result = inferModel('t.yaml', model(given.inputs.map((s, i) => input(ids[i]!, s.slice(1), s[0] ?? null)), [l]));
    expect(result.diagnostics.map((d) => d.code)).toEqual([code]);
    const made = (() => {
      try {
        const built = build({ layer: l });
        const symbolic = applyTo(built, given.inputs.map((s) => tf.input({ batchShape: [...s] })));
        if (symbolic.shape.some((d) => d !== null && d <= 0)) return 'empty';
        const real = given.inputs.map((s) => tf.ones(s.map((d, a) => d ?? (a === 0 ? 2 : 3))));
        const y = applyTo(built, real) as tf.Tensor;
        return y.shape.some((d) => d <= 0) ? 'empty' : `built and ran: ${JSON.stringify(y.shape)}`;
      } catch {
        return 'threw';
      }
    })();
    expect(['threw', 'empty']).toContain(made);
  });
});

/** Whole graphs: every layer built as generated code builds it, wired by `from`, against inferModel. */
describe('whole models', () => {
  const graphs: [string, { inputs: { id: string; shape: Shape; batch?: number }[]; layers: [id: string, type: string, args: Args, from: string[]][] }][] = [
    [
      'DCGAN generator (specs/dcgan.yaml, ngf 8)',
      {
        inputs: [{ id: 'z', shape: [100] }],
        layers: [
          ['project', 'dense', { units: 4 * 4 * 64, useBias: false }, ['z']],
          ['seed', 'reshape', { targetShape: [4, 4, 64] }, ['project']],
          ['bn0', 'batchNormalization', {}, ['seed']],
          ['relu0', 'activation', { activation: 'relu' }, ['bn0']],
          ['up1', 'conv2dTranspose', { filters: 32, kernelSize: 5, strides: 2, padding: 'same', useBias: false }, ['relu0']],
          ['bn1', 'batchNormalization', {}, ['up1']],
          ['relu1', 'activation', { activation: 'relu' }, ['bn1']],
          ['up2', 'conv2dTranspose', { filters: 16, kernelSize: 5, strides: 2, padding: 'same', outputPadding: 1, useBias: false }, ['relu1']],
          ['bn2', 'batchNormalization', { trainable: false }, ['up2']],
          ['relu2', 'leakyReLU', { alpha: 0.2 }, ['bn2']],
          ['image', 'conv2dTranspose', { filters: 3, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' }, ['relu2']],
        ],
      },
    ],
    [
      'small U-Net with skips, a crop and a concatenation',
      {
        inputs: [{ id: 'x', shape: [17, 17, 1], batch: 2 }],
        layers: [
          ['down1', 'conv2d', { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, ['x']],
          ['pool1', 'maxPooling2d', {}, ['down1']],
          ['down2', 'conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, ['pool1']],
          ['pool2', 'averagePooling2d', { padding: 'same' }, ['down2']],
          ['mid', 'conv2d', { filters: 8, kernelSize: 1 }, ['pool2']],
          ['up2', 'conv2dTranspose', { filters: 8, kernelSize: 2, strides: 2 }, ['mid']],
          ['crop2', 'cropping2d', { cropping: [[0, 0], [0, 0]] }, ['up2']],
          ['sum2', 'add', {}, ['crop2', 'down2']],
          ['up1', 'conv2dTranspose', { filters: 4, kernelSize: 3, strides: 2, outputShape: [17, 17] }, ['sum2']],
          ['cat1', 'concatenate', {}, ['up1', 'down1']],
          ['norm', 'layerNormalization', { axis: [1, 2, 3] }, ['cat1']],
          ['pad', 'zeroPadding2d', { padding: [[1, 0], [0, 1]] }, ['norm']],
          ['head', 'conv2d', { filters: 1, kernelSize: 2 }, ['pad']],
          ['flat', 'flatten', {}, ['head']],
          ['out', 'dense', { units: 3 }, ['flat']],
        ],
      },
    ],
  ];
  test.each(graphs)('%s', (_, graph) => {
    const m = model(
      graph.inputs.map((i) => input(i.id, i.shape, i.batch ?? null)),
      graph.layers.map(([id, type, args, from]) => layer(type, args, from, id)),
    );
    const result = inferModel('g.yaml', m);
    expect(result.diagnostics.map((d) => d.message)).toEqual([]);
    const inferred = result.value!;
    const tensors = new Map<string, tf.SymbolicTensor>(graph.inputs.map((i) => [i.id, tf.input({ batchShape: [i.batch ?? null, ...i.shape] })]));
    for (const shapes of inferred.layers) {
      const out = applyTo(build(shapes), shapes.layer.from.map((ref) => tensors.get(ref.id)!)) as tf.SymbolicTensor;
      expect([shapes.layer.id, out.shape]).toEqual([shapes.layer.id, shapes.outputShape]);
      tensors.set(shapes.layer.id, out);
    }
    const last = inferred.layers[inferred.layers.length - 1]!.layer.id;
    const built = tf.model({ inputs: graph.inputs.map((i) => tensors.get(i.id)!), outputs: tensors.get(last)! });
    expect(built.countParams()).toBe(inferred.params.trainable + inferred.params.nonTrainable);
    expect(size(built.trainableWeights.map(known))).toBe(inferred.params.trainable);
    expect(size(built.nonTrainableWeights.map(known))).toBe(inferred.params.nonTrainable);
    const x = graph.inputs.map((i) => tf.randomNormal([i.batch ?? 2, ...(i.shape as number[])]));
    const y = built.predict(x) as tf.Tensor;
    const want = inferred.layers[inferred.layers.length - 1]!.outputShape;
    expect(y.shape).toEqual([want[0] ?? 2, ...want.slice(1)]);
    tf.dispose([...x, y]);
    built.dispose();
  });
});

/**
 * Where tfjs' native layer reads an option differently from Keras, emit
 * rewrites the option (softmax's default axis, negative concatenate axes).
 */
describe('options emit rewrites to the spec\'s meaning', () => {
  const rewritten: Given[] = [
    // tfjs Softmax defaults to axis 1 (Keras: -1); emit always passes -1.
    { type: 'softmax', args: {}, inputs: [[null, 4, 4, 3]] },
    { type: 'softmax', args: {}, inputs: [[2, 3, 5]] },
    // tfjs-layers' concatenate turns every negative axis into -1 when it runs; emit passes the positive axis.
    { type: 'concatenate', args: { axis: -2 }, inputs: [[null, 2, 5], [null, 3, 5]] },
    { type: 'concatenate', args: { axis: -2 }, inputs: [[null, 2, 5], [null, 2, 5]] },
    { type: 'concatenate', args: { axis: -3 }, inputs: [[null, 3, 8, 8], [null, 1, 8, 8]] },
  ];
  test.each(cases(rewritten))('%s', (_, { given }) => compare(given, 'tf'));
});
