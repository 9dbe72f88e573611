/**
 * A plain-loop reference for ProGAN's minibatch standard deviation
 * (Karras et al. 2018, section 3; official `minibatch_stddev_layer`,
 * num_new_features=1), channelsLast, with its hand-derived gradient.
 * Independent of src/: no tfjs, no src/infer/formulas.ts.
 */
import { zeros, type NdArray } from './conv-transpose.js';

/** The group count M, the group size G, and per group m the stddev of each feature and their mean. */
function statistics(x: NdArray, groupSize: number) {
  const n = x.shape[0]!;
  const g = Math.min(groupSize, n);
  if (n % g !== 0) throw new Error(`batch ${n} does not split into groups of ${g}`);
  const m = n / g;
  const features = x.data.length / n;
  // Sample s = i*M + j is the i-th member of group j, as the official reshape [G, M, ...] reads it.
  const mean = new Float64Array(m * features);
  const std = new Float64Array(m * features);
  const perGroup = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    for (let f = 0; f < features; f++) {
      let sum = 0;
      for (let i = 0; i < g; i++) sum += x.data[(i * m + j) * features + f]!;
      const mu = sum / g;
      let squares = 0;
      for (let i = 0; i < g; i++) squares += (x.data[(i * m + j) * features + f]! - mu) ** 2;
      mean[j * features + f] = mu;
      std[j * features + f] = Math.sqrt(squares / g + 1e-8);
      perGroup[j]! += std[j * features + f]! / features;
    }
  }
  return { g, m, features, mean, std, perGroup };
}

/** `[N, ..., C]` -> `[N, ..., C + 1]`: x, then the stddev of the sample's group. */
export function minibatchStdDevRef(x: NdArray, groupSize: number): NdArray {
  const { m, perGroup } = statistics(x, groupSize);
  const c = x.shape[x.shape.length - 1]!;
  const out = zeros([...x.shape.slice(0, -1), c + 1]);
  const positions = x.data.length / c;
  const perSample = positions / x.shape[0]!;
  for (let p = 0; p < positions; p++) {
    for (let k = 0; k < c; k++) out.data[p * (c + 1) + k] = x.data[p * c + k]!;
    out.data[p * (c + 1) + c] = perGroup[Math.floor(p / perSample) % m]!;
  }
  return out;
}

/**
 * The gradient of `sum(y * dy)` with respect to x. With `S_m` the sum of dy's
 * new channel over every sample and position of group m and F features:
 * `dx = dy[..., :C] + S_m / F * (x - mean) / (G * std)`, from
 * `d std / d x = (x - mean) / (G * std)` (the mean's own derivative sums to 0).
 */
export function minibatchStdDevGradRef(x: NdArray, groupSize: number, dy: NdArray): NdArray {
  const { g, m, features, mean, std } = statistics(x, groupSize);
  const c = x.shape[x.shape.length - 1]!;
  const n = x.shape[0]!;
  const positions = x.data.length / c;
  const perSample = positions / n;
  const groupSum = new Float64Array(m);
  for (let p = 0; p < positions; p++) groupSum[Math.floor(p / perSample) % m]! += dy.data[p * (c + 1) + c]!;
  const dx = zeros(x.shape);
  for (let s = 0; s < n; s++) {
    const j = s % m;
    for (let f = 0; f < features; f++) {
      const k = s * features + f;
      const direct = dy.data[Math.floor(k / c) * (c + 1) + (k % c)]!;
      dx.data[k] = direct + (groupSum[j]! / features) * ((x.data[k]! - mean[j * features + f]!) / (g * std[j * features + f]!));
    }
  }
  return dx;
}
