import * as tf from '@tensorflow/tfjs';
import { interleaveZeros, region } from '../tensor-ops.js';

/** Attributes of tfjs' Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 (channelsLast only, no dilation). */
interface Conv3DBackpropAttrs {
  strides: [number, number, number] | number;
  pad: 'valid' | 'same' | number;
}

function infoOf(inShape: number[], filterShape: number[], attrs: Conv3DBackpropAttrs): tf.backend_util.Conv3DInfo {
  return tf.backend_util.computeConv3DInfo(inShape as never, filterShape as never, attrs.strides, 1, attrs.pad);
}

/**
 * The input gradient of a 3D convolution (tfjs-backend-wasm 4.22's own
 * kernel stops the depth loop at `filterDepth / strideDepth` and leaves most
 * of dx zero): dx[i] = sum over o, k with o*s + k - before = i of
 * dy[o] * w[k], channels swapped. That is the stride-1 valid correlation,
 * with the flipped kernel, of dy with zeros between its positions (s - 1 of
 * them) read from `before - (k - 1)` for `in + k - 1` positions.
 */
export function conv3dBackpropInput(dy: tf.Tensor5D, filter: tf.Tensor5D, attrs: Conv3DBackpropAttrs & { inputShape: number[] }): tf.Tensor5D {
  return tf.tidy(() => {
    const info = infoOf(attrs.inputShape, filter.shape, attrs);
    const strides = [info.strideDepth, info.strideHeight, info.strideWidth];
    const k = [info.filterDepth, info.filterHeight, info.filterWidth];
    const before = [info.padInfo.front, info.padInfo.top, info.padInfo.left];
    const inSizes = attrs.inputShape.slice(1, 4);
    const spread = strides.reduce((t, s, a) => interleaveZeros(t, a + 1, s), dy as tf.Tensor);
    const read = region(
      spread,
      before.map((b, a) => b - (k[a]! - 1)),
      inSizes.map((n, a) => n + k[a]! - 1),
    ) as tf.Tensor5D;
    const flipped = tf.reverse(filter, [0, 1, 2]).transpose([0, 1, 2, 4, 3]) as tf.Tensor5D;
    return tf.conv3d(read, flipped, 1, 'valid');
  });
}

/**
 * The kernel gradient of a 3D convolution (tfjs-backend-wasm 4.22's own
 * kernel rounds the last output position down and misplaces the first for
 * strides above 1): dW[k, ci, co] = sum over b, o of x[b, o*s + k - before, ci] * dy[b, o, co]
 * is a valid correlation of the padded x, batch and channels swapped, with
 * dy as its kernel dilated by the strides, cropped to the kernel's size.
 */
export function conv3dBackpropFilter(x: tf.Tensor5D, dy: tf.Tensor5D, attrs: Conv3DBackpropAttrs & { filterShape: number[] }): tf.Tensor5D {
  return tf.tidy(() => {
    const info = infoOf(x.shape, attrs.filterShape, attrs);
    const { front, back, top, bottom, left, right } = info.padInfo;
    const padded = tf.pad(x, [
      [0, 0],
      [front, back],
      [top, bottom],
      [left, right],
      [0, 0],
    ]);
    const swapped = padded.transpose([4, 1, 2, 3, 0]) as tf.Tensor5D;
    const kernel = dy.transpose([1, 2, 3, 0, 4]) as tf.Tensor5D;
    const full = tf.conv3d(swapped, kernel, 1, 'valid', 'NDHWC', [info.strideDepth, info.strideHeight, info.strideWidth]);
    const [kd, kh, kw] = attrs.filterShape as [number, number, number];
    return tf.slice(full, [0, 0, 0, 0, 0], [-1, kd, kh, kw, -1]).transpose([1, 2, 3, 0, 4]) as tf.Tensor5D;
  });
}
