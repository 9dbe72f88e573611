import * as tf from '@tensorflow/tfjs';
import { activate } from './activations.js';
import { samePaddingAttributes } from './same-padding.js';
import { output, refuse, single, tuple, weight, type Converter } from './layer-call.js';

/**
 * Depthwise (Keras 3 `DepthwiseConv2D`) and separable convolutions as ONNX
 * Conv with `group` = input channels. The depthwise kernel `[k..., C, M]`
 * becomes `[C*M, 1, k...]`: TensorFlow's output channel `c*M + m` is ONNX
 * group `c`'s output `m`. The pointwise kernel `[1..., C*M, F]` is a 1x1 Conv.
 */
const depthwise: Converter = (call) => {
  const g = call.graph;
  const rank = call.config['rank'] as number;
  const channelsFirstData = call.config['dataFormat'] === 'channelsFirst';
  const v = single(call);
  const x = channelsFirstData ? g.last(v) : g.first(v);
  const kernel = weight(call, 'depthwise_kernel');
  if (!kernel) refuse(call, 'it has no depthwise kernel');
  const [channels, multiplier] = kernel.shape.slice(rank) as [number, number];
  const k = kernel.shape.slice(0, rank);
  const spatial = Array.from({ length: rank }, (_, a) => a);
  const arranged = tf.reshape(tf.transpose(kernel, [rank, rank + 1, ...spatial]), [channels * multiplier, 1, ...k]);
  const attributes: Record<string, number | number[] | string> = {
    group: channels,
    kernel_shape: k,
    strides: tuple(call.config['strides'], rank, 1),
    dilations: tuple(call.config['dilationRate'], rank, 1),
  };
  if (call.config['padding'] === 'same') {
    const shape = call.inputShapes[0]!;
    Object.assign(attributes, samePaddingAttributes(call, channelsFirstData ? shape.slice(2) : shape.slice(1, -1), k, attributes['strides'] as number[], attributes['dilations'] as number[]));
  }
  const pointwise = weight(call, 'pointwise_kernel');
  const bias = weight(call, 'bias');
  let y = g.node('Conv', [x, g.tensor(`${call.layer.name}_depthwise`, arranged), ...(bias && !pointwise ? [g.tensor(`${call.layer.name}_bias`, bias)] : [])], attributes, call.layer.name);
  if (pointwise) {
    const filters = pointwise.shape[rank + 1]!;
    const w = g.tensor(`${call.layer.name}_pointwise`, tf.reshape(tf.transpose(pointwise, [rank + 1, rank, ...spatial]), [filters, channels * multiplier, ...k.map(() => 1)]));
    y = g.node('Conv', [y, w, ...(bias ? [g.tensor(`${call.layer.name}_bias`, bias)] : [])], { kernel_shape: k.map(() => 1) }, call.layer.name);
  }
  return activate(call, g, output(call, y, !channelsFirstData), call.config['activation']);
};

export const depthwiseLayers: Record<string, Converter> = {
  NetspecDepthwiseConv: depthwise,
  NetspecSeparableConv: depthwise,
};
