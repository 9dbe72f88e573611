import * as tf from '@tensorflow/tfjs';
import { nativeClass, type NativeClass } from './runtime-layer.js';

type NativeAdd = ReturnType<typeof tf.layers.add>;
type NativeMaximum = ReturnType<typeof tf.layers.maximum>;
type NativeMinimum = ReturnType<typeof tf.layers.minimum>;
type LayerArgs = NonNullable<Parameters<typeof tf.layers.add>[0]>;

const AddBase: NativeClass<NativeAdd, LayerArgs> = nativeClass('Add');

/**
 * Keras' `Subtract` (tfjs has none): `inputs[0] - inputs[1]`, of exactly two
 * tensors. A subclass of tfjs' `Add` that changes only the merge function, so
 * it broadcasts exactly as add does (tfjs' `Merge`: shapes aligned from the
 * right, a 1 stretches, a lower rank expanded after the batch), and `tf.sub`
 * has its gradient on every backend. No weights.
 */
export class Subtract extends AddBase {
  static override className = 'NetspecSubtract';

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    // As Keras' Subtract.build: one of two inputs is not a difference.
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 2) throw new Error(`netspec runtime: ${this.name}: subtract takes exactly 2 inputs, received ${Array.isArray(inputShape[0]) ? inputShape.length : 1}`);
    super.build(inputShape);
  }

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.sub(inputs[0]!, inputs[1]!));
  }
}
tf.serialization.registerClass(Subtract);

/** Keras' `Subtract`: the first input minus the second. */
export function subtract(args: LayerArgs = {}): Subtract {
  return new Subtract(args);
}

/** `inputs` broadcast to their common shape: tfjs' broadcastTo sums the gradient back over the stretched axes. */
function broadcastAll(inputs: tf.Tensor[]): tf.Tensor[] {
  const shape = inputs.reduce<number[]>((out, t) => out.map((d, a) => Math.max(d, t.shape[a]!)), inputs[0]!.shape.slice());
  return inputs.map((t) => (t.shape.every((d, a) => d === shape[a]) ? t : tf.broadcastTo(t, shape)));
}

const MaximumBase: NativeClass<NativeMaximum, LayerArgs> = nativeClass('Maximum');

/**
 * tfjs' `maximum` and `minimum` with gradients that are right when the
 * inputs broadcast: tfjs' Maximum and Minimum gradients (tfjs-core 4.22)
 * return dy in the output's shape without summing it over the broadcast
 * axes, so training throws ("the gradient of input 'a' has shape ...").
 * The inputs are broadcast first (tf.broadcastTo's gradient sums), then
 * compared element-wise as tfjs does; ties go to the first input.
 */
export class Maximum extends MaximumBase {
  static override className = 'NetspecMaximum';

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => broadcastAll(inputs).reduce((a, b) => tf.maximum(a, b)));
  }
}
tf.serialization.registerClass(Maximum);

const MinimumBase: NativeClass<NativeMinimum, LayerArgs> = nativeClass('Minimum');

/** As Maximum, for tfjs' `minimum`. */
export class Minimum extends MinimumBase {
  static override className = 'NetspecMinimum';

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => broadcastAll(inputs).reduce((a, b) => tf.minimum(a, b)));
  }
}
tf.serialization.registerClass(Minimum);

/** tfjs' `maximum` that trains on inputs that broadcast. */
export function maximum(args: LayerArgs = {}): Maximum {
  return new Maximum(args);
}

/** tfjs' `minimum` that trains on inputs that broadcast. */
export function minimum(args: LayerArgs = {}): Minimum {
  return new Minimum(args);
}
