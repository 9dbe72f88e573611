import * as tf from '@tensorflow/tfjs';
import { window } from './tensor-ops.js';

/**
 * The output of one spatial axis of a transposed convolution: `length`
 * positions of the full result, starting `crop` positions in (positions past
 * the end of the full result are zeros). See BRIEF §2 and docs/semantics.md.
 */
export interface AxisWindow {
  readonly crop: number;
  readonly length: number;
}

/**
 * How the full transposed convolution is computed. All give the same values;
 * they differ in speed and in which backends have their gradients.
 * - `native`: tfjs' own transposed-convolution ops (fastest on cpu).
 * - `subpixel`: one stride-1 convolution with a kernel per output phase,
 *   then an interleave (fastest on wasm, and the only one correct there).
 */
export type Algorithm = 'native' | 'subpixel';

let forced: Algorithm | undefined;

/** Forces an algorithm (tests and benchmarks); `undefined` restores the choice per backend. */
export function forceAlgorithm(algorithm: Algorithm | undefined): void {
  forced = algorithm;
}

/** wasm's transposed-convolution kernels are wrong or crash (BRIEF §1) and it lacks conv2d's filter gradient. */
export function algorithmFor(backend: string): Algorithm {
  return forced ?? (backend === 'wasm' ? 'subpixel' : 'native');
}

/** tf.customGrad's typings take one variadic signature; these are the two-tensor functions built here. */
type CustomGradient = Parameters<typeof tf.customGrad>[0];
type Binary = (x: tf.Tensor, w: tf.Tensor) => tf.Tensor;

const spatialAxes = (rank: number) => Array.from({ length: rank }, (_, a) => a);

/** A stride-1 valid correlation (tfjs conv2d/conv3d), rank 2 or 3. */
function correlate(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return x.rank === 4 ? tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid') : tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'valid');
}

/**
 * A stride-1 valid correlation whose gradients are themselves forward
 * correlations, so it trains on every backend that can run conv2d/conv3d
 * (wasm has no conv2d filter gradient and a wrong conv3d input gradient).
 */
const correlateWithGrads = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: correlate(x, w),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [input, kernel] = saved as [tf.Tensor, tf.Tensor];
      const grad = Array.isArray(dy) ? dy[0]! : dy;
      const rank = input.rank - 2;
      const k = kernel.shape.slice(0, rank) as number[];
      // dx: the full correlation of dy with the flipped kernel, channels swapped.
      const flipped = tf.reverse(kernel, spatialAxes(rank)).transpose([...spatialAxes(rank), rank + 1, rank]);
      const padded = tf.pad(grad, [[0, 0], ...k.map((n): [number, number] => [n - 1, n - 1]), [0, 0]]);
      const dx = correlate(padded, flipped);
      // dw: the batch becomes the channel axis, and dy the kernel.
      const xT = input.transpose([rank + 1, ...spatialAxes(rank).map((a) => a + 1), 0]);
      const dyT = grad.transpose([...spatialAxes(rank).map((a) => a + 1), 0, rank + 1]);
      const dw = correlate(xT, dyT).transpose([...spatialAxes(rank).map((a) => a + 1), 0, rank + 1]);
      return [dx, dw];
    },
  };
}) as unknown as CustomGradient) as unknown as Binary;

/**
 * The kernel of the sub-pixel form: for output phase `r` and tap `q` on an
 * axis, the original tap `q*s + r`, flipped for correlation; phases stacked
 * on the output channels. `[k..., f, c]` -> `[K..., c, prod(s) * f]`, `K = ceil(k / s)`.
 */
function subPixelKernel(kernel: tf.Tensor, strides: readonly number[]): tf.Tensor {
  const rank = strides.length;
  const k = kernel.shape.slice(0, rank) as number[];
  const [f, c] = kernel.shape.slice(rank) as [number, number];
  const taps = k.map((n, a) => Math.ceil(n / strides[a]!));
  const padded = tf.pad(kernel, [...k.map((n, a): [number, number] => [0, taps[a]! * strides[a]! - n]), [0, 0], [0, 0]]);
  const split = padded.reshape([...taps.flatMap((t, a) => [t, strides[a]!]), f, c]);
  const flipped = tf.reverse(split, spatialAxes(rank).map((a) => 2 * a));
  const order = [...spatialAxes(rank).map((a) => 2 * a), 2 * rank + 1, ...spatialAxes(rank).map((a) => 2 * a + 1), 2 * rank];
  return flipped.transpose(order).reshape([...taps, c, strides.reduce((p, s) => p * s, 1) * f]);
}

/** `[b, M..., prod(s) * f]` with phases on the channels -> `[b, M*s..., f]`. */
function interleave(y: tf.Tensor, strides: readonly number[]): tf.Tensor {
  const rank = strides.length;
  const [b, ...rest] = y.shape as number[];
  const m = rest.slice(0, rank);
  const f = rest[rank]! / strides.reduce((p, s) => p * s, 1);
  const split = y.reshape([b, ...m, ...strides, f]);
  const order = [0, ...spatialAxes(rank).flatMap((a) => [1 + a, 1 + rank + a]), 1 + 2 * rank];
  return split.transpose(order).reshape([b, ...m.map((n, a) => n * strides[a]!), f]);
}

