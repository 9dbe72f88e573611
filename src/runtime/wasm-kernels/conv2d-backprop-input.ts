import * as tf from '@tensorflow/tfjs';
import { subPixelTransposedConvolution, type AxisWindow } from '../transpose-kernels.js';

/**
 * tfjs-backend-wasm's `Conv2DBackpropInput` is a scalar loop (about 2.4
 * GFLOP/s on the bench machine, against 15-20 for its XNNPACK `Conv2D`), and
 * it is what `tf.layers.conv2dTranspose` and the input gradient of every
 * `conv2d` run. This replaces it, for the wasm backend only, with the same
 * values computed by the sub-pixel form of src/runtime/transpose-kernels.ts
 * (one stride-1 Conv2D with a kernel per output phase, then an interleave),
 * so generated modules can keep emitting the native layer (loadable by plain
 * tfjs) and still get wasm's fast path. Any input it does not handle goes to
 * wasm's own kernel. Registered when netspec/runtime is imported.
 *
 * The op is the input gradient of `conv2d(x, filter, strides, pad)` with `x`
 * of shape `inputShape` (tfjs-core `conv2DBackpropInput`):
 * `dx[b, i, j, c] = sum over (o, p, f) with o*sh + p = i + top of dy[b, o, ., f] * filter[p, ., c, f]`,
 * i.e. the full transposed convolution of `dy` with `filter` (Keras layout
 * `[kh, kw, filters, inChannels]` of the transposed convolution) read from
 * `top`/`left` for `inputShape`'s length, zero past its end: one `AxisWindow`
 * per axis. That holds for every stride, `same`/`valid`/numeric/explicit pad
 * and `dimRoundingMode`, which only decide `top`, `left` and dy's shape.
 */

interface BackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** The windows of dx in the full transposed convolution of dy, or undefined when dy's shape is not the one the attributes give. */
function windowsOf(dyShape: readonly number[], filterShape: readonly number[], attrs: BackpropInputAttrs): { windows: AxisWindow[]; strides: number[] } | undefined {
  const channelsFirst = attrs.dataFormat === 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    channelsFirst ? 'channelsFirst' : 'channelsLast',
  );
  const [outH, outW, outC] = channelsFirst ? [dyShape[2], dyShape[3], dyShape[1]] : [dyShape[1], dyShape[2], dyShape[3]];
  if (outH !== info.outHeight || outW !== info.outWidth || outC !== info.outChannels || dyShape[0] !== info.batchSize) return undefined;
  if (info.inChannels !== filterShape[2]) return undefined;
  return {
    windows: [
      { crop: info.padInfo.top, length: info.inHeight },
      { crop: info.padInfo.left, length: info.inWidth },
    ],
    strides: [info.strideHeight, info.strideWidth],
  };
}

/**
 * The op's value with tfjs ops, for `dy` and `filter` as tensors; undefined
 * where wasm's own kernel must answer. `filterFor` supplies (and may cache)
 * the sub-pixel filter built from `filter`.
 */
export function conv2dBackpropInputBySubPixel(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: BackpropInputAttrs,
  filterFor: (plan: string, make: () => tf.Tensor) => tf.Tensor = (_plan, make) => make(),
): tf.Tensor4D | undefined {
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32' || dy.size === 0 || filter.size === 0) return undefined;
  if (attrs.inputShape.some((n) => n <= 0)) return undefined;
  const plan = windowsOf(dy.shape, filter.shape, attrs);
  if (!plan) return undefined;
  const channelsFirst = attrs.dataFormat === 'NCHW';
  return tf.tidy(() => {
    const x = channelsFirst ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const y = subPixelTransposedConvolution(x, filter, plan.strides, plan.windows, filterFor);
    return (channelsFirst ? tf.transpose(y, [0, 3, 1, 2]) : y) as tf.Tensor4D;
  });
}

/**
 * Sub-pixel filters kept per filter buffer (the engine's `dataId`) and phase
 * plan: XNNPACK packs each filter tensor it has not seen, which costs more
 * than the convolution at small batches, and a layer's kernel keeps its
 * buffer until it is assigned or disposed. A filter is freed when the buffer
 * it was made from is freed (see `releaseWithSource`), so a disposed model
 * leaves nothing behind.
 */
const derivedFilters = new Map<object, Map<string, tf.Tensor>>();

function releaseDerived(dataId: object): void {
  const byPlan = derivedFilters.get(dataId);
  if (!byPlan) return;
  derivedFilters.delete(dataId);
  for (const t of byPlan.values()) t.dispose();
}

const hookedBackends = new WeakSet<tf.KernelBackend>();

/**
 * Makes the backend free a buffer's sub-pixel filters in the same call that
 * frees the buffer (wasm's `disposeData` returns true then): no sweep at a
 * later call, no filter outliving its weight.
 */
function releaseWithSource(backend: tf.KernelBackend): void {
  if (hookedBackends.has(backend)) return;
  hookedBackends.add(backend);
  const disposeData = backend.disposeData.bind(backend);
  backend.disposeData = (dataId: object, force?: boolean) => {
    const freed = disposeData(dataId, force);
    if (freed) releaseDerived(dataId);
    return freed;
  };
}

/** The cached sub-pixel filter of the buffer `source` for `plan`, made by `make` on a miss. */
function cachedFilter(backend: tf.KernelBackend, source: object, plan: string, make: () => tf.Tensor): tf.Tensor {
  releaseWithSource(backend);
  let byPlan = derivedFilters.get(source);
  if (!byPlan) derivedFilters.set(source, (byPlan = new Map()));
  let filter = byPlan.get(plan);
  // Disposed under us only if someone freed every tensor (tf.engine().reset()).
  if (!filter || filter.isDisposed) byPlan.set(plan, (filter = tf.keep(make())));
  return filter;
}

/** A kernel input as a tensor the engine owns a reference of, so disposing it leaves the input alive. */
function borrow(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

function register(): void {
  const wasm = tf.getKernel('Conv2DBackpropInput', 'wasm');
  // wasm not loaded (its kernels register on import), or already replaced by another copy of this module.
  if (wasm === undefined || (wasm.kernelFunc as { netspec?: boolean }).netspec) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const backend = args.backend as tf.KernelBackend;
    const source = args.inputs['filter']!;
    const dy = borrow(args.inputs['dy']!, backend);
    const filter = borrow(source, backend);
    try {
      const dx = conv2dBackpropInputBySubPixel(dy as tf.Tensor4D, filter as tf.Tensor4D, args.attrs as unknown as BackpropInputAttrs, (plan, make) =>
        cachedFilter(backend, source.dataId, plan, make),
      );
      return dx ?? wasm.kernelFunc(args);
    } finally {
      tf.dispose([dy, filter]);
    }
  };
  (kernelFunc as { netspec?: boolean }).netspec = true;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  // wasm's own setup (binding its C function) still runs when the backend initializes, for the cases delegated to it.
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc, setupFunc: wasm.setupFunc, disposeFunc: wasm.disposeFunc });
}

register();
