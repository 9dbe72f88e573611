import * as tf from '@tensorflow/tfjs';

/** Attributes of tfjs' Conv2DBackpropFilter. */
export interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * The kernel gradient of a 2D convolution as one forward convolution:
 * dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*sh + kh, ow*sw + kw, ci] * dy[b, oh, ow, co]
 * is a valid convolution of x (channels and batch swapped, so the batch is summed
 * as the channels are) with dy as its filter, dilated by the strides, cropped to the
 * kernel's size. wasm computes it with its fast Conv2D.
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: BackpropFilterAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const channelsFirst = attrs.dataFormat === 'NCHW';
    const xl = channelsFirst ? tf.transpose(x, [0, 2, 3, 1]) : x;
    const dyl = channelsFirst ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const [kh, kw] = attrs.filterShape;
    // Explicit pads are listed in the order of the data format's axes.
    const pad = channelsFirst && Array.isArray(attrs.pad) ? ([attrs.pad[0], attrs.pad[2], attrs.pad[3], attrs.pad[1]] as tf.backend_util.ExplicitPadding) : attrs.pad;
    const info = tf.backend_util.computeConv2DInfo(xl.shape, attrs.filterShape, attrs.strides, 1, pad, attrs.dimRoundingMode, false, 'channelsLast');
    const { top, bottom, left, right } = info.padInfo;
    const padded = tf.pad(xl, [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]);
    const swapped = tf.transpose(padded, [3, 1, 2, 0]);
    const filter = tf.transpose(dyl, [1, 2, 0, 3]);
    const full = tf.conv2d(swapped, filter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
    return tf.transpose(tf.slice(full, [0, 0, 0, 0], [-1, kh, kw, -1]), [1, 2, 0, 3]) as tf.Tensor4D;
  });
}
