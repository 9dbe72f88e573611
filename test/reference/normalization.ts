/**
 * Plain-loop references for group, instance and pixel normalization, in
 * float64 over row-major arrays, sharing no code with src/ (no tfjs ops, no
 * reshapes into groups): each element finds its sample and channel from its
 * flat index, and the statistics are sums over the elements that share them.
 * - group (Wu and He 2018; Keras 3 GroupNormalization, PyTorch GroupNorm):
 *   channel c of C is in group floor(c / (C / G)); mean and biased variance per
 *   (sample, group) over every element of the group's channels;
 *   y = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c].
 * - instance: the same with G = C.
 * - pixel (Karras et al. 2018, section 4.2): y = x / sqrt(mean over the
 *   channels of x^2 at that position + eps).
 * Gradients are central differences of these float64 forwards.
 */
import { zeros, type NdArray } from './conv-transpose.js';

/** Sample and channel of the element at `flat`, for the channel axis `axis`. */
function coordinates(shape: readonly number[], axis: number, flat: number): { n: number; c: number; position: number } {
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const perSample = shape.slice(1).reduce((p, d) => p * d, 1);
  const n = Math.floor(flat / perSample);
  const c = Math.floor(flat / inner) % shape[axis]!;
  // The same position in every channel: the index within the sample with the channel coordinate removed.
  const within = flat % perSample;
  const position = Math.floor(within / (inner * shape[axis]!)) * inner + (within % inner);
  return { n, c, position };
}

export interface GroupNormRefArgs {
  readonly axis: number;
  readonly groups: number;
  readonly epsilon: number;
  readonly gamma?: readonly number[];
  readonly beta?: readonly number[];
}

export function groupNormRef(x: NdArray, { axis, groups, epsilon, gamma, beta }: GroupNormRefArgs): NdArray {
  const channels = x.shape[axis]!;
  const size = channels / groups;
  const batch = x.shape[0]!;
  const key = (k: number) => {
    const { n, c } = coordinates(x.shape, axis, k);
    return n * groups + Math.floor(c / size);
  };
  const count = new Float64Array(batch * groups);
  const sum = new Float64Array(batch * groups);
  for (let k = 0; k < x.data.length; k++) {
    count[key(k)]! += 1;
    sum[key(k)]! += x.data[k]!;
  }
  const mean = sum.map((s, g) => s / count[g]!);
  const squares = new Float64Array(batch * groups);
  for (let k = 0; k < x.data.length; k++) squares[key(k)]! += (x.data[k]! - mean[key(k)]!) ** 2;
  const out = zeros(x.shape);
  for (let k = 0; k < x.data.length; k++) {
    const g = key(k);
    const { c } = coordinates(x.shape, axis, k);
    const normalized = (x.data[k]! - mean[g]!) / Math.sqrt(squares[g]! / count[g]! + epsilon);
    out.data[k] = normalized * (gamma ? gamma[c]! : 1) + (beta ? beta[c]! : 0);
  }
  return out;
}

export function pixelNormRef(x: NdArray, axis: number, epsilon: number): NdArray {
  const batch = x.shape[0]!;
  const positions = x.data.length / batch / x.shape[axis]!;
  const squares = new Float64Array(batch * positions);
  const at = (k: number) => {
    const { n, position } = coordinates(x.shape, axis, k);
    return n * positions + position;
  };
  for (let k = 0; k < x.data.length; k++) squares[at(k)]! += x.data[k]! ** 2;
  const out = zeros(x.shape);
  for (let k = 0; k < x.data.length; k++) out.data[k] = x.data[k]! / Math.sqrt(squares[at(k)]! / x.shape[axis]! + epsilon);
  return out;
}

/** The gradient of `sum(f(values) * dy)` with respect to `values`, by central differences in float64. */
export function numericGradient(values: readonly number[], f: (values: readonly number[]) => NdArray, dy: NdArray, h = 1e-5): number[] {
  const loss = (v: readonly number[]) => f(v).data.reduce((s, y, k) => s + y * dy.data[k]!, 0);
  return values.map((_, k) => {
    const up = values.slice();
    const down = values.slice();
    up[k]! += h;
    down[k]! -= h;
    return (loss(up) - loss(down)) / (2 * h);
  });
}
