import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient.js';

/**
 * Inserts `factor - 1` zeros between neighbours along `axis`:
 * length n becomes (n - 1) * factor + 1. Built from pad and reshape, so it has gradients on every backend.
 */
export function interleaveZeros(t: tf.Tensor, axis: number, factor: number): tf.Tensor {
  if (factor === 1) return t;
  const shape = t.shape;
  const n = shape[axis]!;
  const expanded = t.expandDims(axis + 1);
  const padding = shape.map((): [number, number] => [0, 0]);
  padding.splice(axis + 1, 0, [0, factor - 1]);
  const merged = tf.pad(expanded, padding).reshape([...shape.slice(0, axis), n * factor, ...shape.slice(axis + 1)]);
  const size = shape.slice();
  size[axis] = (n - 1) * factor + 1;
  return slice(merged, shape.map(() => 0), size);
}

/**
 * tf.slice with a full `begin` and `size`, by the copy each backend does fast.
 * A slice of everything is `t` itself.
 */
export function slice(t: tf.Tensor, begin: readonly number[], size: readonly number[]): tf.Tensor {
  const shape = t.shape as number[];
  if (size.every((n, a) => n === shape[a] && begin[a] === 0)) return t;
  return tf.getBackend() === 'cpu' ? sliceByRuns(t, begin, size) : sliceLowRank(t, begin, size);
}

/**
 * wasm copies slices of rank 4 or less in blocks but higher ranks element by
 * element (1.5 s for a 2M-element crop of rank 5): slice the leading axes with
 * the last two merged, then the second-to-last axis.
 */
function sliceLowRank(t: tf.Tensor, begin: readonly number[], size: readonly number[]): tf.Tensor {
  const shape = t.shape as number[];
  const r = shape.length;
  if (r <= 4) return tf.slice(t, begin.slice(), size.slice());
  const last = shape[r - 2]! * shape[r - 1]!;
  const leading = slice(t.reshape([...shape.slice(0, r - 2), last]), [...begin.slice(0, r - 2), 0], [...size.slice(0, r - 2), last]);
  const rows = product(size.slice(0, r - 2));
  return slice(leading.reshape([rows, shape[r - 2]!, shape[r - 1]!]), [0, begin[r - 2]!, begin[r - 1]!], [rows, size[r - 2]!, size[r - 1]!]).reshape(size.slice());
}

/** More contiguous runs than this and `sliceByRuns` pays more in op calls than it saves. */
const MAX_RUNS = 4096;

const product = (values: readonly number[]) => values.reduce((p, v) => p * v, 1);

/**
 * cpu copies a slice that is not one contiguous block element by element
 * through TensorBuffer (~0.6 us each: 2.7 s for a 2M-element crop), but a
 * contiguous slice and a concat at memory speed. So: the contiguous runs of
 * the result, concatenated; its gradient is the pad that puts `dy` back.
 */
function sliceByRuns(t: tf.Tensor, begin: readonly number[], size: readonly number[]): tf.Tensor {
  const shape = t.shape as number[];
  // Axes after the last cropped one are whole, so each run spans them and `size[last]` positions of `last`.
  let last = shape.length - 1;
  while (size[last] === shape[last] && begin[last] === 0) last--;
  const runs = product(size.slice(0, last));
  if (runs > MAX_RUNS) return tf.slice(t, begin.slice(), size.slice());
  const inner = product(shape.slice(last + 1));
  const strides = shape.map((_, a) => product(shape.slice(a + 1)));
  const cut = customGradient((x: tf.Tensor) => {
    const flat = x.reshape([x.size]);
    const pieces = Array.from({ length: runs }, (_, run) => {
      // The run's index over axes 0..last-1, row-major, offset by `begin`.
      let offset = begin[last]! * strides[last]!;
      for (let a = last - 1, rest = run; a >= 0; a--) {
        offset += (begin[a]! + (rest % size[a]!)) * strides[a]!;
        rest = Math.floor(rest / size[a]!);
      }
      return tf.slice(flat, [offset], [size[last]! * inner]);
    });
    return {
      value: (pieces.length === 1 ? pieces[0]! : tf.concat(pieces)).reshape(size.slice()),
      gradFunc: (dy: tf.Tensor) => tf.pad(dy, shape.map((n, a): [number, number] => [begin[a]!, n - begin[a]! - size[a]!])),
    };
  });
  return cut(t);
}

/**
 * For each spatial axis `a` (tensor axis `a + 1`), takes `lengths[a]` positions
 * starting at `starts[a]`, which may be negative; positions outside `t` are
 * zeros: the crop-then-zero-extend step of docs/semantics.md, at most one slice and one pad.
 */
export function region(t: tf.Tensor, starts: readonly number[], lengths: readonly number[]): tf.Tensor {
  const shape = t.shape as number[];
  const spatial = (values: readonly number[], outer: number) => shape.map((d, a) => (a === 0 || a > starts.length ? (outer < 0 ? d : outer) : values[a - 1]!));
  const begin = starts.map((s) => Math.max(0, s));
  const take = begin.map((b, a) => Math.max(0, Math.min(shape[a + 1]!, starts[a]! + lengths[a]!) - b));
  if (take.some((n) => n === 0)) return tf.zeros(spatial(lengths, -1));
  const cropped = slice(t, spatial(begin, 0), spatial(take, -1));
  const before = starts.map((s) => Math.max(0, -s));
  const after = lengths.map((n, a) => n - before[a]! - take[a]!);
  if (before.every((n) => n === 0) && after.every((n) => n === 0)) return cropped;
  return pad(cropped, shape.map((_, a): [number, number] => (a === 0 || a > starts.length ? [0, 0] : [before[a - 1]!, after[a - 1]!])));
}

/** tf.pad with zeros, whose gradient is `slice` (tf.pad's own is tf.slice, element by element at rank 5 on wasm). */
function pad(t: tf.Tensor, pads: readonly [number, number][]): tf.Tensor {
  const padded = customGradient((x: tf.Tensor) => ({
    value: tf.pad(x, pads.slice()),
    gradFunc: (dy: tf.Tensor) =>
      slice(
        dy,
        pads.map(([b]) => b),
        x.shape,
      ),
  }));
  return padded(t);
}

/** channelsFirst -> channelsLast for a batch-first tensor of any rank. */
export function toChannelsLast(t: tf.Tensor): tf.Tensor {
  const r = t.rank;
  return t.transpose([0, ...Array.from({ length: r - 2 }, (_, a) => a + 2), 1]);
}

/** channelsLast -> channelsFirst for a batch-first tensor of any rank. */
export function toChannelsFirst(t: tf.Tensor): tf.Tensor {
  const r = t.rank;
  return t.transpose([0, r - 1, ...Array.from({ length: r - 2 }, (_, a) => a + 1)]);
}
