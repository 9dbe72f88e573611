/**
 * A plain-loop reference for PReLU (Keras 3 `PReLU`, He et al. 2015):
 * `y = x > 0 ? x : alpha * x`, alpha of the input's shape without the batch
 * with 1 on the shared axes, read by broadcasting. Independent of src/.
 */
import { zeros, type NdArray } from './conv-transpose.js';

/** alpha's shape: the input's shape without the batch, 1 on each shared axis (1 is the first after the batch). */
export function alphaShape(inShape: readonly number[], sharedAxes: readonly number[]): number[] {
  return inShape.slice(1).map((d, k) => (sharedAxes.includes(k + 1) ? 1 : d));
}

/** The element of alpha that input element `flat` reads. */
function alphaIndex(inShape: readonly number[], aShape: readonly number[], flat: number): number {
  let rest = flat;
  let index = 0;
  let stride = 1;
  for (let axis = inShape.length - 1; axis >= 1; axis--) {
    const coordinate = rest % inShape[axis]!;
    rest = Math.floor(rest / inShape[axis]!);
    const size = aShape[axis - 1]!;
    index += (size === 1 ? 0 : coordinate) * stride;
    stride *= size;
  }
  return index;
}

export function preluRef(x: NdArray, alpha: NdArray): NdArray {
  const out = zeros(x.shape);
  for (let k = 0; k < x.data.length; k++) {
    const v = x.data[k]!;
    out.data[k] = v > 0 ? v : alpha.data[alphaIndex(x.shape, alpha.shape, k)]! * v;
  }
  return out;
}

/** Gradients of `sum(prelu(x) * dy)`: with respect to x, and to alpha (summed over the positions sharing it). */
export function preluGradRef(x: NdArray, alpha: NdArray, dy: NdArray): { dx: NdArray; dAlpha: NdArray } {
  const dx = zeros(x.shape);
  const dAlpha = zeros(alpha.shape);
  for (let k = 0; k < x.data.length; k++) {
    const v = x.data[k]!;
    const a = alphaIndex(x.shape, alpha.shape, k);
    dx.data[k] = v > 0 ? dy.data[k]! : alpha.data[a]! * dy.data[k]!;
    if (v < 0) dAlpha.data[a]! += v * dy.data[k]!;
  }
  return { dx, dAlpha };
}
