import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter } from './wasm-kernels/conv2d-backprop-filter.js';
import { conv3dBackpropFilter, conv3dBackpropInput } from './wasm-kernels/conv3d-backprop.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './wasm-kernels/depthwise-backprop.js';
import { opsKernel } from './wasm-kernels/kernel-tensors.js';
import { maxPoolGradKernel } from './wasm-kernels/max-pool-grad.js';

/**
 * Gradient kernels that tfjs-backend-wasm 4.22 lacks, or has wrong, built
 * from kernels it has, so that models train on wasm: without them `fit` on
 * any model with a convolution fails with "Kernel 'Conv2DBackpropFilter' not
 * registered for backend 'wasm'", and a model with a conv3d or a max pooling
 * trains on wrong gradients. Registered once, when netspec/runtime is
 * imported. Each is checked against a plain loop and cpu in
 * test/runtime/wasm-*.test.ts; docs/semantics.md lists them.
 */

type Compute = (inputs: tf.Tensor[], attrs: Record<string, unknown>) => tf.Tensor;
const ops = (names: readonly string[], compute: Compute): tf.KernelFunc => opsKernel(names, compute);

/** Kernels wasm does not register: added whenever it has none. */
const missing: Record<string, tf.KernelFunc> = {
  Conv2DBackpropFilter: ops(['x', 'dy'], ([x, dy], attrs) => conv2dBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, attrs as never)),
  DepthwiseConv2dNativeBackpropFilter: ops(['x', 'dy'], ([x, dy], attrs) => depthwiseBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, attrs as never)),
  DepthwiseConv2dNativeBackpropInput: ops(['dy', 'filter'], ([dy, filter], attrs) => depthwiseBackpropInput(dy as tf.Tensor4D, filter as tf.Tensor4D, attrs as never)),
};

/**
 * Kernels wasm registers wrong (docs/semantics.md): replaced when wasm is
 * loaded before netspec/runtime, as it is by any program that imports
 * `@tensorflow/tfjs-backend-wasm` before a generated module. Registered
 * first, they would be overwritten by wasm's own when it loads.
 */
const wrong: Record<string, tf.KernelFunc> = {
  Conv3DBackpropInputV2: ops(['dy', 'filter'], ([dy, filter], attrs) => conv3dBackpropInput(dy as tf.Tensor5D, filter as tf.Tensor5D, attrs as never)),
  Conv3DBackpropFilterV2: ops(['x', 'dy'], ([x, dy], attrs) => conv3dBackpropFilter(x as tf.Tensor5D, dy as tf.Tensor5D, attrs as never)),
  MaxPoolGrad: maxPoolGradKernel,
  MaxPool3DGrad: maxPoolGradKernel,
};

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

/**
 * tfjs-backend-cpu 4.22's MaxPool3DGrad indexes a window's rows by the
 * filter's height instead of its width (`maxPool3dPositions`), so a pool
 * whose height and width differ trains on wrong gradients; the same loop
 * as wasm's replaces it. cpu is always loaded with @tensorflow/tfjs.
 */
const wrongOnCpu: Record<string, tf.KernelFunc> = { MaxPool3DGrad: maxPoolGradKernel };

/**
 * tfjs-backend-cpu 4.22's Conv2DBackpropFilter reads dy and x element by
 * element through TensorBuffer (about 0.03 GFLOP/s on the bench machine):
 * one training step of the DCGAN generator at batch 1 spent over 20 s in it.
 * The forward-convolution form above computes the same sum with cpu's Conv2D,
 * about 28 times faster for the generator's middle layer, and it is what
 * every conv2d and native conv2dTranspose layer trains with once
 * netspec/runtime is imported (equal to a plain loop in
 * test/runtime/wasm-gradients.test.ts, on both backends and both layouts).
 */
const slowOnCpu: Record<string, tf.KernelFunc> = { Conv2DBackpropFilter: missing['Conv2DBackpropFilter']! };

function register(): void {
  shareIdentity();
  for (const [kernelName, kernelFunc] of Object.entries(missing)) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  for (const [kernelName, kernelFunc] of Object.entries(wrong)) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  for (const [kernelName, kernelFunc] of Object.entries({ ...wrongOnCpu, ...slowOnCpu })) {
    if (tf.getKernel(kernelName, 'cpu') !== undefined) tf.unregisterKernel(kernelName, 'cpu');
    tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc });
  }
}

register();
