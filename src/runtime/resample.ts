import * as tf from '@tensorflow/tfjs';
import { croppedLength, paddedLength, upSampledLength, type PadPair } from '../infer/formulas.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';
import { toChannelsFirst, toChannelsLast } from './tensor-ops.js';

type DataFormat = 'channelsLast' | 'channelsFirst';

export interface ResampleArgs extends BaseArgs {
  readonly rank: 1 | 2 | 3;
  /** Default channelsLast. */
  readonly dataFormat?: DataFormat;
}

/** An int for every axis, `[begin, end]` for 1 axis, or per-axis ints or pairs (tfjs ZeroPadding2D/Cropping2D forms). */
export type PairsArg = number | readonly (number | readonly [number, number])[];

export function pairs(value: PairsArg | undefined, rank: number, fallback: number): PadPair[] {
  if (value === undefined) return new Array(rank).fill(0).map(() => [fallback, fallback] as const);
  if (typeof value === 'number') return new Array(rank).fill(0).map(() => [value, value] as const);
  if (rank === 1 && value.length === 2 && value.every((v) => typeof v === 'number')) return [[value[0] as number, value[1] as number]];
  return value.map((v) => (typeof v === 'number' ? ([v, v] as const) : ([v[0], v[1]] as const)));
}

/** Shared plumbing: channelsLast inside, the spatial axes mapped one by one. */
export abstract class SpatialLayer extends RuntimeLayer<ResampleArgs> {
  constructor(args: ResampleArgs) {
    super(args);
    this.inputSpec = [{ ndim: args.rank + 2 }];
  }

  protected get channelsFirst(): boolean {
    return this.args.dataFormat === 'channelsFirst';
  }

  protected abstract length(i: number | null, axis: number): number | null;
  protected abstract apply1(x: tf.Tensor): tf.Tensor;

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const offset = this.channelsFirst ? 2 : 1;
    return shape.map((d, a) => (a >= offset && a < offset + this.args.rank ? this.length(d ?? null, a - offset) : d));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      if (!this.channelsFirst) return this.apply1(x);
      return toChannelsFirst(this.apply1(toChannelsLast(x)));
    });
  }
}

/**
 * The half-pixel source of output phase `p` of an integer upsampling by `s`:
 * output `i*s + p` reads input position `i + f`, `f = (p + 0.5) / s - 0.5`
 * in (-0.5, 0.5). Source: TensorFlow `resize_bilinear` with
 * `half_pixel_centers` (what Keras 3 `ops.image.resize` uses), PyTorch
 * `interpolate(mode='bilinear', align_corners=False)`.
 */
export function halfPixelOffset(p: number, s: number): number {
  return (p + 0.5) / s - 0.5;
}

/**
 * Linear interpolation by an integer factor along `axis` with half-pixel
 * centers, edges clamped: phase `p` is `lo + (hi - lo) * lerp` of two
 * neighbours, read from the input with one edge value repeated on each
 * side. Built from slices, concats and arithmetic, so its gradient is
 * tfjs' own on every backend (tfjs' ResizeBilinearGrad ignores
 * halfPixelCenters on cpu and wasm, so resizeBilinear's gradient would be
 * that of another sampling).
 */
function linearAxis(x: tf.Tensor, axis: number, s: number): tf.Tensor {
  const shape = x.shape as number[];
  const n = shape[axis]!;
  const along = (t: tf.Tensor, begin: number, size: number) => {
    const b = shape.map(() => 0);
    const z = t.shape.slice() as number[];
    b[axis] = begin;
    z[axis] = size;
    return tf.slice(t, b, z);
  };
  // padded[j] = x[clamp(j - 1, 0, n - 1)]
  const padded = tf.concat([along(x, 0, 1), x, along(x, n - 1, 1)], axis);
  const phases = Array.from({ length: s }, (_, p) => {
    const f = halfPixelOffset(p, s);
    if (f === 0) return x;
    // f < 0 reads x[i - 1] and x[i] at lerp 1 + f; f > 0 reads x[i] and x[i + 1] at lerp f.
    const lo = along(padded, f < 0 ? 0 : 1, n);
    const hi = along(padded, f < 0 ? 1 : 2, n);
    return tf.add(lo, tf.mul(tf.sub(hi, lo), f < 0 ? 1 + f : f));
  });
  return tf.stack(phases, axis + 1).reshape([...shape.slice(0, axis), n * s, ...shape.slice(axis + 1)]);
}

/** Options of `UpSampling`. */
export interface UpSamplingArgs extends ResampleArgs {
  /** Factor per spatial axis. Default 2. */
  readonly size?: number | readonly number[];
  /** `nearest` (default) or `bilinear` (upSampling2d only, half-pixel centers as Keras 3). */
  readonly interpolation?: 'nearest' | 'bilinear';
}

