import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient.js';
import { paddedLength, type PadPair } from '../infer/formulas.js';
import { pairs, SpatialLayer, type PairsArg, type ResampleArgs } from './resample.js';
import { slice } from './tensor-ops.js';

/** `t` cut to `size` positions from `begin` along `axis`, every other axis whole. */
function along(t: tf.Tensor, axis: number, begin: number, size: number): tf.Tensor {
  const shape = t.shape as number[];
  return slice(
    t,
    shape.map((_, a) => (a === axis ? begin : 0)),
    shape.map((d, a) => (a === axis ? size : d)),
  );
}

/** `t` with `before` and `after` zeros along `axis`. */
function padAlong(t: tf.Tensor, axis: number, before: number, after: number): tf.Tensor {
  return tf.pad(
    t,
    t.shape.map((_, a): [number, number] => (a === axis ? [before, after] : [0, 0])),
  );
}

/**
 * The gradient of reflecting one axis of length `n` by `[b, e]`: the middle
 * of `dy`, plus its mirrored ends added back onto the positions they copy
 * (`1..b` and `n-1-e..n-2`).
 */
function foldAxis(dy: tf.Tensor, axis: number, n: number, [b, e]: PadPair): tf.Tensor {
  let dx = along(dy, axis, b, n);
  if (b > 0) dx = tf.add(dx, padAlong(tf.reverse(along(dy, axis, 0, b), axis), axis, 1, n - 1 - b));
  if (e > 0) dx = tf.add(dx, padAlong(tf.reverse(along(dy, axis, b + n, e), axis), axis, n - 1 - e, 1));
  return dx;
}

/**
 * Reflection padding of the spatial axes of a channelsLast tensor
 * (`[batch, spatial..., channels]`): `tf.mirrorPad` in 'reflect' mode, whose
 * values are right, with the gradient it lacks: tfjs 4.22 registers the
 * gradient of MirrorPad as the middle slice only (cpu and wasm), dropping
 * what the reflected copies contribute. Every pad must be smaller than its
 * axis; tf.mirrorPad throws otherwise.
 */
export function reflectPad(x: tf.Tensor, pads: readonly PadPair[]): tf.Tensor {
  if (pads.every(([b, e]) => b === 0 && e === 0)) return x;
  const full: [number, number][] = [[0, 0], ...pads.map((p): [number, number] => [p[0], p[1]]), [0, 0]];
  // Only the input's shape is needed for the gradient: saving the input itself would keep it alive until backprop.
  const shape = x.shape as number[];
  const reflect = customGradient((t: tf.Tensor) => {
    return {
      value: tf.mirrorPad(t, full, 'reflect'),
      gradFunc: (dy: tf.Tensor) => {
        let grad = dy;
        pads.forEach((p, a) => (grad = foldAxis(grad, a + 1, shape[a + 1]!, p)));
        return [grad];
      },
    };
  });
  return reflect(x);
}

/**
 * Reflection padding of rank 1-3 (PyTorch `torch.nn.ReflectionPad1d/2d/3d`;
 * Keras has none): each spatial axis extended at both ends by its mirror
 * image, the edge itself not repeated. `padding` takes the forms of Keras
 * `ZeroPadding*D` (default 1). No weights.
 */
export class ReflectionPadding extends SpatialLayer {
  static className = 'NetspecReflectionPadding';
  private readonly pads: PadPair[];

  constructor(args: ResampleArgs & { readonly padding?: PairsArg }) {
    super(args);
    this.pads = pairs(args.padding, args.rank, 1);
  }

  protected length(i: number | null, axis: number): number | null {
    return paddedLength(i, this.pads[axis]!);
  }

  protected apply1(x: tf.Tensor): tf.Tensor {
    return reflectPad(x, this.pads);
  }
}

tf.serialization.registerClass(ReflectionPadding);

type ReflectionArgs = Omit<ConstructorParameters<typeof ReflectionPadding>[0], 'rank'>;

export const reflectionPadding1d = (args: ReflectionArgs = {}) => new ReflectionPadding({ ...args, rank: 1 });
export const reflectionPadding2d = (args: ReflectionArgs = {}) => new ReflectionPadding({ ...args, rank: 2 });
export const reflectionPadding3d = (args: ReflectionArgs = {}) => new ReflectionPadding({ ...args, rank: 3 });
