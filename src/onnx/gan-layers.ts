import { output, refuse, single, weight, type Converter } from './layer-call.js';

/**
 * Minibatch standard deviation (ProGAN, src/runtime/minibatch-stddev.ts): the
 * batch in groups of `min(groupSize, batch)` (samples `g*M + m` form group `m`),
 * the standard deviation over each group of every feature, averaged into one
 * value per group and appended as a channel. The group size is computed from
 * the batch at run time, so the batch stays dynamic.
 */
const minibatchStdDev: Converter = (call) => {
  const g = call.graph;
  if (call.config['dataFormat'] === 'channelsFirst') refuse(call, "dataFormat 'channelsFirst' is not exported");
  const v = single(call);
  const shape = call.inputShapes[0]!;
  const features = shape.slice(1).reduce<number | null>((p, d) => (p === null || d === null ? null : p * d), 1);
  if (features === null) refuse(call, 'its input has unknown non-batch sizes');
  const x = g.last(v);
  const xShape = g.node('Shape', [x]);
  const batch = g.node('Slice', [xShape, g.ints('starts', [0]), g.ints('ends', [1])]);
  const group = g.node('Min', [batch, g.ints('group_size', [(call.config['groupSize'] as number | undefined) ?? 4])]);
  const grouped = g.node('Reshape', [x, g.node('Concat', [group, g.ints('rest', [-1, features])], { axis: 0 })]);
  const centered = g.node('Sub', [grouped, g.node('ReduceMean', [grouped, g.ints('axes', [0])], { keepdims: 1 })]);
  const variance = g.node('ReduceMean', [g.node('Mul', [centered, centered]), g.ints('axes', [0])], { keepdims: 0 });
  const std = g.node('Sqrt', [g.node('Add', [variance, g.scalar('epsilon', 1e-8)])]);
  const perGroup = g.node('ReduceMean', [std, g.ints('axes', [1])], { keepdims: 0 });
  const perSample = g.node('Tile', [perGroup, group]);
  const ones = new Array<number>(shape.length - 1).fill(1);
  const column = g.node('Reshape', [perSample, g.ints('shape', [-1, ...ones])]);
  const mapShape = g.node('Concat', [g.node('Slice', [xShape, g.ints('starts', [0]), g.ints('ends', [-1])]), g.ints('one', [1])], { axis: 0 });
  const map = g.node('Expand', [column, mapShape]);
  return output(call, g.node('Concat', [x, map], { axis: -1 }, call.layer.name), false);
};

/**
 * SAGAN self-attention (src/runtime/self-attention.ts) on the channels-last
 * tensor as rows `[b, h*w, c]`: 1x1 projections as matrix products,
 * `softmax(q k^T) v`, scaled by gamma and added to the input.
 */
const selfAttention: Converter = (call) => {
  const g = call.graph;
  if (call.config['dataFormat'] === 'channelsFirst') refuse(call, "dataFormat 'channelsFirst' is not exported");
  const x = g.last(single(call));
  const channels = call.inputShapes[0]![3]!;
  const rows = g.node('Reshape', [x, g.ints('shape', [0, -1, channels])], {}, `${call.layer.name}_rows`);
  const project = (name: string) => {
    const kernel = weight(call, `${name}_kernel`);
    const bias = weight(call, `${name}_bias`);
    if (!kernel || !bias) refuse(call, `it has no ${name} projection`);
    const w = g.floats(`${call.layer.name}_${name}_kernel`, kernel.dataSync() as Float32Array, [channels, kernel.shape[3]!]);
    return g.node('Add', [g.node('MatMul', [rows, w]), g.tensor(`${call.layer.name}_${name}_bias`, bias)], {}, `${call.layer.name}_${name}`);
  };
  const scores = g.node('MatMul', [project('query'), g.node('Transpose', [project('key')], { perm: [0, 2, 1] })]);
  const attended = g.node('MatMul', [g.node('Softmax', [scores], { axis: -1 }), project('value')]);
  const gamma = weight(call, 'gamma');
  if (!gamma) refuse(call, 'it has no gamma');
  const y = g.node('Add', [g.node('Mul', [attended, g.tensor(`${call.layer.name}_gamma`, gamma)]), rows]);
  return output(call, g.node('Reshape', [y, g.node('Shape', [x])], {}, call.layer.name), false);
};

export const ganLayers: Record<string, Converter> = {
  NetspecMinibatchStdDev: minibatchStdDev,
  NetspecSelfAttention: selfAttention,
};
