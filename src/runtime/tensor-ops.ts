import * as tf from '@tensorflow/tfjs';

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
  return tf.slice(merged, shape.map(() => 0), size);
}

/**
 * Takes `length` positions of `axis` starting at `start`; positions past the
 * end of `t` are zeros. This is the crop-then-zero-extend step of BRIEF §2.
 */
export function window(t: tf.Tensor, axis: number, start: number, length: number): tf.Tensor {
  const available = t.shape[axis]!;
  if (start === 0 && length === available) return t;
  const take = Math.max(0, Math.min(length, available - start));
  const begin = t.shape.map((_, a) => (a === axis ? start : 0));
  const size = t.shape.map((d, a) => (a === axis ? take : d!));
  const cropped = take === available ? t : tf.slice(t, begin, size);
  if (take === length) return cropped;
  return tf.pad(cropped, t.shape.map((_, a): [number, number] => (a === axis ? [0, length - take] : [0, 0])));
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
