import * as tf from '@tensorflow/tfjs';
import { causalPadding, convTransposeCropBefore, convTransposeOutputLength, fullTransposeLength, samePadding, type PadPair } from '../infer/formulas.js';
import { activate } from './activations.js';
import { samePaddingAttributes } from './same-padding.js';
import type { Value } from './graph.js';
import { output, refuse, single, tuple, weight, type Converter, type LayerCall } from './layer-call.js';

type Padding = 'valid' | 'same' | 'causal' | readonly PadPair[];

interface ConvOptions {
  readonly rank: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilation: number[];
  readonly padding: Padding;
  readonly channelsFirst: boolean;
}

function optionsOf(call: LayerCall, rank: number): ConvOptions {
  const c = call.config;
  return {
    rank,
    kernelSize: tuple(c['kernelSize'], rank, 1),
    strides: tuple(c['strides'], rank, 1),
    dilation: tuple(c['dilationRate'], rank, 1),
    padding: (c['padding'] as Padding | undefined) ?? 'valid',
    channelsFirst: c['dataFormat'] === 'channelsFirst',
  };
}

/** The kernel and bias the layer computes with: a runtime layer's reparametrized ones at inference, else the stored ones. */
function kernelAndBias(call: LayerCall): { kernel: tf.Tensor; bias?: tf.Tensor } {
  const own = call.layer as unknown as { inferenceWeights?: () => { kernel: tf.Tensor; bias?: tf.Tensor } };
  if (typeof own.inferenceWeights === 'function') return own.inferenceWeights();
  const kernel = weight(call, 'kernel');
  if (!kernel) refuse(call, 'it has no kernel weight');
  const bias = weight(call, 'bias');
  return bias ? { kernel, bias } : { kernel };
}

/** Keras kernels `[k..., a, b]` -> ONNX `[b, a, k...]` (Conv `[out, in, k...]`, ConvTranspose `[in, out, k...]`). */
const kernelPerm = (rank: number) => [rank + 1, rank, ...Array.from({ length: rank }, (_, a) => a)];

/** The input in ONNX's channels-first form, and whether the output is the tfjs tensor as it stands. */
function channelsFirstInput(call: LayerCall, x: Value, o: ConvOptions): { input: string; asStored: boolean } {
  // A channelsFirst layer's tfjs tensor is already in ONNX's layout.
  return o.channelsFirst ? { input: call.graph.last(x), asStored: false } : { input: call.graph.first(x), asStored: true };
}

function spatialSizes(call: LayerCall, o: ConvOptions): (number | null)[] {
  const shape = call.inputShapes[0]!;
  return o.channelsFirst ? shape.slice(2) : shape.slice(1, -1);
}

function convolution(rank: number): Converter {
  return (call) => {
    const g = call.graph;
    const o = optionsOf(call, rank);
    const x = single(call);
    const { input, asStored } = channelsFirstInput(call, x, o);
    const { kernel, bias } = kernelAndBias(call);
    const attributes: Record<string, number[] | string> = { strides: o.strides, dilations: o.dilation, kernel_shape: o.kernelSize };
    let source = input;
    const sizes = spatialSizes(call, o);
    const pairsOf = (): PadPair[] =>
      o.kernelSize.map((k, a) => {
        const p = typeof o.padding === 'string' ? o.padding : o.padding[a]!;
        if (typeof p !== 'string') return p;
        if (p === 'causal') return causalPadding(k, o.dilation[a]!);
        if (p === 'valid') return [0, 0];
        const i = sizes[a];
        if (i === null || i === undefined) refuse(call, `'same' padding with paddingMode 'reflect' needs a known input size on spatial axis ${a + 1}`);
        return samePadding(i, k, o.strides[a]!, o.dilation[a]!);
      });
    if (call.config['paddingMode'] === 'reflect') {
      const pads = pairsOf();
      source = g.node('Pad', [input, g.ints('pads', [0, 0, ...pads.map((p) => p[0]), 0, 0, ...pads.map((p) => p[1])])], { mode: 'reflect' }, `${call.layer.name}_pad`);
      attributes['pads'] = new Array<number>(2 * rank).fill(0);
    } else if (o.padding === 'same') {
      Object.assign(attributes, samePaddingAttributes(call, sizes, o.kernelSize, o.strides, o.dilation));
    } else {
      const pads = pairsOf();
      attributes['pads'] = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
    }
    const w = g.tensor(`${call.layer.name}_kernel`, kernel, kernelPerm(rank));
    const inputs = [source, w, ...(bias ? [g.tensor(`${call.layer.name}_bias`, bias)] : [])];
    const y = g.node('Conv', inputs, attributes, call.layer.name);
    return activate(call, g, output(call, y, asStored), call.config['activation']);
  };
}

