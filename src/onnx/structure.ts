import { firstAxis } from './graph.js';
import { output, refuse, single, tuple, weight, type Converter, type LayerCall } from './layer-call.js';
import { pairs, type PairsArg } from '../runtime/resample.js';

/** Merges: every input in one layout (channels-first if any input already is), then one n-ary or chained node. */
function merge(op: string, average = false): Converter {
  return (call) => {
    const g = call.graph;
    const first = call.inputs.some((v) => v.channelsFirst && v.rank >= 3);
    const names = call.inputs.map((v) => (first ? g.first(v) : g.last(v)));
    let y: string;
    if (op === 'Sub') {
      if (names.length !== 2) refuse(call, `subtract takes two inputs, got ${names.length}`);
      y = g.node('Sub', names, {}, call.layer.name);
    } else y = names.length === 1 ? names[0]! : g.node(op, names, {}, call.layer.name);
    if (average) y = g.node('Div', [y, g.scalar('count', names.length)], {}, call.layer.name);
    return output(call, y, first);
  };
}

const concatenate: Converter = (call) => {
  const g = call.graph;
  const rank = call.outputShape.length;
  const first = rank >= 3 && call.inputs.some((v) => v.channelsFirst);
  const given = (call.config['axis'] as number | undefined) ?? -1;
  const axis = first ? firstAxis(given, rank) : given < 0 ? rank + given : given;
  const names = call.inputs.map((v) => (first ? g.first(v) : g.last(v)));
  return output(call, g.node('Concat', names, { axis }, call.layer.name), first);
};

/** Layers that are the identity at inference: dropout and noise (tfjs and Keras apply them only in training). */
const identity: Converter = (call) => single(call);

/** Zero or reflection padding of the spatial axes, as ONNX Pad on the stored layout. */
function pad(mode: 'constant' | 'reflect', rankOf: (call: LayerCall) => number): Converter {
  return (call) => {
    const g = call.graph;
    const rank = rankOf(call);
    const v = single(call);
    const channelsFirstData = call.config['dataFormat'] === 'channelsFirst';
    const p = pairs(call.config['padding'] as PairsArg | undefined, rank, 1);
    // Spatial axes of the stored tensor: a channelsFirst layer's tensor is stored as tfjs holds it.
    const x = channelsFirstData ? g.last(v) : g.first(v);
    const zeros = [0, 0];
    const pads = [...zeros, ...p.map((q) => q[0]), ...zeros, ...p.map((q) => q[1])];
    return output(call, g.node('Pad', [x, g.ints('pads', pads)], { mode }, call.layer.name), !channelsFirstData);
  };
}

const cropping: Converter = (call) => {
  const g = call.graph;
  const rank = (call.config['rank'] as number | undefined) ?? 2;
  const v = single(call);
  const channelsFirstData = call.config['dataFormat'] === 'channelsFirst';
  const p = pairs(call.config['cropping'] as PairsArg | undefined, rank, rank === 2 ? 0 : 1);
  const x = channelsFirstData ? g.last(v) : g.first(v);
  const axes = p.map((_, a) => a + 2);
  // Negative Slice ends count back from the end of the axis; no crop at the end is "to the end".
  const ends = p.map((q) => (q[1] === 0 ? Number.MAX_SAFE_INTEGER : -q[1]));
  return output(call, g.node('Slice', [x, g.ints('starts', p.map((q) => q[0])), g.ints('ends', ends), g.ints('axes', axes)], {}, call.layer.name), !channelsFirstData);
};

const reshape: Converter = (call) => {
  const g = call.graph;
  const target = call.config['targetShape'] as number[];
  return output(call, g.node('Reshape', [g.last(single(call)), g.ints('shape', [0, ...target])], {}, call.layer.name), false);
};

const flatten: Converter = (call) => output(call, call.graph.node('Flatten', [call.graph.last(single(call))], { axis: 1 }, call.layer.name), false);

const repeatVector: Converter = (call) => {
  const g = call.graph;
  const n = call.config['n'] as number;
  const expanded = g.node('Unsqueeze', [g.last(single(call)), g.ints('axes', [1])]);
  return output(call, g.node('Tile', [expanded, g.ints('repeats', [1, n, 1])], {}, call.layer.name), false);
};

/**
 * Sub-pixel rearrangements on channels-first tensors: TensorFlow's depth_to_space is ONNX
 * DepthToSpace mode DCR, PyTorch's pixel_shuffle is mode CRD (ONNX DepthToSpace);
 * space_to_depth is ONNX SpaceToDepth.
 */
