// The 3D-GAN generator of specs/voxelGan.yaml (Wu et al. 2016) as a tfjs user writes it:
// tf.layers.conv3dTranspose, 'valid' for 1 -> 4 and 'same' (a crop of 1 on each side) after.
// tf.layers.batchNormalization rejects rank 5 ("not implemented for array of rank 5 yet"), so it
// normalizes a rank-4 view [d, h * w, c]: the same per-channel statistics.
import * as tf from '@tensorflow/tfjs';

export const inputShape = [200];

export function buildGenerator() {
  const z = tf.input({ shape: inputShape });
  let h = tf.layers.reshape({ targetShape: [1, 1, 1, 200] }).apply(z);
  [512, 256, 128, 64].forEach((filters, n) => {
    h = tf.layers.conv3dTranspose({ filters, kernelSize: 4, strides: 2, padding: n === 0 ? 'valid' : 'same', useBias: false }).apply(h);
    const [, d, hh, w] = h.shape;
    h = tf.layers.reshape({ targetShape: [d, hh * w, filters] }).apply(h);
    h = tf.layers.batchNormalization().apply(h);
    h = tf.layers.reshape({ targetShape: [d, hh, w, filters] }).apply(h);
    h = tf.layers.reLU().apply(h);
  });
  const voxels = tf.layers.conv3dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid' }).apply(h);
  return tf.model({ inputs: z, outputs: voxels });
}
