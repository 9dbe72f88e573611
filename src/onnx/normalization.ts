import * as tf from '@tensorflow/tfjs';
import { firstAxis, type Graph, type Value } from './graph.js';
import { output, refuse, single, weight, type Converter, type LayerCall } from './layer-call.js';

/** The shape that broadcasts a per-channel vector along `axis` of a rank-`rank` tensor. */
function along(axis: number, rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, a) => (a + 1 === axis ? -1 : 1));
}

/** The tfjs axis `axis` in the value's stored layout. */
function storedAxis(v: Value, axis: number): number {
  const a = axis < 0 ? v.rank + axis : axis;
  return v.channelsFirst && v.rank >= 3 ? firstAxis(a, v.rank) : a;
}

/** `x * scale + shift` with per-channel constants along the tfjs axis `axis`. */
function affine(call: LayerCall, g: Graph, v: Value, axis: number, scale: Float32Array | undefined, shift: Float32Array | undefined): Value {
  const a = storedAxis(v, axis);
  const shape = along(a, v.rank);
  const constant = (base: string, values: Float32Array) => g.node('Reshape', [g.floats(base, values, [values.length]), g.ints('shape', shape)]);
  let y = v.name;
  if (scale) y = g.node('Mul', [y, constant(`${call.layer.name}_scale`, scale)], {}, call.layer.name);
  if (shift) y = g.node('Add', [y, constant(`${call.layer.name}_shift`, shift)], {}, call.layer.name);
  return { ...v, name: y };
}

const data = (t: tf.Tensor | undefined) => (t ? (t.dataSync() as Float32Array) : undefined);

/**
 * Batch normalization at inference: `(x - mean) / sqrt(variance + epsilon) * gamma + beta`
 * with the moving statistics (tfjs-layers `BatchNormalization.call`, training false),
 * folded into one scale and shift per channel.
 */
const batchNormalization: Converter = (call) => {
  const x = single(call);
  const axis = (call.config['axis'] as number | undefined) ?? -1;
  const epsilon = (call.config['epsilon'] as number | undefined) ?? 1e-3;
  const [mean, variance] = [data(weight(call, 'moving_mean')), data(weight(call, 'moving_variance'))];
  if (!mean || !variance) refuse(call, 'it has no moving statistics');
  const gamma = data(weight(call, 'gamma'));
  const beta = data(weight(call, 'beta'));
  const scale = new Float32Array(mean.length);
  const shift = new Float32Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    scale[c] = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + epsilon);
    shift[c] = (beta ? beta[c]! : 0) - mean[c]! * scale[c]!;
  }
  return affine(call, call.graph, x, axis, scale, shift);
};

/** Mean and variance over `axes` of the stored tensor, kept as broadcastable dims, and `(x - mean) / sqrt(var + eps)`. */
function standardize(call: LayerCall, g: Graph, x: string, axes: readonly number[], epsilon: number): string {
  const axesName = g.ints('axes', axes);
  const centered = g.node('Sub', [x, g.node('ReduceMean', [x, axesName], { keepdims: 1 })], {}, `${call.layer.name}_centered`);
  const variance = g.node('ReduceMean', [g.node('Mul', [centered, centered]), axesName], { keepdims: 1 }, `${call.layer.name}_variance`);
  return g.node('Div', [centered, g.node('Sqrt', [g.node('Add', [variance, g.scalar('epsilon', epsilon)])])], {}, `${call.layer.name}_normalized`);
}

