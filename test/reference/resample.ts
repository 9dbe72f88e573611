/**
 * Plain-loop references for nearest upsampling, zero padding and cropping of
 * rank 1-3, channelsLast ([batch, spatial..., channels]). Independent of src/.
 */
import { zeros, type NdArray } from './conv-transpose.js';

type Pair = readonly [number, number];

/**
 * Output position `o` of every spatial axis reads input position `source(a, o)`,
 * or is zero when that returns -1.
 */
function gather(x: NdArray, outSpatial: readonly number[], source: (axis: number, o: number) => number): NdArray {
  const rank = x.shape.length - 2;
  const batch = x.shape[0]!;
  const channels = x.shape[rank + 1]!;
  const inSpatial = [...x.shape.slice(1, rank + 1), 1, 1].slice(0, 3);
  const out3 = [...outSpatial, 1, 1].slice(0, 3);
  const [I0, I1, I2] = inSpatial as [number, number, number];
  const [O0, O1, O2] = out3 as [number, number, number];
  const axisSource = (a: number, o: number) => (a < rank ? source(a, o) : o);
  const out = zeros([batch, ...outSpatial, channels]);
  for (let b = 0; b < batch; b++)
    for (let o0 = 0; o0 < O0; o0++)
      for (let o1 = 0; o1 < O1; o1++)
        for (let o2 = 0; o2 < O2; o2++) {
          const p0 = axisSource(0, o0);
          const p1 = axisSource(1, o1);
          const p2 = axisSource(2, o2);
          if (p0 < 0 || p1 < 0 || p2 < 0) continue;
          for (let c = 0; c < channels; c++) {
            out.data[(((b * O0 + o0) * O1 + o1) * O2 + o2) * channels + c] = x.data[(((b * I0 + p0) * I1 + p1) * I2 + p2) * channels + c]!;
          }
        }
  return out;
}

function spatialOf(x: NdArray): number[] {
  return x.shape.slice(1, -1) as number[];
}

/** Nearest-neighbour upsampling: `out[o] = x[floor(o / size)]` per axis. */
export function upSampleRef(x: NdArray, size: readonly number[]): NdArray {
  const spatial = spatialOf(x);
  return gather(x, spatial.map((i, a) => i * size[a]!), (a, o) => Math.floor(o / size[a]!));
}

/** Zeros before and after each spatial axis: `out[o] = x[o - begin]` where that exists. */
export function zeroPadRef(x: NdArray, pads: readonly Pair[]): NdArray {
  const spatial = spatialOf(x);
  return gather(x, spatial.map((i, a) => pads[a]![0] + i + pads[a]![1]), (a, o) => {
    const p = o - pads[a]![0];
    return p >= 0 && p < spatial[a]! ? p : -1;
  });
}

/** Positions removed before and after each spatial axis: `out[o] = x[o + begin]`. */
export function cropRef(x: NdArray, crops: readonly Pair[]): NdArray {
  const spatial = spatialOf(x);
  return gather(x, spatial.map((i, a) => i - crops[a]![0] - crops[a]![1]), (a, o) => o + crops[a]![0]);
}

/**
 * The two input rows (or columns) half-pixel bilinear sampling reads for
 * output `o` of an axis of length `n` upsampled by `s`, with their weights:
 * source `(o + 0.5) / s - 0.5`, its floor and the next position clamped to
 * [0, n - 1], the second weighted by the fraction. TensorFlow
 * `resize_bilinear(half_pixel_centers=True)`, PyTorch `align_corners=False`.
 */
function bilinearTaps(o: number, n: number, s: number): [number, number][] {
  const source = (o + 0.5) / s - 0.5;
  const low = Math.floor(source);
  const frac = source - low;
  const clamp = (i: number) => Math.min(Math.max(i, 0), n - 1);
  return [
    [clamp(low), 1 - frac],
    [clamp(low + 1), frac],
  ];
}

/**
 * Bilinear upsampling of a channelsLast `[batch, H, W, C]` array by `[sh, sw]`
 * with half-pixel centers, as Keras 3 UpSampling2D(interpolation='bilinear'):
 * `out[ho, wo] = sum of x[h, w] * wh * ww` over the taps of both axes.
 * With `dy`, also the gradient: each output's `dy` spread back over its taps.
 */
export function bilinearUpSampleRef(x: NdArray, size: readonly [number, number], dy?: NdArray): { y: NdArray; dx: NdArray } {
  const [batch, H, W, C] = x.shape as [number, number, number, number];
  const [Ho, Wo] = [H * size[0], W * size[1]];
  const y = zeros([batch, Ho, Wo, C]);
  const dx = zeros(x.shape);
  for (let b = 0; b < batch; b++)
    for (let ho = 0; ho < Ho; ho++)
      for (let wo = 0; wo < Wo; wo++)
        for (const [h, wh] of bilinearTaps(ho, H, size[0]))
          for (const [w, ww] of bilinearTaps(wo, W, size[1]))
            for (let c = 0; c < C; c++) {
              const out = ((b * Ho + ho) * Wo + wo) * C + c;
              const at = ((b * H + h) * W + w) * C + c;
              y.data[out] += x.data[at]! * wh * ww;
              if (dy) dx.data[at] += dy.data[out]! * wh * ww;
            }
  return { y, dx };
}
