/**
 * How the pool splits a batch among workers and joins their results: pure
 * arithmetic over flat row-major arrays, whose leading axis is the batch, so
 * rows [start, end) of a tensor are one contiguous run of its data.
 */
import type { FlatTensor, TensorDtype } from './messages.js';

export interface BatchSlice {
  readonly start: number;
  readonly end: number;
}

/**
 * Contiguous slices, one per worker, of sizes differing by at most one (the
 * first `batch % workers` get the extra row); no empty slice unless the batch
 * is empty, which goes whole to one worker so it still learns the output shapes.
 */
export function batchSlices(batch: number, workers: number): BatchSlice[] {
  if (!Number.isInteger(batch) || batch < 0) throw new RangeError(`the batch size must be a whole number, received ${batch}`);
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`the worker count must be a positive whole number, received ${workers}`);
  const used = Math.max(1, Math.min(batch, workers));
  const base = Math.floor(batch / used);
  const extra = batch % used;
  const slices: BatchSlice[] = [];
  let start = 0;
  for (let n = 0; n < used; n++) {
    const end = start + base + (n < extra ? 1 : 0);
    slices.push({ start, end });
    start = end;
  }
  return slices;
}

const elementsPerRow = (shape: readonly number[]): number => shape.slice(1).reduce((p, d) => p * d, 1);

/** Rows [start, end) of `tensor`, copied into a buffer of their own so it can be transferred to a worker. */
export function sliceRows(tensor: FlatTensor, { start, end }: BatchSlice): FlatTensor {
  const row = elementsPerRow(tensor.shape);
  return { data: tensor.data.slice(start * row, end * row), shape: [end - start, ...tensor.shape.slice(1)], dtype: tensor.dtype };
}

/** The batch size of a list of model inputs, which must all agree on it (as model.predict requires). */
export function batchSize(inputs: readonly FlatTensor[]): number {
  const sizes = inputs.map((t) => t.shape[0]);
  if (sizes.length === 0) throw new TypeError('predict needs at least one input tensor');
  if (inputs.some((t) => t.shape.length === 0)) throw new TypeError('every input needs a batch axis; received a scalar');
  if (sizes.some((s) => s !== sizes[0])) throw new TypeError(`every input must have the same batch size, received ${sizes.join(', ')}`);
  return sizes[0]!;
}

function typedArray(dtype: TensorDtype, length: number): Float32Array | Int32Array {
  return dtype === 'int32' ? new Int32Array(length) : new Float32Array(length);
}

/** The parts (the results of consecutive slices, in order) joined along the batch axis. */
export function concatRows(parts: readonly FlatTensor[]): FlatTensor {
  const first = parts[0];
  if (first === undefined) throw new TypeError('nothing to concatenate');
  const inner = first.shape.slice(1);
  for (const p of parts) {
    if (p.dtype !== first.dtype || p.shape.length !== first.shape.length || p.shape.slice(1).some((d, n) => d !== inner[n]))
      throw new TypeError(`the workers returned results of different shapes: [${first.shape.join(', ')}] ${first.dtype} and [${p.shape.join(', ')}] ${p.dtype}`);
  }
  const data = typedArray(first.dtype, parts.reduce((n, p) => n + p.data.length, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return { data, shape: [parts.reduce((n, p) => n + p.shape[0]!, 0), ...inner], dtype: first.dtype };
}
