import * as tf from '@tensorflow/tfjs';

/** What every runtime layer accepts besides its own options, as in tfjs `LayerArgs`. */
export interface BaseArgs {
  readonly name?: string;
  /** Default true. */
  readonly trainable?: boolean;
  /** Default float32. */
  readonly dtype?: 'float32';
}

/**
 * The base of netspec's runtime layers. Its config is exactly its
 * constructor arguments (plain JSON, as the spec wrote them), so `getConfig`,
 * `model.save` and `tf.loadLayersModel` round-trip without translation.
 */
export abstract class RuntimeLayer<A extends BaseArgs> extends tf.layers.Layer {
  readonly args: A;

  constructor(args: A) {
    super({ ...(args.name ? { name: args.name } : {}), ...(args.trainable !== undefined ? { trainable: args.trainable } : {}), dtype: args.dtype ?? 'float32' });
    this.args = args;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...(this.args as unknown as tf.serialization.ConfigDict) };
  }

  /** tfjs adds `customObjects` to the config it loads; keeping it in `args` would write it into every later save. */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const { customObjects: _, ...args } = config;
    return new cls(args);
  }
}

/** The tensor of a single-input layer call; tfjs may pass it as a one-element list. */
export function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/** The input shape of a single-input layer; tfjs may pass it as a one-element list. */
export function singleShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/**
 * The type of a class from nativeClass. A runtime class extends a const of
 * this type (`const AddBase: NativeClass<NativeAdd, Args> = nativeClass('Add')`),
 * not the call itself: its declarations then name the base through
 * @tensorflow/tfjs's types instead of files of tfjs-layers, a dependency of
 * tfjs that a user's project may not resolve (pnpm, or no hoisting).
 */
export type NativeClass<T extends tf.serialization.Serializable, A> = tf.serialization.SerializableConstructor<T> & (new (args?: A) => T);

/**
 * tfjs' own layer class, taken from its serialization registry so no layer is
 * built (and no name counter moves) at import. Runtime layers that differ from
 * a tfjs layer only in how they compute subclass it, keeping its options,
 * config and weights.
 */
export function nativeClass<T extends tf.serialization.Serializable, A>(className: string): NativeClass<T, A> {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`netspec runtime: tfjs has no registered class '${className}'`);
  return entry[0] as unknown as NativeClass<T, A>;
}
