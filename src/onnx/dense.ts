import * as tf from '@tensorflow/tfjs';
import { activate } from './activations.js';
import { output, refuse, single, weight, type Converter } from './layer-call.js';

/** Dense and embedding: both act on the last axis, so they take channels-last tensors. */
export const denseLayers: Record<string, Converter> = {
  Dense: dense,
  NetspecDense: dense,
  Embedding: embedding,
  NetspecEmbedding: embedding,
};

function dense(call: Parameters<Converter>[0]) {
  const g = call.graph;
  const own = call.layer as unknown as { inferenceWeights?: () => { kernel: tf.Tensor; bias?: tf.Tensor } };
  const { kernel, bias } = typeof own.inferenceWeights === 'function' ? own.inferenceWeights() : { kernel: weight(call, 'kernel'), bias: weight(call, 'bias') };
  if (!kernel) refuse(call, 'it has no kernel weight');
  const x = g.last(single(call));
  let y = g.node('MatMul', [x, g.tensor(`${call.layer.name}_kernel`, kernel)], {}, call.layer.name);
  if (bias) y = g.node('Add', [y, g.tensor(`${call.layer.name}_bias`, bias)], {}, call.layer.name);
  return activate(call, g, output(call, y, false), call.config['activation']);
}

function embedding(call: Parameters<Converter>[0]) {
  const g = call.graph;
  const table = weight(call, 'embeddings');
  if (!table) refuse(call, 'it has no embeddings weight');
  const indices = g.node('Cast', [g.last(single(call))], { to: 7 }, `${call.layer.name}_indices`);
  return output(call, g.node('Gather', [g.tensor(`${call.layer.name}_embeddings`, table), indices], { axis: 0 }, call.layer.name), false);
}
