import * as tf from '@tensorflow/tfjs';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';

/** Options of `pixelNormalization`. */
export interface PixelNormalizationArgs extends BaseArgs {
  /** The channel axis. Default -1. */
  readonly axis?: number;
  /** Added to the mean of squares. Default 1e-8 (ProGAN). */
  readonly epsilon?: number;
}

/**
 * ProGAN's pixelwise feature normalization (Karras et al. 2018, section 4.2,
 * `b = a / sqrt(mean(a^2 over the N channels) + epsilon)`, epsilon 1e-8) at
 * every position of a tensor of any rank from 2. No weights; tfjs' own
 * gradients of square, mean and rsqrt train through it.
 */
export class PixelNormalization extends RuntimeLayer<PixelNormalizationArgs> {
  static className = 'NetspecPixelNormalization';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const axis = this.args.axis ?? -1;
      const index = axis < 0 ? x.rank + axis : axis;
      if (index < 1 || index >= x.rank) throw new Error(`netspec runtime: ${this.name}: axis ${axis} is not a non-batch axis of a rank-${x.rank} input`);
      const meanSquare = tf.mean(tf.square(x), index, true);
      return tf.mul(x, tf.rsqrt(tf.add(meanSquare, this.args.epsilon ?? 1e-8)));
    });
  }
}

tf.serialization.registerClass(PixelNormalization);

/** A pixelwise feature normalization (ProGAN); options `axis` and `epsilon`. */
export function pixelNormalization(args: PixelNormalizationArgs = {}): PixelNormalization {
  return new PixelNormalization(args);
}
