/**
 * Plain-loop references for the gradients of a 3D convolution and of max
 * pooling (2D and 3D), channelsLast. Independent of src/: TensorFlow's
 * definitions written out index by index.
 */
import { zeros, type NdArray } from './conv-transpose.js';

/** Per axis: the padding before the first window and the number of windows (TensorFlow's `valid` and `same`). */
export function windows(i: number, k: number, s: number, padding: 'valid' | 'same'): { before: number; out: number } {
  if (padding === 'valid') return { before: 0, out: Math.floor((i - k) / s) + 1 };
  const out = Math.ceil(i / s);
  return { before: Math.floor(Math.max(0, (out - 1) * s + k - i) / 2), out };
}

/**
 * `y[b, o, f] = sum over taps t and channels c of x[b, o*s + t - before, c] * w[t, c, f]`
 * (o and t over depth, height, width); returns the gradients of `sum(y * dy)`.
 */
export function conv3dGradientsRef(x: NdArray, w: NdArray, strides: readonly number[], padding: 'valid' | 'same', dy: NdArray): { dx: NdArray; dw: NdArray } {
  const [n, D, H, W, C] = x.shape as [number, number, number, number, number];
  const [kd, kh, kw, , F] = w.shape as [number, number, number, number, number];
  const [ad, ah, aw] = [windows(D, kd, strides[0]!, padding), windows(H, kh, strides[1]!, padding), windows(W, kw, strides[2]!, padding)];
  const dx = zeros(x.shape);
  const dw = zeros(w.shape);
  for (let b = 0; b < n; b++)
    for (let od = 0; od < ad.out; od++)
      for (let oh = 0; oh < ah.out; oh++)
        for (let ow = 0; ow < aw.out; ow++)
          for (let td = 0; td < kd; td++)
            for (let th = 0; th < kh; th++)
              for (let tw = 0; tw < kw; tw++) {
                const [d, h, v] = [od * strides[0]! + td - ad.before, oh * strides[1]! + th - ah.before, ow * strides[2]! + tw - aw.before];
                if (d < 0 || d >= D || h < 0 || h >= H || v < 0 || v >= W) continue;
                for (let c = 0; c < C; c++)
                  for (let f = 0; f < F; f++) {
                    const g = dy.data[(((b * ad.out + od) * ah.out + oh) * aw.out + ow) * F + f]!;
                    const xi = (((b * D + d) * H + h) * W + v) * C + c;
                    const wi = (((td * kh + th) * kw + tw) * C + c) * F + f;
                    dx.data[xi] += g * w.data[wi]!;
                    dw.data[wi] += g * x.data[xi]!;
                  }
              }
  return { dx, dw };
}

/**
 * The gradient of `sum(maxPool(x) * dy)`: each window's dy goes to the
 * position of its maximum, the first of equal maxima or the last (`ties`).
 * `x` is [n, ...spatial, C] with 2 or 3 spatial axes.
 */
export function maxPoolGradientRef(x: NdArray, pool: readonly number[], strides: readonly number[], padding: 'valid' | 'same', dy: NdArray, ties: 'first' | 'last'): NdArray {
  const rank = x.shape.length - 2;
  // 2D as 3D with a depth of 1.
  const [n, D, H, W, C] = (rank === 2 ? [x.shape[0]!, 1, ...x.shape.slice(1)] : x.shape) as [number, number, number, number, number];
  const [k, s] = rank === 2 ? [[1, ...pool], [1, ...strides]] : [pool, strides];
  const axes = [windows(D, k[0]!, s[0]!, padding), windows(H, k[1]!, s[1]!, padding), windows(W, k[2]!, s[2]!, padding)];
  const dx = zeros(x.shape);
  for (let b = 0; b < n; b++)
    for (let od = 0; od < axes[0]!.out; od++)
      for (let oh = 0; oh < axes[1]!.out; oh++)
        for (let ow = 0; ow < axes[2]!.out; ow++)
          for (let c = 0; c < C; c++) {
            let best = -Infinity;
            let at = -1;
            for (let td = 0; td < k[0]!; td++)
              for (let th = 0; th < k[1]!; th++)
                for (let tw = 0; tw < k[2]!; tw++) {
                  const [d, h, v] = [od * s[0]! + td - axes[0]!.before, oh * s[1]! + th - axes[1]!.before, ow * s[2]! + tw - axes[2]!.before];
                  if (d < 0 || d >= D || h < 0 || h >= H || v < 0 || v >= W) continue;
                  const i = (((b * D + d) * H + h) * W + v) * C + c;
                  if (x.data[i]! > best || (ties === 'last' && x.data[i] === best)) [best, at] = [x.data[i]!, i];
                }
            dx.data[at] += dy.data[(((b * axes[0]!.out + od) * axes[1]!.out + oh) * axes[2]!.out + ow) * C + c]!;
          }
  return dx;
}
