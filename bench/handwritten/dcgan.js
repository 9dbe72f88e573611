// The DCGAN generator of specs/dcgan.yaml as a tfjs user writes it: native layers only, no netspec.
import * as tf from '@tensorflow/tfjs';

const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });

export const inputShape = [100];

export function buildGenerator() {
  const z = tf.input({ shape: inputShape });
  let h = tf.layers.dense({ units: 4 * 4 * 512, useBias: false, kernelInitializer: init() }).apply(z);
  h = tf.layers.reshape({ targetShape: [4, 4, 512] }).apply(h);
  h = tf.layers.reLU().apply(tf.layers.batchNormalization().apply(h));
  for (const filters of [256, 128, 64]) {
    h = tf.layers.conv2dTranspose({ filters, kernelSize: 5, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }).apply(h);
    h = tf.layers.reLU().apply(tf.layers.batchNormalization().apply(h));
  }
  const image = tf.layers.conv2dTranspose({ filters: 3, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init() }).apply(h);
  return tf.model({ inputs: z, outputs: image });
}
