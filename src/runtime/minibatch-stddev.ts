import * as tf from '@tensorflow/tfjs';
import { appendedChannels, minibatchGroupSize } from '../infer/formulas.js';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';

/** Options of `minibatchStdDev`. */
export interface MinibatchStdDevArgs extends BaseArgs {
  /** Samples per group. Default 4 (ProGAN). */
  readonly groupSize?: number;
  /** Default channelsLast. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
}

/** ProGAN's epsilon under the square root (`tf.sqrt(y + 1e-8)`). */
const epsilon = 1e-8;

/**
 * ProGAN's minibatch standard deviation (Karras et al. 2018, section 3), as
 * the official `minibatch_stddev_layer` with `num_new_features=1` computes it:
 * the batch of `N` is read as `[G, M, features]` with `G = min(groupSize, N)`
 * and `M = N / G`, so sample `n = g*M + m` is in group `m`; each feature's
 * population standard deviation over its group (`sqrt(var + 1e-8)`) is
 * averaged over every feature and position, and that one number per group
 * is appended as a channel to each of its samples. A batch larger than
 * groupSize that is not a multiple of it throws, as the official reshape
 * does. Reductions, tile and concat only: tfjs has their gradients on every
 * backend. No weights.
 */
export class MinibatchStdDev extends RuntimeLayer<MinibatchStdDevArgs> {
  static className = 'NetspecMinibatchStdDev';

  constructor(args: MinibatchStdDevArgs = {}) {
    super(args);
    this.inputSpec = [{ minNDim: 2 }];
  }

  private channelAxis(rank: number): number {
    return this.args.dataFormat === 'channelsFirst' ? 1 : rank - 1;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const c = this.channelAxis(shape.length);
    return shape.map((d, a) => (a === c ? appendedChannels(d ?? null, 1) : d));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const n = x.shape[0]!;
      const groupSize = this.args.groupSize ?? 4;
      const { size: g, divides } = minibatchGroupSize(n, groupSize);
      if (!divides) throw new Error(`netspec runtime: ${this.name}: minibatchStdDev with groupSize ${groupSize} needs a batch that is a multiple of ${groupSize} (or at most ${groupSize}), received ${n}`);
      const m = n / g;
      const grouped = tf.reshape(x, [g, m, x.size / n]);
      const centered = tf.sub(grouped, tf.mean(grouped, 0, true));
      const std = tf.sqrt(tf.add(tf.mean(tf.square(centered), 0), epsilon));
      // One value per group m, repeated for g = 0..G-1: sample g*M + m gets it.
      const perSample = tf.tile(tf.mean(std, 1), [g]);
      const c = this.channelAxis(x.rank);
      // Tiled at rank 2 (tfjs has no tile gradient above rank 4); the size-1 channel axis leaves the order alike in both formats.
      const positions = x.size / n / x.shape[c]!;
      const map = tf.reshape(tf.tile(tf.reshape(perSample, [n, 1]), [1, positions]), x.shape.map((d, a) => (a === c ? 1 : d)));
      return tf.concat([x, map], c);
    });
  }
}
tf.serialization.registerClass(MinibatchStdDev);

/** ProGAN's minibatch standard deviation as one more channel. */
export const minibatchStdDev = (args: MinibatchStdDevArgs = {}) => new MinibatchStdDev(args);
