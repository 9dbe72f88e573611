import * as tf from '@tensorflow/tfjs';

/** What a custom-gradient function returns: its value, and the gradients of its inputs given the output's. */
export interface WithGradient {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
}

/** The tensors a custom-gradient function takes: its parameters without the trailing save function tfjs passes. */
type Inputs<A extends unknown[]> = A extends [...infer I, tf.GradSaveFunc] ? I : A;

/**
 * `tf.customGrad` with the gradient computed inside `tf.tidy`. tfjs runs a
 * custom gradient outside any scope of its own and keeps everything it
 * creates until the whole backward pass ends (tfjs-core 4.22
 * `Engine.customGrad`, `backpropagateGradients`); the temporaries of every
 * runtime layer's gradient then stayed alive at once, which is what ran the
 * 256x256 CycleGAN generator out of wasm's memory. Typed by its inputs,
 * which tfjs' single variadic signature cannot express.
 */
export function customGradient<A extends unknown[]>(f: (...args: A) => WithGradient): (...inputs: Inputs<A>) => tf.Tensor {
  const tidied = (...args: unknown[]) => {
    const { value, gradFunc } = f(...(args as A));
    return { value, gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.tidy(() => gradFunc(Array.isArray(dy) ? dy[0]! : dy, saved)) };
  };
  return tf.customGrad(tidied as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...inputs: Inputs<A>) => tf.Tensor;
}
