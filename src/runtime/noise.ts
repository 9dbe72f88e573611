import * as tf from '@tensorflow/tfjs';
import { RuntimeLayer, single, type BaseArgs } from './runtime-layer.js';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/**
 * Regularization noise, as Keras 3 adds it: only when the layer is called in
 * training (`fit`, or `apply(x, { training: true })`), the identity
 * otherwise. A `seed` makes the sequence of draws reproducible while each
 * call still draws anew, as Keras 3's `SeedGenerator` does; tfjs passes a
 * seed to each draw unchanged, so its seeded layers repeat one noise at every step.
 */
export interface NoiseArgs extends BaseArgs {
  /** Default: unseeded. */
  readonly seed?: number;
}

/** The seed of the `step`-th draw of a layer seeded with `seed`: a 32-bit mix, so nearby seeds and steps do not collide. */
export function drawSeed(seed: number, step: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(step + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

abstract class NoiseLayer<A extends NoiseArgs> extends RuntimeLayer<A> {
  private draws = 0;

  /** The seed for the next draw, or undefined when the layer is unseeded. */
  protected nextSeed(): number | undefined {
    return this.args.seed === undefined ? undefined : drawSeed(this.args.seed, this.draws++);
  }

  protected abstract noised(x: tf.Tensor): tf.Tensor;

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = single(inputs);
    if (kwargs?.['training'] !== true) return x;
    return tf.tidy(() => this.noised(x));
  }
}

/** Options of `gaussianNoise`. */
export interface GaussianNoiseArgs extends NoiseArgs {
  /** Standard deviation of the noise. */
  readonly stddev: number;
}

/** Keras 3 `GaussianNoise`: `x + N(0, stddev)` in training. */
export class GaussianNoise extends NoiseLayer<GaussianNoiseArgs> {
  static className = 'NetspecGaussianNoise';

  protected noised(x: tf.Tensor): tf.Tensor {
    return tf.add(x, tf.randomNormal(x.shape, 0, this.args.stddev, 'float32', this.nextSeed()));
  }
}

/** Options of `gaussianDropout`. */
export interface GaussianDropoutArgs extends NoiseArgs {
  /** Drop probability in [0, 1). */
  readonly rate: number;
}

/** Keras 3 `GaussianDropout`: `x * N(1, sqrt(rate / (1 - rate)))` in training, nothing for rate 0. */
export class GaussianDropout extends NoiseLayer<GaussianDropoutArgs> {
  static className = 'NetspecGaussianDropout';

  protected noised(x: tf.Tensor): tf.Tensor {
    const { rate } = this.args;
    if (rate <= 0) return x.clone();
    return tf.mul(x, tf.randomNormal(x.shape, 1, Math.sqrt(rate / (1 - rate)), 'float32', this.nextSeed()));
  }
}

/** Options of `spatialDropout1d/2d/3d`. */
export interface SpatialDropoutArgs extends NoiseArgs {
  /** Number of spatial axes: 1, 2 or 3. */
  readonly rank: 1 | 2 | 3;
  /** Fraction of channels to drop, in [0, 1). */
  readonly rate: number;
  /** Default channelsLast. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
}

/**
 * Keras 3 `SpatialDropout1D/2D/3D`: in training, each channel of each sample
 * is kept with probability `1 - rate` and scaled by `1 / (1 - rate)`, or
 * zeroed, whole: the mask has shape `[batch, 1..., channels]` (or
 * `[batch, channels, 1...]`) and is broadcast over the spatial axes.
 */
export class SpatialDropout extends NoiseLayer<SpatialDropoutArgs> {
  static className = 'NetspecSpatialDropout';

  constructor(args: SpatialDropoutArgs) {
    super(args);
    this.inputSpec = [{ ndim: args.rank + 2 }];
  }

  protected noised(x: tf.Tensor): tf.Tensor {
    const { rate } = this.args;
    if (rate <= 0) return x.clone();
    const shape = x.shape as number[];
    const channelAxis = this.args.dataFormat === 'channelsFirst' ? 1 : shape.length - 1;
    const maskShape = shape.map((d, a) => (a === 0 || a === channelAxis ? d : 1));
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(maskShape, 0, 1, 'float32', this.nextSeed()), rate), 'float32');
    return tf.mul(x, tf.div(keep, 1 - rate));
  }
}

for (const cls of [GaussianNoise, GaussianDropout, SpatialDropout]) tf.serialization.registerClass(cls);

export const gaussianNoise = (args: GaussianNoiseArgs) => new GaussianNoise(args);
export const gaussianDropout = (args: GaussianDropoutArgs) => new GaussianDropout(args);
type SpatialArgs = Omit<SpatialDropoutArgs, 'rank'>;
/** spatialDropout1d with a seed that draws anew at every step (tfjs' repeats its first mask). */
export const spatialDropout1d = (args: SpatialArgs) => new SpatialDropout({ ...args, rank: 1 });
export const spatialDropout2d = (args: SpatialArgs) => new SpatialDropout({ ...args, rank: 2 });
export const spatialDropout3d = (args: SpatialArgs) => new SpatialDropout({ ...args, rank: 3 });
