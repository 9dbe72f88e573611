import * as tf from '@tensorflow/tfjs';
import { convertModel } from './convert-model.js';
import { DataType, encodeModel } from './encode.js';
import { Graph, type Value } from './graph.js';

export { OnnxExportError } from './layer-call.js';
export { decodeModel } from './encode.js';

/** Options of `toOnnx`. */
export interface OnnxOptions {
  /** The graph's name. Default: the model's name. */
  readonly graphName?: string;
  /** Written into the model's `producer_version`. Default: none. */
  readonly producerVersion?: string;
}

/**
 * The ONNX opset the export targets: 18, the first with `axes` as an input of
 * every Reduce* operator (ONNX Changelog, ReduceMean-18).
 */
export const OPSET = 18;

/** ONNX IR version 8 is the one of opset 18 (onnx/helper.py VERSION_TABLE, ONNX 1.13). */
const IR_VERSION = 8;

const elementType = (dtype: string) => (dtype === 'int32' ? DataType.INT32 : DataType.FLOAT);

/** Unknown dims become named dynamic dims: `batch` for axis 0, else `<tensor>_<axis>`. */
function valueInfo(name: string, dtype: string, shape: readonly (number | null)[]): Record<string, unknown> {
  const dim = shape.map((d, a) => (d === null ? { dim_param: a === 0 ? 'batch' : `${name}_${a}` } : { dim_value: d }));
  return { name, type: { tensor_type: { elem_type: elementType(dtype), shape: { dim } } } };
}

/**
 * An ONNX ModelProto (opset 18) of a tfjs LayersModel built by a netspec
 * generated module, with its current weights. Inputs and outputs keep the tfjs
 * names (the spec's ids) and channels-last shapes; the batch and every dim the
 * model leaves unknown are dynamic. A layer with no exact ONNX form raises
 * `OnnxExportError` naming it (docs/onnx.md lists what is exported).
 */
export function toOnnx(model: tf.LayersModel, options: OnnxOptions = {}): Uint8Array {
  const graph = new Graph();
  const inputNames = model.inputs.map((t, i) => graph.fresh(model.inputNames[i] ?? t.name));
  const outputNames = model.outputs.map((t, i) => graph.fresh(model.outputNames[i] ?? t.name));
  const inputs: Value[] = inputNames.map((name, i) => ({ name, rank: model.inputs[i]!.shape.length, channelsFirst: false }));
  // tidy frees the intermediate tensors (transposed kernels, reparametrized weights); it returns nothing, since it would walk a returned array.
  tf.tidy(() => {
    const outputs = convertModel(model, inputs, graph);
    outputs.forEach((v, i) => graph.nodes.push({ op_type: 'Identity', name: `${outputNames[i]}_output`, input: [graph.last(v)], output: [outputNames[i]] }));
  });
  return encodeModel({
    ir_version: IR_VERSION,
    producer_name: 'netspec',
    ...(options.producerVersion ? { producer_version: options.producerVersion } : {}),
    opset_import: [{ domain: '', version: OPSET }],
    graph: {
      name: options.graphName ?? model.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: model.inputs.map((t, i) => valueInfo(inputNames[i]!, t.dtype, t.shape)),
      output: model.outputs.map((t, i) => valueInfo(outputNames[i]!, t.dtype, t.shape)),
    },
  });
}
