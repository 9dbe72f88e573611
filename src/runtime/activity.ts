import * as tf from '@tensorflow/tfjs';
import { toRegularizer, type Regularizer, type RegularizerDescriptor } from './descriptors.js';

/** What a regularized layer remembers between its call and the loss of the same training step. */
interface ActivityState {
  regularizer: Regularizer;
  outputs: tf.Tensor[];
}

const STATE = Symbol('netspec.activityRegularizer');
type RegularizedLayer = tf.layers.Layer & { [STATE]?: ActivityState; activityRegularizer?: unknown };

/**
 * Gives a native tfjs layer (dense, conv1d/2d/3d) the Keras 3 activity
 * regularizer that tfjs cannot run (its `activityRegularizer` throws at call
 * time, docs/semantics.md). Build the layer without that option and pass its
 * descriptor here: every call keeps its output, and the layer's losses, which
 * `fit` and `trainOnBatch` add to the loss inside the same training step,
 * gain `regularizer(output) / batchSize` (Keras 3 `Layer.__call__`, with
 * `divide_no_nan`). Calling it again replaces the regularizer.
 * Returns the same layer.
 */
export function withActivityRegularizer<L extends tf.layers.Layer>(layer: L, descriptor: RegularizerDescriptor): L {
  const target = layer as RegularizedLayer;
  if (target.activityRegularizer != null) {
    throw new Error(`netspec runtime: layer '${layer.name}' has tfjs' own activityRegularizer, which throws when called; build it without that option`);
  }
  const regularizer = toRegularizer(descriptor)!;
  const existing = target[STATE];
  if (existing) {
    existing.regularizer = regularizer;
    return layer;
  }
  const state: ActivityState = { regularizer, outputs: [] };
  target[STATE] = state;
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const output = call(inputs, kwargs);
    state.outputs = Array.isArray(output) ? output : [output];
    return output;
  };
  layer.addLoss(() => activityPenalty(state));
  return layer;
}

function activityPenalty(state: ActivityState): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    // Outputs of an earlier step are disposed; only the current training step's count.
    for (const output of state.outputs.filter((o) => !o.isDisposed)) {
      let loss = state.regularizer.apply(output);
      if (output.rank > 0) {
        const batch = output.shape[0]!;
        loss = batch > 0 ? tf.div(loss, batch) : tf.zerosLike(loss);
      }
      total = tf.add(total, loss);
    }
    return total;
  });
}