/**
 * A transposed convolution as docs/semantics.md defines it: the full
 * transposed convolution, a crop from the start, a zero extension at the end,
 * then the bias. ONNX ConvTranspose computes the full result minus `pads`
 * (output length s*(i-1) + (k-1)*d + 1 - begin - end), so the crop is the
 * begin pad, the cut at the end the end pad, and an extension a Pad.
 */
function transposedConvolution(rank: number, native: boolean): Converter {
  return (call) => {
    const g = call.graph;
    const o = optionsOf(call, rank);
    if (native && o.padding !== 'valid' && o.padding !== 'same') refuse(call, `padding '${String(o.padding)}'`);
    const outputPadding = call.config['outputPadding'] === undefined || call.config['outputPadding'] === null ? undefined : tuple(call.config['outputPadding'], rank, 0);
    const outputShape = call.config['outputShape'] as number[] | undefined;
    const x = single(call);
    const { input, asStored } = channelsFirstInput(call, x, o);
    const { kernel, bias } = kernelAndBias(call);
    const sizes = spatialSizes(call, o);
    const windows = o.kernelSize.map((k, a) => {
      const [s, d] = [o.strides[a]!, o.dilation[a]!];
      const p = typeof o.padding === 'string' ? (o.padding as 'valid' | 'same') : o.padding[a]!;
      const at = (i: number) => {
        const length = outputShape ? outputShape[a]! : convTransposeOutputLength(i, k, s, d, p, outputPadding?.[a])!;
        const crop = convTransposeCropBefore(i, k, s, d, p, length);
        return { crop, cut: fullTransposeLength(i, k, s, d) - crop - length };
      };
      const i = sizes[a];
      if (i !== null && i !== undefined) return at(i);
      // Unknown sizes: the window must not depend on the size, which holds for every form but a fixed outputShape.
      const [one, other] = [at(5), at(9)];
      if (one.crop !== other.crop || one.cut !== other.cut) refuse(call, `its crop on spatial axis ${a + 1} depends on the input size, which is unknown`);
      return one;
    });
    const pads = [...windows.map((w) => w.crop), ...windows.map((w) => Math.max(0, w.cut))];
    if (windows.some((w) => w.crop < 0)) refuse(call, 'a negative crop');
    const w = g.tensor(`${call.layer.name}_kernel`, kernel, kernelPerm(rank));
    const extended = windows.some((w) => w.cut < 0);
    const biasName = bias ? g.tensor(`${call.layer.name}_bias`, bias, undefined) : undefined;
    let y = g.node('ConvTranspose', [input, w, ...(biasName && !extended ? [biasName] : [])], { strides: o.strides, dilations: o.dilation, kernel_shape: o.kernelSize, pads }, call.layer.name);
    if (extended) {
      y = g.node('Pad', [y, g.ints('pads', [0, 0, ...windows.map(() => 0), 0, 0, ...windows.map((w) => Math.max(0, -w.cut))])], { mode: 'constant' }, `${call.layer.name}_extend`);
      if (biasName) y = g.node('Add', [y, g.node('Reshape', [biasName, g.ints('shape', [-1, ...windows.map(() => 1)])])], {}, `${call.layer.name}_bias`);
    }
    return activate(call, g, output(call, y, asStored), call.config['activation']);
  };
}

/** Keyed by tfjs class name; native and runtime layers share the options that matter here. */
export const convolutionLayers: Record<string, Converter> = {
  Conv1D: convolution(1),
  Conv2D: convolution(2),
  Conv3D: convolution(3),
  NetspecConv: (call) => convolution(call.config['rank'] as number)(call),
  Conv2DTranspose: transposedConvolution(2, true),
  Conv3DTranspose: transposedConvolution(3, true),
  NetspecConvTranspose: (call) => transposedConvolution(call.config['rank'] as number, false)(call),
};
