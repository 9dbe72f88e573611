// The pix2pix U-Net generator of specs/pix2pix.yaml (Isola et al. 2017; the TensorFlow pix2pix
// tutorial's Generator) as a tfjs user writes it: native layers only, no netspec.
import * as tf from '@tensorflow/tfjs';

const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });

export const inputShape = [256, 256, 3];

function downsample(x, filters, batchNorm) {
  let h = tf.layers.conv2d({ filters, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }).apply(x);
  if (batchNorm) h = tf.layers.batchNormalization().apply(h);
  return tf.layers.leakyReLU().apply(h);
}

function upsample(x, filters, dropout) {
  let h = tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }).apply(x);
  h = tf.layers.batchNormalization().apply(h);
  h = tf.layers.dropout({ rate: dropout }).apply(h);
  return tf.layers.reLU().apply(h);
}

export function buildGenerator() {
  const image = tf.input({ shape: inputShape });
  const skips = [];
  let h = image;
  [64, 128, 256, 512, 512, 512, 512, 512].forEach((filters, n) => {
    h = downsample(h, filters, n > 0);
    skips.push(h);
  });
  const across = skips.slice(0, -1).reverse();
  [512, 512, 512, 512, 256, 128, 64].forEach((filters, n) => {
    h = upsample(h, filters, n < 3 ? 0.5 : 0);
    h = tf.layers.concatenate({ axis: 3 }).apply([h, across[n]]);
  });
  const output = tf.layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init() }).apply(h);
  return tf.model({ inputs: image, outputs: output });
}
