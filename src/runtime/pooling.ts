import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient.js';
import { poolOutputLength, samePadding, type PadPair } from '../infer/formulas.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';
import { interleaveZeros, toChannelsFirst, toChannelsLast } from './tensor-ops.js';

type Tuple = number | readonly number[];

/** Options of a pooling layer, named as in tfjs/Keras, plus PyTorch's explicit pads. */
export interface PoolingArgs extends BaseArgs {
  /** Number of spatial axes: 1, 2 or 3. */
  readonly rank: 1 | 2 | 3;
  /** The largest value of each window, or its mean. */
  readonly mode: 'max' | 'average';
  /** Window per spatial axis. Default 2. */
  readonly poolSize?: Tuple;
  /** Stride per spatial axis. Default: poolSize. */
  readonly strides?: Tuple;
  /** `valid` (default), `same`, or `[begin, end]` pairs per axis, each at most half the window (PyTorch `padding`). */
  readonly padding?: 'valid' | 'same' | readonly PadPair[];
  /** Default channelsLast. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
}

function tuple(value: Tuple | undefined, rank: number, fallback: readonly number[]): number[] {
  if (value === undefined) return fallback.slice();
  return typeof value === 'number' ? new Array<number>(rank).fill(value) : value.slice();
}

/** Every index tuple of an array of extents, the last index fastest (row-major order). */
function tuples(extents: readonly number[]): number[][] {
  return extents.reduce<number[][]>((acc, n) => acc.flatMap((t) => Array.from({ length: n }, (_, i) => [...t, i])), [[]]);
}

/**
 * 3D max pooling of valid windows as two 2D ones (a window's maximum is the
 * maximum over its depths of the maxima of its planes): wasm's MaxPool3D of
 * tfjs 4.22 starts every window at the smallest positive float, so a window
 * of negative values comes out as 1.2e-38.
 */
function maxPool3dBy2d(x: tf.Tensor, k: readonly number[], s: readonly number[]): tf.Tensor {
  const [b, d, h, w, c] = x.shape as [number, number, number, number, number];
  const planes = tf.maxPool(x.reshape([b * d, h, w, c]) as tf.Tensor4D, [k[1]!, k[2]!], [s[1]!, s[2]!], 'valid');
  const [, h2, w2] = planes.shape as [number, number, number, number];
  const depths = tf.maxPool(planes.reshape([b, d, h2 * w2, c]) as tf.Tensor4D, [k[0]!, 1], [s[0]!, 1], 'valid');
  return depths.reshape([b, depths.shape[1]!, h2, w2, c]);
}

/** tfjs' pooling op of rank 1-3; rank 1 runs as 2 with a unit axis. */
function poolOp(x: tf.Tensor, mode: 'max' | 'average', k: readonly number[], s: readonly number[], padding: 'valid' | 'same'): tf.Tensor {
  if (x.rank === 3) return poolOp(x.expandDims(1), mode, [1, k[0]!], [1, s[0]!], padding).squeeze([1]);
  if (x.rank === 4) return (mode === 'max' ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, k as [number, number], s as [number, number], padding);
  if (mode === 'max') return maxPool3dBy2d(x, k, s);
  return tf.avgPool3d(x as tf.Tensor5D, k as [number, number, number], s as [number, number, number], padding);
}

/**
 * Valid max pooling whose gradient goes to the first largest value of each
 * window (as tfjs on cpu and TensorFlow do), computed from forward ops:
 * wasm's MaxPoolGrad of tfjs 4.22 routes it to the wrong position when a
 * window holds only negative values, which -Infinity padding guarantees at
 * the borders. Per window tap, the inputs that tap sees (a strided slice)
 * that equal the maximum and no earlier tap claimed take `dy`, spread back
 * to their positions (an interleave and a pad).
 */
function maxPool(k: readonly number[], s: readonly number[]): (x: tf.Tensor) => tf.Tensor {
  return customGradient((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = poolOp(x, 'max', k, s, 'valid');
    save([x, y]);
    return {
      value: y,
      gradFunc: (grad: tf.Tensor, saved: tf.Tensor[]) => {
        const [input, max] = saved as [tf.Tensor, tf.Tensor];
        const shape = input.shape as number[];
        const out = max.shape.slice(1, -1) as number[];
        const span = out.map((o, a) => (o - 1) * s[a]! + 1);
        let taken: tf.Tensor | undefined;
        const parts: tf.Tensor[] = [];
        for (const tap of tuples(k)) {
          const seen = tf.stridedSlice(input, [0, ...tap, 0], [shape[0]!, ...tap.map((j, a) => j + span[a]!), shape[shape.length - 1]!], [1, ...s, 1]);
          let hit = tf.equal(seen, max);
          if (taken) hit = tf.logicalAnd(hit, tf.logicalNot(taken));
          taken = taken ? tf.logicalOr(taken, hit) : hit;
          let share = tf.where(hit, grad, tf.zerosLike(grad));
          s.forEach((stride, a) => (share = interleaveZeros(share, a + 1, stride)));
          parts.push(tf.pad(share, [[0, 0], ...tap.map((j, a): [number, number] => [j, shape[a + 1]! - j - span[a]!]), [0, 0]]));
        }
        return [parts.length === 1 ? parts[0]! : tf.addN(parts)];
      },
    };
  });
}

/**
 * Max and average pooling of rank 1-3 with explicit `[begin, end]` pads, as
 * PyTorch `MaxPool*d`/`AvgPool*d` `padding` (tfjs' pooling layers take only
 * `valid` and `same`): max pooling pads with -Infinity, so padding never
 * wins; average pooling pads with zeros that count in every average
 * (PyTorch's default `count_include_pad=True`), so each window divides by
 * the whole pool size. Then valid windows. No weights.
 */
export class Pooling extends RuntimeLayer<PoolingArgs> {
  static className = 'NetspecPooling';
  private readonly poolSize: number[];
  private readonly strides: number[];

