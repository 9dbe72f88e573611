import * as tf from '@tensorflow/tfjs';
import { activationLayers } from './activations.js';
import { convolutionLayers } from './convolution.js';
import { denseLayers } from './dense.js';
import { depthwiseLayers } from './depthwise.js';
import { ganLayers } from './gan-layers.js';
import type { Graph, Value } from './graph.js';
import { OnnxExportError, type Converter } from './layer-call.js';
import { normalizationLayers } from './normalization.js';
import { poolingLayers } from './pooling.js';
import { structureLayers } from './structure.js';

/** Every layer class the export knows, by `getClassName()`. */
export const converters: Readonly<Record<string, Converter>> = {
  ...activationLayers,
  ...convolutionLayers,
  ...denseLayers,
  ...depthwiseLayers,
  ...ganLayers,
  ...normalizationLayers,
  ...poolingLayers,
  ...structureLayers,
};

interface Node {
  readonly inputTensors: tf.SymbolicTensor[];
  readonly outputTensors: tf.SymbolicTensor[];
}

const nodesOf = (layer: tf.layers.Layer) => (layer as unknown as { inboundNodes: Node[] }).inboundNodes;

/**
 * Converts a tfjs LayersModel's graph, its inputs bound to `inputs`, and returns
 * its outputs. It follows the symbolic tensors back from the outputs, so a layer
 * shared with another model (a GAN's generator inside the combined model) is
 * converted for the calls this model makes. A LayersModel used as a layer is
 * inlined, called on its own inputs.
 */
export function convertModel(model: tf.LayersModel, inputs: readonly Value[], graph: Graph): Value[] {
  const values = new Map<number, Value>();
  model.inputs.forEach((t, i) => values.set(t.id, inputs[i]!));
  const converted = new Map<string, Value[]>();

  const valueOf = (t: tf.SymbolicTensor): Value => {
    const known = values.get(t.id);
    if (known) return known;
    const layer = t.sourceLayer as tf.layers.Layer;
    const key = `${layer.id}:${t.nodeIndex}`;
    let outs = converted.get(key);
    if (!outs) {
      const node = nodesOf(layer)[t.nodeIndex]!;
      const args = node.inputTensors.map(valueOf);
      outs = callLayer(layer, node, args, graph);
      converted.set(key, outs);
    }
    const v = outs[t.tensorIndex];
    if (!v) throw new OnnxExportError(layer.name, layer.getClassName(), `output ${t.tensorIndex} is not produced`);
    values.set(t.id, v);
    return v;
  };
  return model.outputs.map(valueOf);
}

function callLayer(layer: tf.layers.Layer, node: Node, inputs: Value[], graph: Graph): Value[] {
  if (layer instanceof tf.LayersModel) return convertModel(layer, inputs, graph);
  const className = layer.getClassName();
  const converter = converters[className];
  if (!converter) throw new OnnxExportError(layer.name, className, 'netspec has no ONNX form for this layer class');
  return [
    converter({
      layer,
      config: layer.getConfig() as Record<string, unknown>,
      inputs,
      inputShapes: node.inputTensors.map((t) => t.shape),
      outputShape: node.outputTensors[0]!.shape,
      graph,
    }),
  ];
}
