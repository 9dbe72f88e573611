/**
 * A plain-loop reference for global max and average pooling (Keras 3
 * `GlobalMaxPooling*D`, `GlobalAveragePooling*D`), channelsLast
 * `[batch, positions..., channels]`, with its gradient: the mean spreads dy
 * evenly, the max gives it to the first largest value. Independent of src/.
 */
import { zeros, type NdArray } from './conv-transpose.js';

/** `[B, ..., C]` -> `[B, C]`. */
export function globalPoolRef(x: NdArray, mode: 'max' | 'average'): NdArray {
  const b = x.shape[0]!;
  const c = x.shape[x.shape.length - 1]!;
  const positions = x.data.length / (b * c);
  const out = zeros([b, c]);
  for (let s = 0; s < b; s++) {
    for (let ch = 0; ch < c; ch++) {
      let acc = mode === 'max' ? -Infinity : 0;
      for (let p = 0; p < positions; p++) {
        const v = x.data[(s * positions + p) * c + ch]!;
        acc = mode === 'max' ? Math.max(acc, v) : acc + v / positions;
      }
      out.data[s * c + ch] = acc;
    }
  }
  return out;
}

/** The gradient of `sum(globalPool(x) * dy)` with respect to x, dy `[B, C]`. */
export function globalPoolGradRef(x: NdArray, mode: 'max' | 'average', dy: NdArray): NdArray {
  const b = x.shape[0]!;
  const c = x.shape[x.shape.length - 1]!;
  const positions = x.data.length / (b * c);
  const dx = zeros(x.shape);
  for (let s = 0; s < b; s++) {
    for (let ch = 0; ch < c; ch++) {
      const g = dy.data[s * c + ch]!;
      if (mode === 'average') {
        for (let p = 0; p < positions; p++) dx.data[(s * positions + p) * c + ch] = g / positions;
        continue;
      }
      let best = 0;
      for (let p = 1; p < positions; p++) if (x.data[(s * positions + p) * c + ch]! > x.data[(s * positions + best) * c + ch]!) best = p;
      dx.data[(s * positions + best) * c + ch] = g;
    }
  }
  return dx;
}
