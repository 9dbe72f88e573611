import * as tf from '@tensorflow/tfjs';
import { RuntimeLayer, single, singleShape, type BaseArgs } from './runtime-layer.js';

/**
 * Activation layers with the options tfjs refuses: its Softmax runs only
 * over the last axis (tf.softmax throws "Softmax along a non-last dimension
 * is not yet supported"), its ELU only with alpha 1 ("Non-default alpha value
 * ... is not supported"). Both follow Keras 3, are built from tfjs ops with
 * gradients, and have no weights.
 */

/** Softmax over any axis (Keras 3 `Softmax(axis)`): the axis is moved last around tf.softmax. */
export class Softmax extends RuntimeLayer<BaseArgs & { /** Default -1. */ readonly axis?: number }> {
  static className = 'NetspecSoftmax';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const given = this.args.axis ?? -1;
      const axis = given < 0 ? x.rank + given : given;
      if (axis === x.rank - 1) return tf.softmax(x);
      const order = [...x.shape.keys()].filter((a) => a !== axis).concat(axis);
      return tf.transpose(tf.softmax(tf.transpose(x, order)), order.map((_, a) => order.indexOf(a)));
    });
  }
}

/**
 * ELU with any alpha (Keras 3 `ELU(alpha)`): `x` where `x > 0`, else
 * `alpha * (exp(x) - 1)`: Keras 3's TensorFlow backend computes
 * `where(x > 0, elu(x), alpha * elu(x))`; here `elu(x)` is scaled by
 * `alpha + (1 - alpha) * step(x)`, the same values and gradient, since tfjs
 * has no gradient for the comparison inside `where`.
 */
export class Elu extends RuntimeLayer<BaseArgs & { /** Default 1. */ readonly alpha?: number }> {
  static className = 'NetspecElu';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const y = tf.elu(x);
      const alpha = this.args.alpha ?? 1;
      return alpha === 1 ? y : tf.mul(y, tf.add(alpha, tf.mul(1 - alpha, tf.step(x))));
    });
  }
}

tf.serialization.registerClass(Softmax);
tf.serialization.registerClass(Elu);

type Args<T extends abstract new (args: never) => unknown> = ConstructorParameters<T>[0];

/** A softmax over any axis. */
export const softmax = (args: Args<typeof Softmax> = {}) => new Softmax(args);
/** An ELU with any alpha. */
export const elu = (args: Args<typeof Elu> = {}) => new Elu(args);