/**
 * Upsampling by an integer factor per axis: nearest repeats every position
 * `size` times (Keras UpSampling1D/3D); bilinear interpolates with half-pixel
 * centers as Keras 3 UpSampling2D, where tfjs' layer samples without them
 * (resizeBilinear's default, `src = dst * in / out`).
 */
export class UpSampling extends SpatialLayer {
  static className = 'NetspecUpSampling';
  private readonly size: number[];

  constructor(args: UpSamplingArgs) {
    super(args);
    const size = args.size ?? 2;
    this.size = typeof size === 'number' ? new Array<number>(args.rank).fill(size) : size.slice();
  }

  protected length(i: number | null, axis: number): number | null {
    return upSampledLength(i, this.size[axis]!);
  }

  protected apply1(x: tf.Tensor): tf.Tensor {
    let y = x;
    const bilinear = (this.args as UpSamplingArgs).interpolation === 'bilinear';
    // The last axis first, as TensorFlow's kernel interpolates within rows and then between them.
    for (let a = this.size.length - 1; a >= 0; a--) {
      const factor = this.size[a]!;
      if (factor === 1) continue;
      const axis = a + 1;
      if (bilinear) {
        y = linearAxis(y, axis, factor);
        continue;
      }
      const shape = y.shape as number[];
      const reps = shape.map(() => 1);
      reps.splice(axis + 1, 0, factor);
      y = tf.tile(y.expandDims(axis + 1), reps).reshape([...shape.slice(0, axis), shape[axis]! * factor, ...shape.slice(axis + 1)]);
    }
    return y;
  }
}

/** Zeros added at the begin and end of every spatial axis (Keras ZeroPadding1D/3D). */
export class ZeroPadding extends SpatialLayer {
  static className = 'NetspecZeroPadding';
  private readonly pads: PadPair[];

  constructor(args: ResampleArgs & { readonly padding?: PairsArg }) {
    super(args);
    this.pads = pairs(args.padding, args.rank, 1);
  }

  protected length(i: number | null, axis: number): number | null {
    return paddedLength(i, this.pads[axis]!);
  }

  protected apply1(x: tf.Tensor): tf.Tensor {
    return tf.pad(x, [[0, 0], ...this.pads.map((p): [number, number] => [p[0], p[1]]), [0, 0]]);
  }
}

/** Positions removed at the begin and end of every spatial axis (Keras Cropping1D/3D). */
export class Cropping extends SpatialLayer {
  static className = 'NetspecCropping';
  private readonly crops: PadPair[];

  constructor(args: ResampleArgs & { readonly cropping?: PairsArg }) {
    super(args);
    // Keras defaults: Cropping1D/3D crop 1 per side, Cropping2D nothing.
    this.crops = pairs(args.cropping, args.rank, args.rank === 2 ? 0 : 1);
  }

  protected length(i: number | null, axis: number): number | null {
    return croppedLength(i, this.crops[axis]!);
  }

  protected apply1(x: tf.Tensor): tf.Tensor {
    const shape = x.shape as number[];
    const begin = shape.map((_, a) => (a >= 1 && a <= this.args.rank ? this.crops[a - 1]![0] : 0));
    const size = shape.map((d, a) => (a >= 1 && a <= this.args.rank ? d - this.crops[a - 1]![0] - this.crops[a - 1]![1] : d));
    return tf.slice(x, begin, size);
  }
}

for (const cls of [UpSampling, ZeroPadding, Cropping]) tf.serialization.registerClass(cls);

type Without<T> = Omit<T, 'rank'>;
type UpArgs = Without<ConstructorParameters<typeof UpSampling>[0]>;
type PadArgs = Without<ConstructorParameters<typeof ZeroPadding>[0]>;
type CropArgs = Without<ConstructorParameters<typeof Cropping>[0]>;

export const upSampling1d = (args: UpArgs = {}) => new UpSampling({ ...args, rank: 1 });
/** tfjs has upSampling2d, but its bilinear samples without half-pixel centers; netspec uses this one then. */
export const upSampling2d = (args: UpArgs = {}) => new UpSampling({ ...args, rank: 2 });
export const upSampling3d = (args: UpArgs = {}) => new UpSampling({ ...args, rank: 3 });
export const zeroPadding1d = (args: PadArgs = {}) => new ZeroPadding({ ...args, rank: 1 });
export const zeroPadding3d = (args: PadArgs = {}) => new ZeroPadding({ ...args, rank: 3 });
export const cropping1d = (args: CropArgs = {}) => new Cropping({ ...args, rank: 1 });
/** tfjs has cropping2D, but it declares negative sizes for unknown dims; netspec uses this one then. */
export const cropping2d = (args: CropArgs = {}) => new Cropping({ ...args, rank: 2 });
export const cropping3d = (args: CropArgs = {}) => new Cropping({ ...args, rank: 3 });