/** Layer normalization (tfjs-layers `LayerNormalization`): statistics over `axis` (one or several), then gamma and beta along them. */
const layerNormalization: Converter = (call) => {
  const g = call.graph;
  const v = single(call);
  const given = call.config['axis'] as number | number[] | undefined;
  const axes = (Array.isArray(given) ? given : [given ?? -1]).map((a) => (a < 0 ? v.rank + a : a));
  if (axes.length !== 1 || axes[0] !== v.rank - 1) {
    // Several axes: gamma/beta span all of them; work in the tfjs layout.
    const x = g.last(v);
    let y = standardize(call, g, x, axes, (call.config['epsilon'] as number | undefined) ?? 1e-3);
    const shape = Array.from({ length: v.rank }, (_, a) => (a === 0 ? 1 : axes.includes(a) ? call.outputShape[a]! : 1));
    const gamma = weight(call, 'gamma');
    const beta = weight(call, 'beta');
    if (gamma) y = g.node('Mul', [y, g.node('Reshape', [g.tensor(`${call.layer.name}_gamma`, gamma), g.ints('shape', shape)])]);
    if (beta) y = g.node('Add', [y, g.node('Reshape', [g.tensor(`${call.layer.name}_beta`, beta), g.ints('shape', shape)])]);
    return output(call, y, false);
  }
  const y = standardize(call, g, v.name, [storedAxis(v, -1)], (call.config['epsilon'] as number | undefined) ?? 1e-3);
  return affine(call, g, { ...v, name: y }, -1, data(weight(call, 'gamma')), data(weight(call, 'beta')));
};

/**
 * Group normalization (Keras 3 `GroupNormalization`; instance normalization is one group per
 * channel): statistics per sample over each group of consecutive channels and every spatial
 * position, computed on the channels-first tensor reshaped to `[N, groups, -1]`.
 */
function groupNormalization(groupsOf: (channels: number, call: LayerCall) => number): Converter {
  return (call) => {
    const g = call.graph;
    const v = single(call);
    const axis = (call.config['axis'] as number | undefined) ?? -1;
    if ((axis < 0 ? v.rank + axis : axis) !== v.rank - 1) refuse(call, `axis ${axis}: only the last (channel) axis is exported`);
    const channels = call.outputShape[v.rank - 1];
    if (channels === null || channels === undefined) refuse(call, 'the channel count is unknown');
    const groups = groupsOf(channels, call);
    const x = g.first(v);
    const grouped = g.node('Reshape', [x, g.ints('shape', [0, groups, -1])], {}, `${call.layer.name}_groups`);
    const normalized = standardize(call, g, grouped, [2], (call.config['epsilon'] as number | undefined) ?? 1e-3);
    const y = g.node('Reshape', [normalized, g.node('Shape', [x])], {}, `${call.layer.name}_ungroup`);
    return affine(call, g, { name: y, rank: v.rank, channelsFirst: true }, -1, data(weight(call, 'gamma')), data(weight(call, 'beta')));
  };
}

/** Pixel normalization (ProGAN): `x / sqrt(mean over channels of x^2 + epsilon)`. */
const pixelNormalization: Converter = (call) => {
  const g = call.graph;
  const v = single(call);
  const axis = storedAxis(v, (call.config['axis'] as number | undefined) ?? -1);
  const meanSquare = g.node('ReduceMean', [g.node('Mul', [v.name, v.name]), g.ints('axes', [axis])], { keepdims: 1 });
  const y = g.node('Div', [v.name, g.node('Sqrt', [g.node('Add', [meanSquare, g.scalar('epsilon', (call.config['epsilon'] as number | undefined) ?? 1e-8)])])], {}, call.layer.name);
  return { ...v, name: y };
};

export const normalizationLayers: Record<string, Converter> = {
  BatchNormalization: batchNormalization,
  NetspecBatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  NetspecLayerNormalization: layerNormalization,
  NetspecGroupNormalization: groupNormalization((channels, call) => {
    const given = (call.config['groups'] as number | undefined) ?? 32;
    const groups = given === -1 ? channels : given;
    if (channels % groups !== 0) refuse(call, `${channels} channels do not split into ${groups} groups`);
    return groups;
  }),
  NetspecInstanceNormalization: groupNormalization((channels) => channels),
  NetspecPixelNormalization: pixelNormalization,
};
