/**
 * The calls of a functional model's layers (`inbound_nodes`) as the tensors
 * each layer reads. Three formats: tfjs and Keras 2 write a list of nodes,
 * each a list of `[layer, nodeIndex, tensorIndex, kwargs]`; Keras 3 writes a
 * list of `{ args, kwargs }` whose args hold `__keras_tensor__` objects with a
 * `keras_history` `[layer, nodeIndex, tensorIndex]` (keras/src/models/functional.py,
 * `serialize_node`), possibly nested in lists (a merge's one list argument).
 */
import type { PathSegment } from '../parse/parse-spec.js';
import { isObject, type Json } from './arguments.js';

export interface TensorRef {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
  /** Where it is written, relative to the layer. */
  readonly path: readonly PathSegment[];
}

export type Calls = { readonly calls: readonly (readonly TensorRef[])[] } | { readonly error: { path: readonly PathSegment[]; message: string } };

function kerasTensors(value: Json, path: PathSegment[], out: TensorRef[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => kerasTensors(v, [...path, i], out));
  if (!isObject(value) || value['class_name'] !== '__keras_tensor__' || !isObject(value['config'])) return;
  const history = value['config']['keras_history'];
  if (Array.isArray(history) && typeof history[0] === 'string') out.push({ layer: history[0], node: Number(history[1] ?? 0), tensor: Number(history[2] ?? 0), path: [...path, 'config', 'keras_history'] });
}

/** Each call of the layer (one per node) as the tensors it reads, in order. */
export function callsOf(inbound: Json | undefined): Calls {
  if (inbound === undefined || inbound === null) return { calls: [] };
  if (!Array.isArray(inbound)) return { error: { path: ['inbound_nodes'], message: 'inbound_nodes must be a list of calls' } };
  const calls: TensorRef[][] = [];
  for (const [n, node] of inbound.entries()) {
    const refs: TensorRef[] = [];
    if (isObject(node)) {
      kerasTensors(node['args'] ?? [], ['inbound_nodes', n, 'args'], refs);
    } else if (Array.isArray(node)) {
      for (const [i, entry] of node.entries()) {
        if (Array.isArray(entry) && typeof entry[0] === 'string') refs.push({ layer: entry[0], node: Number(entry[1] ?? 0), tensor: Number(entry[2] ?? 0), path: ['inbound_nodes', n, i] });
        else return { error: { path: ['inbound_nodes', n, i], message: 'an inbound node entry must be [layer, nodeIndex, tensorIndex, kwargs]' } };
      }
    } else {
      return { error: { path: ['inbound_nodes', n], message: 'an inbound node must be a list of [layer, nodeIndex, tensorIndex, kwargs] or { args, kwargs }' } };
    }
    calls.push(refs);
  }
  return { calls };
}

/** `input_layers` / `output_layers`: `[[name, node, tensor], ...]`, or Keras 3's single `[name, node, tensor]`. */
export function endpoints(value: Json | undefined): { layer: string; tensor: number; index: number }[] {
  if (!Array.isArray(value)) return [];
  if (typeof value[0] === 'string') return [{ layer: value[0], tensor: Number(value[2] ?? 0), index: 0 }];
  return value.flatMap((v, index) => (Array.isArray(v) && typeof v[0] === 'string' ? [{ layer: v[0], tensor: Number(v[2] ?? 0), index }] : []));
}