  constructor(args: PoolingArgs) {
    super(args);
    this.poolSize = tuple(args.poolSize, args.rank, new Array<number>(args.rank).fill(2));
    this.strides = tuple(args.strides, args.rank, this.poolSize);
    this.inputSpec = [{ ndim: args.rank + 2 }];
  }

  private get channelsFirst(): boolean {
    return this.args.dataFormat === 'channelsFirst';
  }

  private padding(axis: number): 'valid' | 'same' | PadPair {
    const p = this.args.padding ?? 'valid';
    return typeof p === 'string' ? p : p[axis]!;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const offset = this.channelsFirst ? 2 : 1;
    return shape.map((d, a) => (a >= offset && a < offset + this.args.rank ? poolOutputLength(d ?? null, this.poolSize[a - offset]!, this.strides[a - offset]!, this.padding(a - offset)) : d));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      let x = single(inputs);
      if (this.channelsFirst) x = toChannelsLast(x);
      const y = this.pool(x);
      return this.channelsFirst ? toChannelsFirst(y) : y;
    });
  }

  private pool(x: tf.Tensor): tf.Tensor {
    const { mode } = this.args;
    // TensorFlow's `same` average counts only the input in each window: not a zero pad, so it is tfjs' own.
    if (mode === 'average' && this.args.padding === 'same') return poolOp(x, 'average', this.poolSize, this.strides, 'same');
    const spatial = x.shape.slice(1, -1) as number[];
    const pads = spatial.map((i, a): PadPair => {
      const p = this.padding(a);
      return typeof p !== 'string' ? p : p === 'same' ? samePadding(i, this.poolSize[a]!, this.strides[a]!, 1) : [0, 0];
    });
    const padded = pads.some(([b, e]) => b > 0 || e > 0) ? tf.pad(x, [[0, 0], ...pads.map((p): [number, number] => [p[0], p[1]]), [0, 0]], mode === 'max' ? -Infinity : 0) : x;
    return mode === 'average' ? poolOp(padded, 'average', this.poolSize, this.strides, 'valid') : maxPool(this.poolSize, this.strides)(padded);
  }
}
tf.serialization.registerClass(Pooling);

function poolingOf(rank: 1 | 2 | 3, mode: 'max' | 'average'): (args?: Omit<PoolingArgs, 'rank' | 'mode'>) => Pooling {
  return (args = {}) => new Pooling({ ...args, rank, mode });
}

/** Pooling layers with explicit `[begin, end]` pads (tfjs' own take only `valid` and `same`). */
export const maxPooling1d = poolingOf(1, 'max');
export const maxPooling2d = poolingOf(2, 'max');
export const maxPooling3d = poolingOf(3, 'max');
export const averagePooling1d = poolingOf(1, 'average');
export const averagePooling2d = poolingOf(2, 'average');
export const averagePooling3d = poolingOf(3, 'average');
