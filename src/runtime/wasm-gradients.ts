import * as tf from '@tensorflow/tfjs';

/**
 * Gradient kernels that tfjs-backend-wasm lacks, built from kernels it has,
 * so that models train on wasm: without them `fit` on any model with a
 * convolution fails with "Kernel 'Conv2DBackpropFilter' not registered for
 * backend 'wasm'". Registered once, when netspec/runtime is imported, and
 * only where wasm has no kernel of its own.
 */

/** Turns a kernel input into a tensor the engine owns a reference of, so disposing it leaves the input alive. */
function borrow(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

interface BackpropFilterAttrs {
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

/**
 * wasm's Identity copies its input, and training clones every tensor a
 * gradient needs through Identity (the engine's `saveTensorsForBackwardMode`),
 * so a training step on wasm held two copies of every saved activation: the
 * 256x256 CycleGAN generator ran out of wasm's 4 GB. The clone shares the
 * input's buffer instead, as the cpu backend's Identity does; no wasm kernel
 * writes into its inputs, and a variable's `assign` takes a new buffer, so
 * the shared buffer never changes under the clone. Replaced only when wasm is
 * loaded before netspec/runtime, as it is by any program that imports
 * `@tensorflow/tfjs-backend-wasm` before a generated module; otherwise wasm's
 * own Identity stays, which is correct, only larger.
 */
function shareIdentity(): void {
  const wasm = tf.getKernel('Identity', 'wasm');
  if (wasm === undefined) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs['x']!;
      if (x.dtype === 'string') return wasm.kernelFunc(args);
      (args.backend as tf.KernelBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

function register(): void {
  shareIdentity();
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = borrow(inputs['x']!, backend as tf.KernelBackend);
      const dy = borrow(inputs['dy']!, backend as tf.KernelBackend);
      const dw = conv2dBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, attrs as unknown as BackpropFilterAttrs);
      tf.dispose([x, dy]);
      return dw;
    },
  });
}

register();