function block(op: 'DepthToSpace' | 'SpaceToDepth', mode: 'DCR' | 'CRD' | undefined, sizeOf: (call: LayerCall) => number): Converter {
  return (call) => {
    const g = call.graph;
    const v = single(call);
    const channelsFirstData = call.config['dataFormat'] === 'channelsFirst';
    const x = channelsFirstData ? g.last(v) : g.first(v);
    return output(call, g.node(op, [x], { blocksize: sizeOf(call), ...(mode ? { mode } : {}) }, call.layer.name), !channelsFirstData);
  };
}

/** PReLU: `max(0, x) + alpha * min(0, x)` with alpha shaped like the input without its batch axis (shared axes of size 1). */
const prelu: Converter = (call) => {
  const g = call.graph;
  const v = single(call);
  const alpha = weight(call, 'alpha');
  if (!alpha) refuse(call, 'it has no alpha weight');
  const perm = v.channelsFirst && v.rank >= 3 ? [alpha.rank - 1, ...Array.from({ length: alpha.rank - 1 }, (_, a) => a)] : undefined;
  return { ...v, name: g.node('PRelu', [v.name, g.tensor(`${call.layer.name}_alpha`, alpha, perm)], {}, call.layer.name) };
};



/**
 * Upsampling by integer factors. Nearest repeats each value (ONNX Resize,
 * asymmetric coordinates, floor). Bilinear: the runtime layer uses half-pixel
 * centers with clamped edges (Keras 3), ONNX `half_pixel`; tfjs' own
 * UpSampling2D calls resizeBilinear without half-pixel centers, ONNX `asymmetric`.
 */
function upSampling(rankOf: (call: LayerCall) => number, halfPixel: boolean): Converter {
  return (call) => {
    const g = call.graph;
    const rank = rankOf(call);
    const size = tuple(call.config['size'], rank, 2);
    const v = single(call);
    const channelsFirstData = call.config['dataFormat'] === 'channelsFirst';
    const x = channelsFirstData ? g.last(v) : g.first(v);
    const bilinear = call.config['interpolation'] === 'bilinear';
    const scales = g.floats('scales', new Float32Array([1, 1, ...size]), [rank + 2]);
    const attributes: Record<string, string> = bilinear
      ? { mode: 'linear', coordinate_transformation_mode: halfPixel ? 'half_pixel' : 'asymmetric' }
      : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
    return output(call, g.node('Resize', [x, '', scales], attributes, call.layer.name), !channelsFirstData);
  };
}

/** Keras Permute: `dims` orders the non-batch axes (1-based), applied to the tfjs layout. */
const permute: Converter = (call) => {
  const dims = call.config['dims'] as number[];
  return output(call, call.graph.node('Transpose', [call.graph.last(single(call))], { perm: [0, ...dims] }, call.layer.name), false);
};

export const structureLayers: Record<string, Converter> = {
  Add: merge('Sum'),
  Multiply: merge('Mul'),
  Average: merge('Sum', true),
  Maximum: merge('Max'),
  Minimum: merge('Min'),
  NetspecSubtract: merge('Sub'),
  NetspecMaximum: merge('Max'),
  NetspecMinimum: merge('Min'),
  Concatenate: concatenate,
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  NetspecGaussianNoise: identity,
  NetspecGaussianDropout: identity,
  NetspecSpatialDropout: identity,
  ZeroPadding2D: pad('constant', () => 2),
  NetspecZeroPadding: pad('constant', (call) => call.config['rank'] as number),
  NetspecReflectionPadding: pad('reflect', (call) => call.config['rank'] as number),
  NetspecCropping: cropping,
  Reshape: reshape,
  Flatten: flatten,
  RepeatVector: repeatVector,
  PReLU: prelu,
  NetspecPReLU: prelu,
  NetspecDepthToSpace: block('DepthToSpace', 'DCR', (call) => call.config['blockSize'] as number),
  NetspecSpaceToDepth: block('SpaceToDepth', undefined, (call) => call.config['blockSize'] as number),
  NetspecPixelShuffle: block('DepthToSpace', 'CRD', (call) => call.config['upscaleFactor'] as number),
  UpSampling2D: upSampling(() => 2, false),
  NetspecUpSampling: upSampling((call) => call.config['rank'] as number, true),
  Cropping2D: cropping,
  Permute: permute,
};
