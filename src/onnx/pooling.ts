import type { PadPair } from '../infer/formulas.js';
import { output, single, tuple, type Converter, type LayerCall } from './layer-call.js';

type Padding = 'valid' | 'same' | readonly PadPair[];

/** The stored tensor with its spatial axes at 2..: a channelsFirst layer's tensor as tfjs holds it, else the channels-first form. */
function spatialFirst(call: LayerCall): { x: string; asStored: boolean } {
  const v = single(call);
  return call.config['dataFormat'] === 'channelsFirst' ? { x: call.graph.last(v), asStored: false } : { x: call.graph.first(v), asStored: true };
}

/**
 * Max and average pooling. `same` is ONNX SAME_UPPER (TensorFlow's split); a
 * `same` average counts only the input in each window, as TensorFlow
 * (count_include_pad 0); explicit pairs count the zero padding, as PyTorch's
 * default `count_include_pad=True`; max pooling never picks padding.
 */
function pooling(mode: 'max' | 'average', rankOf: (call: LayerCall) => number): Converter {
  return (call) => {
    const rank = rankOf(call);
    const poolSize = tuple(call.config['poolSize'], rank, 2);
    const strides = tuple(call.config['strides'], rank, 0).map((s, a) => (s === 0 ? poolSize[a]! : s));
    const padding = (call.config['padding'] as Padding | undefined) ?? 'valid';
    const { x, asStored } = spatialFirst(call);
    const attributes: Record<string, number | number[] | string> = { kernel_shape: poolSize, strides };
    if (padding === 'same') attributes['auto_pad'] = 'SAME_UPPER';
    else {
      const pads = padding === 'valid' ? poolSize.map((): PadPair => [0, 0]) : padding;
      attributes['pads'] = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
    }
    if (mode === 'average') attributes['count_include_pad'] = padding === 'same' ? 0 : 1;
    return output(call, call.graph.node(mode === 'max' ? 'MaxPool' : 'AveragePool', [x], attributes, call.layer.name), asStored);
  };
}

/** Global pooling: one reduction over the spatial axes, kept with size 1 when `keepdims`. */
function globalPooling(mode: 'max' | 'average', rankOf: (call: LayerCall) => number): Converter {
  return (call) => {
    const g = call.graph;
    const rank = rankOf(call);
    const { x, asStored } = spatialFirst(call);
    const keep = call.config['keepdims'] === true;
    const axes = g.ints('axes', Array.from({ length: rank }, (_, a) => a + 2));
    const y = g.node(mode === 'max' ? 'ReduceMax' : 'ReduceMean', [x, axes], { keepdims: keep ? 1 : 0 }, call.layer.name);
    return output(call, y, keep ? asStored : false);
  };
}

const ranks: Record<string, number> = { '1D': 1, '2D': 2, '3D': 3 };
const nativeRank = (call: LayerCall) => ranks[call.layer.getClassName().slice(-2)]!;
const argRank = (call: LayerCall) => call.config['rank'] as number;

export const poolingLayers: Record<string, Converter> = {
  MaxPooling1D: pooling('max', nativeRank),
  MaxPooling2D: pooling('max', nativeRank),
  MaxPooling3D: pooling('max', nativeRank),
  AveragePooling1D: pooling('average', nativeRank),
  AveragePooling2D: pooling('average', nativeRank),
  AveragePooling3D: pooling('average', nativeRank),
  NetspecPooling: (call) => pooling(call.config['mode'] as 'max' | 'average', argRank)(call),
  GlobalAveragePooling1D: globalPooling('average', nativeRank),
  GlobalAveragePooling2D: globalPooling('average', nativeRank),
  GlobalMaxPooling1D: globalPooling('max', nativeRank),
  GlobalMaxPooling2D: globalPooling('max', nativeRank),
  NetspecGlobalPooling: (call) => globalPooling(call.config['mode'] as 'max' | 'average', argRank)(call),
};
