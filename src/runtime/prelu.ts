import * as tf from '@tensorflow/tfjs';
import { nativeClass, type NativeClass, single } from './runtime-layer.js';

/** Options of tfjs `prelu`, unchanged: same names, same defaults. */
export type PReLUArgs = NonNullable<Parameters<typeof tf.layers.prelu>[0]>;

type NativePReLU = ReturnType<typeof tf.layers.prelu>;

const PReLUBase: NativeClass<NativePReLU, PReLUArgs> = nativeClass('PReLU');

/**
 * tfjs' `prelu` computed as Keras 3 `PReLU.call` does,
 * `relu(x) - alpha * relu(-x)` with alpha broadcast against the input, so it
 * is right on every backend. tfjs' prelu op on wasm applies alpha's values
 * cyclically along the flattened input, which is wrong when alpha is shared
 * along an axis after one it is not shared along (`sharedAxes: [3]` on
 * `[batch, H, W, C]` gives alpha `[H, W, 1]`). Same options, config and
 * weight (`alpha`, the input's shape without the batch, 1 on the shared axes).
 */
export class PReLU extends PReLUBase {
  static override className = 'NetspecPReLU';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const alpha = (this as unknown as { alpha: tf.LayerVariable }).alpha.read();
      return tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x))));
    });
  }
}

tf.serialization.registerClass(PReLU);

/** A parametric ReLU correct on every backend for any `sharedAxes`; options as tfjs `prelu`. */
export function prelu(args: PReLUArgs = {}): PReLU {
  return new PReLU(args);
}
