// The WaveGAN generator of specs/wavegan.yaml (Donahue et al. 2019) as a tfjs user writes it:
// tfjs has no conv1dTranspose, so each 1D transposed convolution is a conv2dTranspose with a
// 1 x 25 kernel over a unit height axis.
import * as tf from '@tensorflow/tfjs';

export const inputShape = [100];

export function buildGenerator() {
  const z = tf.input({ shape: inputShape });
  let h = tf.layers.dense({ units: 16 * 1024 }).apply(z);
  h = tf.layers.reshape({ targetShape: [1, 16, 1024] }).apply(h);
  h = tf.layers.reLU().apply(h);
  for (const filters of [512, 256, 128, 64]) h = tf.layers.conv2dTranspose({ filters, kernelSize: [1, 25], strides: [1, 4], padding: 'same', activation: 'relu' }).apply(h);
  h = tf.layers.conv2dTranspose({ filters: 1, kernelSize: [1, 25], strides: [1, 4], padding: 'same', activation: 'tanh' }).apply(h);
  const audio = tf.layers.reshape({ targetShape: [16384, 1] }).apply(h);
  return tf.model({ inputs: z, outputs: audio });
}
