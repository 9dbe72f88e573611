/**
 * Plain-loop references for repeatVector and permute (Keras `RepeatVector`,
 * `Permute` with 1-based dims) and their gradients. Independent of src/.
 */
import { zeros, type NdArray } from './conv-transpose.js';

/** `[B, F]` -> `[B, n, F]`. */
export function repeatVectorRef(x: NdArray, n: number): NdArray {
  const [b, f] = x.shape as [number, number];
  const out = zeros([b, n, f]);
  for (let s = 0; s < b; s++) for (let r = 0; r < n; r++) for (let k = 0; k < f; k++) out.data[(s * n + r) * f + k] = x.data[s * f + k]!;
  return out;
}

/** The gradient of `sum(repeatVector(x) * dy)`: dy summed over the repeats. */
export function repeatVectorGradRef(dy: NdArray): NdArray {
  const [b, n, f] = dy.shape as [number, number, number];
  const dx = zeros([b, f]);
  for (let s = 0; s < b; s++) for (let r = 0; r < n; r++) for (let k = 0; k < f; k++) dx.data[s * f + k]! += dy.data[(s * n + r) * f + k]!;
  return dx;
}

/** Output axis i (after the batch, 1-based) is input axis dims[i - 1]. */
export function permuteRef(x: NdArray, dims: readonly number[]): NdArray {
  const order = [0, ...dims];
  const shape = order.map((a) => x.shape[a]!);
  const out = zeros(shape);
  const strides = x.shape.map((_, a) => x.shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const at = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    let src = 0;
    for (let a = 0; a < shape.length; a++) src += at[a]! * strides[order[a]!]!;
    out.data[k] = x.data[src]!;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++at[a]! < shape[a]!) break;
      at[a] = 0;
    }
  }
  return out;
}

/** The gradient of `sum(permute(x) * dy)`: dy permuted back by the inverse permutation. */
export function permuteGradRef(dy: NdArray, dims: readonly number[]): NdArray {
  const inverse = dims.map((_, i) => dims.indexOf(i + 1) + 1);
  return permuteRef(dy, inverse);
}