/**
 * Sub-pixel form: output position `t = m*s + r` of an axis is a correlation
 * of the input with the taps `q*s + r`. Only the `m` the window needs are computed.
 */
function subPixel(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], windows: readonly AxisWindow[]): tf.Tensor {
  const rank = strides.length;
  const spatial = x.shape.slice(1, -1) as number[];
  const k = kernel.shape.slice(0, rank) as number[];
  const taps = k.map((n, a) => Math.ceil(n / strides[a]!));
  const first = windows.map((w, a) => Math.floor(w.crop / strides[a]!));
  const last = windows.map((w, a) => Math.floor((w.crop + w.length - 1) / strides[a]!));
  // Input positions [m0 - (K-1), m1], zero where outside the input.
  const begin = first.map((m0, a) => Math.max(0, m0 - taps[a]! + 1));
  const end = last.map((m1, a) => Math.min(spatial[a]! - 1, m1));
  const sliced = tf.slice(x, [0, ...begin, 0], [-1, ...end.map((e, a) => e - begin[a]! + 1), -1]);
  const padded = tf.pad(sliced, [[0, 0], ...first.map((m0, a): [number, number] => [Math.max(0, taps[a]! - 1 - m0), Math.max(0, last[a]! - (spatial[a]! - 1))]), [0, 0]]);
  let y = interleave(correlateWithGrads(padded, subPixelKernel(kernel, strides)), strides);
  windows.forEach((w, a) => (y = window(y, a + 1, w.crop - first[a]! * strides[a]!, w.length)));
  return y;
}

/**
 * tfjs' conv2dTranspose (conv2d's input gradient) with explicit padding: it
 * crops `crop` from the start itself, so only the zero-extension is left.
 */
function native2d(x: tf.Tensor4D, kernel: tf.Tensor4D, strides: readonly number[], windows: readonly AxisWindow[]): tf.Tensor {
  const spatial = x.shape.slice(1, 3);
  const k = kernel.shape.slice(0, 2);
  const full = spatial.map((i, a) => (i - 1) * strides[a]! + k[a]!);
  // The part of the window that overlaps the full result; the op requires the forward shapes to agree exactly.
  const inside = windows.map((w, a) => Math.max(0, Math.min(w.length, full[a]! - w.crop)));
  if (inside.some((n) => n === 0)) return tf.zeros([x.shape[0], ...windows.map((w) => w.length), kernel.shape[2]]);
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [windows[0]!.crop, full[0]! - windows[0]!.crop - inside[0]!],
    [windows[1]!.crop, full[1]! - windows[1]!.crop - inside[1]!],
    [0, 0],
  ];
  let y: tf.Tensor = tf.conv2dTranspose(x, kernel, [x.shape[0], inside[0]!, inside[1]!, kernel.shape[2]], strides as [number, number], pad as never);
  windows.forEach((w, a) => (y = window(y, a + 1, 0, w.length)));
  return y;
}

/**
 * tfjs' conv3dTranspose with `valid` padding, which is correct on cpu, with
 * the gradients tfjs does not register: conv3d for the input and conv3d's
 * filter gradient for the kernel.
 */
function native3d(strides: readonly number[]): Binary {
  const s = strides as [number, number, number];
  return tf.customGrad(((x: tf.Tensor, kernel: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, kernel]);
    const spatial = x.shape.slice(1, 4) as number[];
    const k = kernel.shape.slice(0, 3) as number[];
    const full = spatial.map((i, a) => (i - 1) * s[a]! + k[a]!);
    return {
      value: tf.conv3dTranspose(x as tf.Tensor5D, kernel as tf.Tensor5D, [x.shape[0]!, full[0]!, full[1]!, full[2]!, kernel.shape[3]!], s, 'valid'),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [input, w] = saved as [tf.Tensor5D, tf.Tensor5D];
        const grad = (Array.isArray(dy) ? dy[0]! : dy) as tf.Tensor5D;
        const dx = tf.conv3d(grad, w, s, 'valid');
        const dw = tf.engine().runKernel('Conv3DBackpropFilterV2', { x: grad, dy: input }, { strides: s, pad: 'valid', filterShape: w.shape }) as tf.Tensor;
        return [dx, dw];
      },
    };
  }) as unknown as CustomGradient) as unknown as Binary;
}

/**
 * The window of the full transposed convolution of `x` (`[b, spatial..., c]`)
 * with `kernel` (`[k..., f, c]`, dilation already materialized), for rank 1 to 3.
 */
export function transposedConvolution(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], windows: readonly AxisWindow[]): tf.Tensor {
  if (strides.length === 1) {
    // 1D is 2D with a unit first axis.
    const y = transposedConvolution(x.expandDims(1), kernel.expandDims(0), [1, strides[0]!], [{ crop: 0, length: 1 }, windows[0]!]);
    return y.squeeze([1]);
  }
  if (algorithmFor(tf.getBackend()) === 'subpixel') return subPixel(x, kernel, strides, windows);
  if (strides.length === 2) return native2d(x as tf.Tensor4D, kernel as tf.Tensor4D, strides, windows);
  let y = native3d(strides)(x, kernel);
  windows.forEach((w, a) => (y = window(y, a + 1, w.crop, w.length)));
  return y;
}
