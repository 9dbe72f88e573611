import * as tf from '@tensorflow/tfjs';

/**
 * Initializers, regularizers, constraints and activations as plain JSON, the
 * way a spec writes them. Runtime layers keep these descriptors in their
 * config, so `getConfig` and `model.save` serialize exactly what the spec said.
 */
export type InitializerDescriptor = string | ({ readonly type: string } & Record<string, unknown>);
export type RegularizerDescriptor = 'l1' | 'l2' | 'l1l2' | { readonly l1?: number; readonly l2?: number };
export type ConstraintDescriptor = string | ({ readonly type: string } & Record<string, unknown>);

type Factory<T> = (config: never) => T;
export type Initializer = ReturnType<typeof tf.initializers.ones>;
export type Regularizer = ReturnType<typeof tf.regularizers.l1>;
export type Constraint = ReturnType<typeof tf.constraints.nonNeg>;

export function toInitializer(descriptor: InitializerDescriptor): Initializer {
  const { type, ...config } = typeof descriptor === 'string' ? { type: descriptor } : descriptor;
  const factory = (tf.initializers as unknown as Record<string, Factory<Initializer>>)[type];
  if (!factory) throw new Error(`netspec runtime: unknown initializer '${type}'`);
  // tfjs' constant() throws without a value; Keras' Constant defaults it to 0.
  return factory((type === 'constant' && !('value' in config) ? { value: 0 } : config) as never);
}

export function toRegularizer(descriptor: RegularizerDescriptor | undefined): Regularizer | undefined {
  if (descriptor === undefined) return undefined;
  if (typeof descriptor === 'string') return tf.regularizers[descriptor]();
  if (descriptor.l1 !== undefined && descriptor.l2 !== undefined) return tf.regularizers.l1l2({ l1: descriptor.l1, l2: descriptor.l2 });
  return descriptor.l1 !== undefined ? tf.regularizers.l1({ l1: descriptor.l1 }) : tf.regularizers.l2({ l2: descriptor.l2 ?? 0.01 });
}

export function toConstraint(descriptor: ConstraintDescriptor | undefined): Constraint | undefined {
  if (descriptor === undefined) return undefined;
  const { type, ...config } = typeof descriptor === 'string' ? { type: descriptor } : descriptor;
  const factory = (tf.constraints as unknown as Record<string, Factory<Constraint>>)[type];
  if (!factory) throw new Error(`netspec runtime: unknown constraint '${type}'`);
  return factory(config as never);
}

/** tfjs' own activation function for a name, so runtime layers activate exactly like native ones. */
export function toActivation(name: string | undefined): (x: tf.Tensor) => tf.Tensor {
  if (name === undefined || name === 'linear') return (x) => x;
  const layer = tf.layers.activation({ activation: name as never }) as unknown as { activation: { apply(x: tf.Tensor): tf.Tensor } };
  return (x) => layer.activation.apply(x);
}
