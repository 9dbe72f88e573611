import type * as tf from '@tensorflow/tfjs';
import {
  toConstraint,
  toInitializer,
  toRegularizer,
  type Constraint,
  type ConstraintDescriptor,
  type Initializer,
  type InitializerDescriptor,
  type Regularizer,
  type RegularizerDescriptor,
} from './descriptors.js';
import type { KernelReparametrization } from './reparametrization.js';

/** The weight options dense, convolution and transposed convolution share, named as in tfjs/Keras. */
export interface KernelWeightArgs {
  /** Default true. */
  readonly useBias?: boolean;
  /** Default glorotUniform (with equalizedLearningRate: its unit normal). */
  readonly kernelInitializer?: InitializerDescriptor;
  /** Default zeros. */
  readonly biasInitializer?: InitializerDescriptor;
  readonly kernelRegularizer?: RegularizerDescriptor;
  readonly biasRegularizer?: RegularizerDescriptor;
  readonly kernelConstraint?: ConstraintDescriptor;
  readonly biasConstraint?: ConstraintDescriptor;
}

/** `Layer.addWeight`, which is protected, handed in by the layer. */
export type AddWeight = (
  name: string,
  shape: tf.Shape,
  initializer: Initializer,
  regularizer: Regularizer | undefined,
  trainable: boolean,
  constraint?: Constraint,
) => tf.LayerVariable;

/**
 * Adds Keras' `kernel`, then `bias` unless `useBias: false`, then the weights
 * of the kernel's reparametrization (`g`, `vector_u`), in that order, which is
 * the order Keras saves and `setWeights` reads. The kernel is drawn as the
 * reparametrization asks (equalized learning rate: a unit normal) unless an
 * initializer is given.
 */
export function addKernelWeights(
  add: AddWeight,
  args: KernelWeightArgs,
  kernelShape: readonly number[],
  units: number,
  reparametrization: KernelReparametrization | undefined,
): { kernel: tf.LayerVariable; bias: tf.LayerVariable | undefined } {
  const kernel = add('kernel', [...kernelShape], toInitializer(args.kernelInitializer ?? reparametrization?.kernelInitializer ?? 'glorotUniform'), toRegularizer(args.kernelRegularizer), true, toConstraint(args.kernelConstraint));
  const bias = args.useBias ?? true ? add('bias', [units], toInitializer(args.biasInitializer ?? 'zeros'), toRegularizer(args.biasRegularizer), true, toConstraint(args.biasConstraint)) : undefined;
  reparametrization?.build((name, shape, initializer, trainable) => add(name, shape, initializer, undefined, trainable), kernel);
  return { kernel, bias };
}
