import * as tf from '@tensorflow/tfjs';
import { interleaveZeros, region } from '../tensor-ops.js';

/** Attributes of tfjs' DepthwiseConv2dNativeBackpropInput/Filter (channelsLast only: tfjs' depthwise gradient is). */
interface DepthwiseBackpropAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function infoOf(inShape: number[], filterShape: number[], attrs: DepthwiseBackpropAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(inShape as never, filterShape as never, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, true);
}

/**
 * The input gradient of a depthwise convolution (x [n, H, W, C], w [kh, kw, C, m],
 * dy [n, oh, ow, C*m]): dx[i, c] = sum over o, k, j with o*s + k*d - before = i
 * of dy[o, c*m + j] * w[k, c, j]. That is a depthwise correlation, dilated by d,
 * of dy with zeros between its positions (s - 1 of them) and the flipped
 * kernel, one filter per dy channel, then the m channels of each c summed.
 * wasm runs it with its own depthwise convolution.
 */
export function depthwiseBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: DepthwiseBackpropAttrs & { inputShape: number[] }): tf.Tensor4D {
  return tf.tidy(() => {
    const info = infoOf(attrs.inputShape, filter.shape, attrs);
    const [kh, kw, c, m] = filter.shape;
    const [n, h, w] = attrs.inputShape as [number, number, number];
    const effective = [info.effectiveFilterHeight, info.effectiveFilterWidth];
    const spread = interleaveZeros(interleaveZeros(dy, 1, info.strideHeight), 2, info.strideWidth);
    const read = region(spread, [info.padInfo.top - (effective[0]! - 1), info.padInfo.left - (effective[1]! - 1)], [h + effective[0]! - 1, w + effective[1]! - 1]) as tf.Tensor4D;
    const flipped = tf.reverse(filter, [0, 1]).reshape([kh, kw, c * m, 1]) as tf.Tensor4D;
    const perChannel = tf.depthwiseConv2d(read, flipped, 1, 'valid', 'NHWC', [info.dilationHeight, info.dilationWidth]);
    return (m === 1 ? perChannel : tf.sum(perChannel.reshape([n, h, w, c, m]), 4)) as tf.Tensor4D;
  });
}

/**
 * The kernel gradient of a depthwise convolution:
 * dW[k, c, j] = sum over b, o of x[b, o*s + k*d - before, c] * dy[b, o, c*m + j].
 * With the batch moved onto the channels (channel b*C + c of one image) and
 * dy as the kernel, it is one depthwise correlation whose stride is the
 * forward dilation and whose dilation is the forward stride, then a sum over
 * the batch: exactly the multiply-adds the gradient needs, on wasm's fast kernel.
 */
export function depthwiseBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: DepthwiseBackpropAttrs & { filterShape: number[] }): tf.Tensor4D {
  return tf.tidy(() => {
    const info = infoOf(x.shape, attrs.filterShape, attrs);
    const [kh, kw, c, m] = attrs.filterShape as [number, number, number, number];
    const [n] = x.shape;
    const { top, bottom, left, right } = info.padInfo;
    const padded = tf.pad(x, [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]);
    const [hp, wp] = [padded.shape[1]!, padded.shape[2]!];
    const images = padded.transpose([1, 2, 0, 3]).reshape([1, hp, wp, n * c]) as tf.Tensor4D;
    const kernel = dy.reshape([n, info.outHeight, info.outWidth, c, m]).transpose([1, 2, 0, 3, 4]).reshape([info.outHeight, info.outWidth, n * c, m]) as tf.Tensor4D;
    const full = tf.depthwiseConv2d(images, kernel, [info.dilationHeight, info.dilationWidth], 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
    const taps = tf.slice(full.reshape([full.shape[1]!, full.shape[2]!, n, c, m]), [0, 0, 0, 0, 0], [kh, kw, n, c, m]);
    return tf.sum(taps, 2) as tf.Tensor4D;
  });
}
