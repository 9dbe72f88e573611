/**
 * A plain-loop reference for SAGAN self-attention (Zhang et al. 2019,
 * reference `Self_Attn`), channelsLast, with Keras-layout kernels
 * `[1, 1, C, out]` stored row-major (`kernel[c * out + o]`). The gradient is
 * a central finite difference of this same loop, in float64. Independent of
 * src/: no tfjs.
 */
import type { NdArray } from './conv-transpose.js';

export interface SelfAttentionWeights {
  readonly queryKernel: Float64Array;
  readonly queryBias: Float64Array;
  readonly keyKernel: Float64Array;
  readonly keyBias: Float64Array;
  readonly valueKernel: Float64Array;
  readonly valueBias: Float64Array;
  readonly gamma: Float64Array;
}

/** `x [B, H, W, C]` -> same shape: `gamma * softmax_j(q_i . k_j) v_j + x_i` at every position i. */
export function selfAttentionRef(x: NdArray, w: SelfAttentionWeights): Float64Array {
  const [b, h, wd, c] = x.shape as [number, number, number, number];
  const n = h * wd;
  const k = w.queryBias.length;
  const out = new Float64Array(x.data.length);
  const project = (sample: number, p: number, kernel: Float64Array, bias: Float64Array, width: number) => {
    const row = new Float64Array(width);
    for (let o = 0; o < width; o++) {
      let s = bias[o]!;
      for (let ch = 0; ch < c; ch++) s += x.data[(sample * n + p) * c + ch]! * kernel[ch * width + o]!;
      row[o] = s;
    }
    return row;
  };
  for (let s = 0; s < b; s++) {
    const q = Array.from({ length: n }, (_, p) => project(s, p, w.queryKernel, w.queryBias, k));
    const key = Array.from({ length: n }, (_, p) => project(s, p, w.keyKernel, w.keyBias, k));
    const v = Array.from({ length: n }, (_, p) => project(s, p, w.valueKernel, w.valueBias, c));
    for (let i = 0; i < n; i++) {
      const scores = key.map((kj) => kj.reduce((acc, kv, o) => acc + q[i]![o]! * kv, 0));
      const top = Math.max(...scores);
      const e = scores.map((z) => Math.exp(z - top));
      const total = e.reduce((a, z) => a + z, 0);
      for (let ch = 0; ch < c; ch++) {
        let attended = 0;
        for (let j = 0; j < n; j++) attended += (e[j]! / total) * v[j]![ch]!;
        const at = (s * n + i) * c + ch;
        out[at] = w.gamma[0]! * attended + x.data[at]!;
      }
    }
  }
  return out;
}

/** `d/dt sum(selfAttentionRef(...) * dy)` for each entry t of `target` (x's data or a weight), by central differences. */
export function selfAttentionNumericGrad(x: NdArray, w: SelfAttentionWeights, dy: Float64Array, target: Float64Array, step = 1e-5): Float64Array {
  const grad = new Float64Array(target.length);
  const loss = () => selfAttentionRef(x, w).reduce((acc, y, k) => acc + y * dy[k]!, 0);
  for (let t = 0; t < target.length; t++) {
    const kept = target[t]!;
    target[t] = kept + step;
    const up = loss();
    target[t] = kept - step;
    const down = loss();
    target[t] = kept;
    grad[t] = (up - down) / (2 * step);
  }
  return grad;
}
