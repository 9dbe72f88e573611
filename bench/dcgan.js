// The DCGAN generator of specs/dcgan.yaml, built as generated/dcgan.ts builds it, with the
// transposed convolutions made by a given factory: tf.layers.conv2dTranspose (native) or
// netspec's ConvTranspose. generated/ is TypeScript, so plain node cannot import it.
import * as tf from '@tensorflow/tfjs';
import { ConvTranspose } from '../dist/runtime/index.js';

const normal = { mean: 0, stddev: 0.02 };
export const nativeTranspose = (args) => tf.layers.conv2dTranspose({ ...args, kernelInitializer: tf.initializers.randomNormal(normal) });
export const netspecTranspose = (args) => new ConvTranspose({ rank: 2, ...args, kernelInitializer: { type: 'randomNormal', ...normal } });

/** Multiply-accumulates per sample (what `netspec summary specs/dcgan.yaml` prints for ngf 64: 163,020,800). */
export function generatorMacs(ngf, zDim = 100) {
  const conv = (i, c, f) => i * i * 25 * c * f;
  return zDim * 16 * ngf * 8 + conv(4, ngf * 8, ngf * 4) + conv(8, ngf * 4, ngf * 2) + conv(16, ngf * 2, ngf) + conv(32, ngf, 3);
}

/** buildGenerator() of generated/dcgan.ts, with `ngf` as a parameter and `transpose` making the up-sampling layers. */
export function buildGenerator(transpose, { ngf = 64, zDim = 100 } = {}) {
  const init = () => tf.initializers.randomNormal(normal);
  const z = tf.input({ name: 'z', shape: [zDim] });
  let h = tf.layers.dense({ name: 'dense_1', units: 4 * 4 * ngf * 8, useBias: false, kernelInitializer: init() }).apply(z);
  h = tf.layers.reshape({ name: 'reshape_1', targetShape: [4, 4, ngf * 8] }).apply(h);
  h = tf.layers.batchNormalization({ name: 'batchNormalization_1' }).apply(h);
  h = tf.layers.activation({ name: 'activation_1', activation: 'relu' }).apply(h);
  [ngf * 4, ngf * 2, ngf].forEach((filters, n) => {
    h = transpose({ name: `up${n + 1}`, filters, kernelSize: 5, strides: 2, padding: 'same', useBias: false }).apply(h);
    h = tf.layers.batchNormalization({ name: `batchNormalization_${n + 2}` }).apply(h);
    h = tf.layers.activation({ name: `activation_${n + 2}`, activation: 'relu' }).apply(h);
  });
  const image = transpose({ name: 'image', filters: 3, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' }).apply(h);
  return tf.model({ name: 'generator', inputs: [z], outputs: [image] });
}
