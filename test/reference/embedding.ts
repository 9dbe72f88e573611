/**
 * A plain-loop reference for an embedding lookup (Keras `Embedding`): output
 * `[..., k]` is row `indices[...]` of the table. Independent of src/.
 */
import { zeros, type NdArray } from './conv-transpose.js';

export function embeddingRef(indices: readonly number[], indexShape: readonly number[], table: NdArray): NdArray {
  const dim = table.shape[1]!;
  const out = zeros([...indexShape, dim]);
  indices.forEach((row, p) => {
    for (let k = 0; k < dim; k++) out.data[p * dim + k] = table.data[row * dim + k]!;
  });
  return out;
}

/** The gradient of `sum(output * dy)` with respect to the table: each row sums `dy` over the positions that read it. */
export function embeddingGradRef(indices: readonly number[], table: NdArray, dy: NdArray): NdArray {
  const dim = table.shape[1]!;
  const grad = zeros(table.shape);
  indices.forEach((row, p) => {
    for (let k = 0; k < dim; k++) grad.data[row * dim + k]! += dy.data[p * dim + k]!;
  });
  return grad;
}
