import * as tf from '@tensorflow/tfjs';
import { AttributeType, DataType } from './encode.js';

/** An attribute value as the converters write it; arrays of integers become INTS. */
export type Attribute = number | string | readonly number[] | { readonly float: number } | { readonly floats: readonly number[] };

/**
 * A tensor of the ONNX graph being built. Tensors of rank >= 3 may be stored
 * channels-first (ONNX's convolution layout) while the tfjs model holds them
 * channels-last; `channelsFirst` says which, and `Graph.first`/`Graph.last`
 * transpose on demand, once per tensor.
 */
export interface Value {
  readonly name: string;
  readonly rank: number;
  readonly channelsFirst: boolean;
}

/** Axis `a` of a channels-last tensor of rank `rank` in its channels-first form. */
export function firstAxis(a: number, rank: number): number {
  const axis = a < 0 ? rank + a : a;
  if (axis === 0) return 0;
  return axis === rank - 1 ? 1 : axis + 1;
}

const toFirst = (rank: number) => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, a) => a + 1)];
const toLast = (rank: number) => [0, ...Array.from({ length: rank - 2 }, (_, a) => a + 2), 1];

function attribute(name: string, value: Attribute): Record<string, unknown> {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  return { name, type: AttributeType.INTS, ints: [...(value as readonly number[])] };
}

/** Nodes and initializers of one ONNX graph, with names unique within it. */
export class Graph {
  readonly nodes: Record<string, unknown>[] = [];
  readonly initializers: Record<string, unknown>[] = [];
  private readonly used = new Set<string>();
  private readonly transposed = new Map<string, string>();

  /** A name not used yet, from `base`. */
  fresh(base: string): string {
    let name = base;
    for (let n = 1; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output and returns the output's name. */
  node(op: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, output = op): string {
    const name = this.fresh(output);
    this.nodes.push({
      op_type: op,
      name,
      input: [...inputs],
      output: [name],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return name;
  }

  /** A float32 initializer holding `values` (a tensor's data, row-major). */
  floats(base: string, values: Float32Array, dims: readonly number[]): string {
    const name = this.fresh(base);
    const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    this.initializers.push({ name, dims: [...dims], data_type: DataType.FLOAT, raw_data: bytes });
    return name;
  }

  /** A float32 initializer from a tfjs tensor, optionally transposed first. */
  tensor(base: string, t: tf.Tensor, perm?: readonly number[]): string {
    const arranged = perm ? tf.transpose(t, [...perm]) : t;
    const name = this.floats(base, arranged.dataSync() as Float32Array, arranged.shape);
    if (arranged !== t) arranged.dispose();
    return name;
  }

  /** An int64 initializer (shapes, axes, pads). */
  ints(base: string, values: readonly number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [values.length], data_type: DataType.INT64, int64_data: [...values] });
    return name;
  }

  /** A float32 scalar initializer. */
  scalar(base: string, value: number): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [], data_type: DataType.FLOAT, float_data: [value] });
    return name;
  }

  /** The value's tensor in channels-first form. */
  first(v: Value): string {
    if (v.channelsFirst || v.rank < 3) return v.name;
    return this.transpose(v.name, toFirst(v.rank));
  }

  /** The value's tensor in channels-last (tfjs) form. */
  last(v: Value): string {
    if (!v.channelsFirst || v.rank < 3) return v.name;
    return this.transpose(v.name, toLast(v.rank));
  }

  private transpose(name: string, perm: number[]): string {
    const key = `${name}|${perm.join(',')}`;
    let out = this.transposed.get(key);
    if (out === undefined) {
      out = this.node('Transpose', [name], { perm }, `${name}_t`);
      this.transposed.set(key, out);
    }
    return out;
  }
}
