import * as tf from '@tensorflow/tfjs';

/** Attributes of tfjs' MaxPoolGrad and MaxPool3DGrad (channelsLast only). */
interface MaxPoolGradAttrs {
  filterSize: number | number[];
  strides: number | number[];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The window geometry of one pooling, 2D as 3D with depth 1. */
interface Window {
  batch: number;
  channels: number;
  inSize: [number, number, number];
  outSize: [number, number, number];
  filter: [number, number, number];
  strides: [number, number, number];
  before: [number, number, number];
}

function windowOf(inShape: number[], attrs: MaxPoolGradAttrs): Window {
  if (inShape.length === 4) {
    const i = tf.backend_util.computePool2DInfo(inShape as never, attrs.filterSize as never, attrs.strides as never, 1, attrs.pad, attrs.dimRoundingMode);
    return {
      batch: i.batchSize,
      channels: i.inChannels,
      inSize: [1, i.inHeight, i.inWidth],
      outSize: [1, i.outHeight, i.outWidth],
      filter: [1, i.effectiveFilterHeight, i.effectiveFilterWidth],
      strides: [1, i.strideHeight, i.strideWidth],
      before: [0, i.padInfo.top, i.padInfo.left],
    };
  }
  const i = tf.backend_util.computePool3DInfo(inShape as never, attrs.filterSize as never, attrs.strides as never, 1, attrs.pad as never, attrs.dimRoundingMode);
  return {
    batch: i.batchSize,
    channels: i.inChannels,
    inSize: [i.inDepth, i.inHeight, i.inWidth],
    outSize: [i.outDepth, i.outHeight, i.outWidth],
    filter: [i.effectiveFilterDepth, i.effectiveFilterHeight, i.effectiveFilterWidth],
    strides: [i.strideDepth, i.strideHeight, i.strideWidth],
    before: [i.padInfo.front, i.padInfo.top, i.padInfo.left],
  };
}

/**
 * The gradient of max pooling: each dy goes to the position of its window's
 * maximum. tfjs-backend-wasm 4.22 starts its search at the smallest positive
 * float (`numeric_limits<float>::min()`), so a window of negative values
 * sends its gradient nowhere, and it keeps the last of equal maxima. This
 * starts at -Infinity and breaks ties as tfjs' cpu backend does: the first
 * maximum in 2D, the last in 3D. (cpu's own MaxPool3DGrad numbers a window's
 * rows by the filter's height instead of its width, so it is wrong whenever
 * the two differ; it is replaced too.) A selection, not arithmetic, so a loop
 * over the saved input: one pass over every window, as the pooling itself.
 */
export function maxPoolGradValues(x: Float32Array, dy: Float32Array, inShape: number[], attrs: MaxPoolGradAttrs): Float32Array {
  const g = windowOf(inShape, attrs);
  const lastOfTies = inShape.length === 5;
  const [id, ih, iw] = g.inSize;
  const [od, oh, ow] = g.outSize;
  const c = g.channels;
  const dx = new Float32Array(x.length);
  let out = 0;
  for (let b = 0; b < g.batch; b++)
    for (let zd = 0; zd < od; zd++)
      for (let zh = 0; zh < oh; zh++)
        for (let zw = 0; zw < ow; zw++)
          for (let ch = 0; ch < c; ch++, out++) {
            let best = -Infinity;
            let at = -1;
            for (let fd = 0; fd < g.filter[0]; fd++) {
              const d = zd * g.strides[0] - g.before[0] + fd;
              if (d < 0 || d >= id) continue;
              for (let fh = 0; fh < g.filter[1]; fh++) {
                const h = zh * g.strides[1] - g.before[1] + fh;
                if (h < 0 || h >= ih) continue;
                for (let fw = 0; fw < g.filter[2]; fw++) {
                  const w = zw * g.strides[2] - g.before[2] + fw;
                  if (w < 0 || w >= iw) continue;
                  const index = (((b * id + d) * ih + h) * iw + w) * c + ch;
                  const v = x[index]!;
                  if (v > best || (lastOfTies && v === best)) {
                    best = v;
                    at = index;
                  }
                }
              }
            }
            if (at >= 0) dx[at] += dy[out]!;
          }
  return dx;
}

/** How a backend makes an output from values: cpu's `makeTensorInfo` keeps them, wasm's `makeOutput` copies them to its heap (cpu's `makeOutput` takes other arguments). */
interface Outputs {
  makeOutput?(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
  makeTensorInfo?(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

/** MaxPoolGrad / MaxPool3DGrad: inputs dy, input (x) and output. */
export const maxPoolGradKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const b = backend as tf.KernelBackend;
  const dx = maxPoolGradValues(b.readSync(input.dataId) as Float32Array, b.readSync(dy.dataId) as Float32Array, input.shape, attrs as unknown as MaxPoolGradAttrs);
  const outputs = backend as unknown as Outputs;
  return outputs.makeTensorInfo ? outputs.makeTensorInfo(input.shape, 'float32', dx) : outputs.makeOutput!(input.shape, 'float32', undefined, dx);
};
