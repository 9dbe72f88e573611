import type * as tf from '@tensorflow/tfjs';
import type { Graph, Value } from './graph.js';

/** Raised for a layer the export cannot express: it never drops or changes a layer silently. */
export class OnnxExportError extends Error {
  constructor(
    readonly layerName: string,
    readonly className: string,
    readonly reason: string,
  ) {
    super(`cannot export layer '${layerName}' (${className}) to ONNX: ${reason}`);
    this.name = 'OnnxExportError';
  }
}

/** One call of a layer inside the model being exported. */
export interface LayerCall {
  readonly layer: tf.layers.Layer;
  readonly config: Record<string, unknown>;
  readonly inputs: readonly Value[];
  /** The tfjs output shape of this call (null: unknown dims). */
  readonly outputShape: readonly (number | null)[];
  /** The tfjs input shapes of this call. */
  readonly inputShapes: readonly (readonly (number | null)[])[];
  readonly graph: Graph;
}

/** Converts one layer call into ONNX nodes, returning its output. */
export type Converter = (call: LayerCall) => Value;

export function refuse(call: LayerCall, reason: string): never {
  throw new OnnxExportError(call.layer.name, call.layer.getClassName(), reason);
}

/** The layer's weight whose name ends in `/name` (tfjs names them `<layer>/<name>`), if it has one. */
export function weight(call: LayerCall, name: string): tf.Tensor | undefined {
  const index = call.layer.weights.findIndex((w) => w.originalName.split('/').pop() === name || w.name.split('/').pop()?.replace(/_\d+$/, '') === name);
  return index < 0 ? undefined : call.layer.weights[index]!.read();
}

export function single(call: LayerCall): Value {
  if (call.inputs.length !== 1) refuse(call, `expected one input, got ${call.inputs.length}`);
  return call.inputs[0]!;
}

/** A number or a tuple option as one number per spatial axis. */
export function tuple(value: unknown, rank: number, fallback: number): number[] {
  if (value === undefined || value === null) return new Array<number>(rank).fill(fallback);
  if (typeof value === 'number') return new Array<number>(rank).fill(value);
  return (value as number[]).slice();
}

export function output(call: LayerCall, name: string, channelsFirst: boolean): Value {
  return { name, rank: call.outputShape.length, channelsFirst };
}
