import * as tf from '@tensorflow/tfjs';

/**
 * Turns a kernel input into a tensor the engine owns a reference of, so a
 * kernel built from tfjs ops can use it, and disposing it leaves the input alive.
 */
export function borrow(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

/** A kernel function of tfjs ops on its borrowed inputs, each returned to the engine after the call. */
export function opsKernel(names: readonly string[], compute: (inputs: tf.Tensor[], attrs: Record<string, unknown>) => tf.Tensor): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const borrowed = names.map((name) => borrow(inputs[name]!, backend as tf.KernelBackend));
    try {
      return compute(borrowed, (attrs ?? {}) as Record<string, unknown>);
    } finally {
      tf.dispose(borrowed);
    }
  };
}
