import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { toOnnx } from '../../src/onnx/index.js';

/**
 * Gives the weights that start constant (biases, betas, gammas, moving
 * statistics, at 0 or 1) random non-zero values, so they are tested too:
 * moving variances in [0.5, 1.5), the others their value plus N(0, 0.1).
 * Kernels keep their random initial values: noise of a fixed size would grow
 * the activations of a deep network by orders of magnitude.
 */
export function perturbWeights(model: tf.LayersModel, seed = 1): void {
  let n = seed;
  for (const w of model.weights) {
    const value = w.read();
    const constant = tf.tidy(() => tf.min(value).dataSync()[0] === tf.max(value).dataSync()[0]);
    if (!constant) continue;
    const next = tf.tidy(() => {
      if (w.name.includes('moving_variance')) return tf.randomUniform(value.shape, 0.5, 1.5, 'float32', n++);
      return tf.add(value, tf.randomNormal(value.shape, 0, 0.1, 'float32', n++));
    });
    w.write(next);
    next.dispose();
  }
}

/** The largest |a - b| over the largest |b| (at least 1): the relative difference the tests bound by 1e-4. */
export function relativeDifference(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

/** Runs the model's ONNX export on onnxruntime with the same inputs, by input name. */
export async function runOnnx(model: tf.LayersModel, xs: readonly tf.Tensor[]): Promise<{ names: string[]; outputs: ort.Tensor[]; session: ort.InferenceSession }> {
  const session = await ort.InferenceSession.create(toOnnx(model), { intraOpNumThreads: 1 });
  const feeds: Record<string, ort.Tensor> = {};
  model.inputNames.forEach((name, i) => {
    const x = xs[i]!;
    feeds[name] = x.dtype === 'int32' ? new ort.Tensor('int32', x.dataSync() as Int32Array, x.shape) : new ort.Tensor('float32', x.dataSync() as Float32Array, x.shape);
  });
  const result = await session.run(feeds);
  return { names: [...session.outputNames], outputs: session.outputNames.map((name) => result[name]!), session };
}
