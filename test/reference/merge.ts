/**
 * A plain-loop reference for the element-wise merges (Keras `Subtract`,
 * `Average`, `Maximum`, `Minimum`), with broadcasting as Keras and tfjs do
 * it: the batch axis first, the other axes aligned from the right, a 1
 * stretching. Gradients: each output element's dy goes back to every input
 * element it read (summed over broadcast axes); for maximum and minimum only
 * to the input that won (the first, on a tie). Independent of src/.
 */
import { zeros, type NdArray } from './conv-transpose.js';

export type MergeMode = 'subtract' | 'average' | 'maximum' | 'minimum';

/** The broadcast shape, batch first. */
function outShape(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, a) => {
    if (a === 0) return shapes[0]![0]!;
    return Math.max(...shapes.map((s) => s[s.length - (rank - a)] ?? 1));
  });
}

/** The flat index in `shape` that output coordinate `at` reads. */
function readIndex(shape: readonly number[], at: readonly number[]): number {
  let index = 0;
  for (let a = 0; a < shape.length; a++) {
    const o = a === 0 ? 0 : at.length - shape.length;
    const coordinate = shape[a] === 1 ? 0 : at[a + o]!;
    index = index * shape[a]! + coordinate;
  }
  return index;
}

function coordinates(shape: readonly number[], flat: number): number[] {
  const at = new Array<number>(shape.length).fill(0);
  for (let a = shape.length - 1; a >= 0; a--) {
    at[a] = flat % shape[a]!;
    flat = Math.floor(flat / shape[a]!);
  }
  return at;
}

/** Which input wins at each output element, and the output. */
function merge(xs: readonly NdArray[], mode: MergeMode): { out: NdArray; winner: Int32Array } {
  const out = zeros(outShape(xs.map((x) => x.shape)));
  const winner = new Int32Array(out.data.length);
  for (let k = 0; k < out.data.length; k++) {
    const at = coordinates(out.shape, k);
    const v = xs.map((x) => x.data[readIndex(x.shape, at)]!);
    if (mode === 'subtract') out.data[k] = v[0]! - v[1]!;
    else if (mode === 'average') out.data[k] = v.reduce((a, b) => a + b, 0) / v.length;
    else {
      let w = 0;
      for (let n = 1; n < v.length; n++) if (mode === 'maximum' ? v[n]! > v[w]! : v[n]! < v[w]!) w = n;
      winner[k] = w;
      out.data[k] = v[w]!;
    }
  }
  return { out, winner };
}

export function mergeRef(xs: readonly NdArray[], mode: MergeMode): NdArray {
  return merge(xs, mode).out;
}

/** The gradients of `sum(merge(xs) * dy)` with respect to each input. */
export function mergeGradRef(xs: readonly NdArray[], mode: MergeMode, dy: NdArray): NdArray[] {
  const { out, winner } = merge(xs, mode);
  const grads = xs.map((x) => zeros(x.shape));
  for (let k = 0; k < out.data.length; k++) {
    const at = coordinates(out.shape, k);
    xs.forEach((x, n) => {
      const share = mode === 'subtract' ? (n === 0 ? 1 : -1) : mode === 'average' ? 1 / xs.length : winner[k] === n ? 1 : 0;
      grads[n]!.data[readIndex(x.shape, at)]! += share * dy.data[k]!;
    });
  }
  return grads;
}

export { outShape as mergedShape };
