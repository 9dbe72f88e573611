/**
 * The wasm backend's DepthwiseConv2dNativeBackpropInput and
 * DepthwiseConv2dNativeBackpropFilter, which tfjs-backend-wasm 4.22 lacks and
 * netspec/runtime supplies: both equal a plain-loop reference (as cpu's own
 * kernels do) over a grid of kernels, strides, dilations, depth multipliers
 * and paddings (dilations on wasm only); and tfjs' own depthwiseConv2d and separableConv2d layers
 * have the same gradients on wasm as on cpu. channelsLast only: tfjs'
 * depthwise gradient has no other layout.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import '../../src/runtime/index.js';
import { lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { depthwiseRef } from '../reference/depthwise.js';
import { worstRelativeError } from '../helpers/close.js';

type Pair = [number, number];

/** [name, x shape (NHWC), kernel, multiplier, strides, dilation, padding]. */
const cases: [string, [number, number, number, number], Pair, number, Pair, Pair, 'valid' | 'same'][] = [
  ['3x3 same stride 1', [2, 6, 5, 3], [3, 3], 1, [1, 1], [1, 1], 'same'],
  ['3x3 same stride 2 on odd sizes, multiplier 2', [1, 7, 5, 2], [3, 3], 2, [2, 2], [1, 1], 'same'],
  ['4x4 same stride 2', [2, 8, 8, 2], [4, 4], 1, [2, 2], [1, 1], 'same'],
  ['3x2 valid strides 2,1, rows left over, multiplier 3', [1, 8, 6, 2], [3, 2], 3, [2, 1], [1, 1], 'valid'],
  ['3x3 valid dilation 2', [1, 9, 8, 2], [3, 3], 1, [1, 1], [2, 2], 'valid'],
  ['3x3 same dilations 2,3, multiplier 2', [2, 8, 9, 2], [3, 3], 2, [1, 1], [2, 3], 'same'],
  ['1x1 valid', [2, 4, 4, 4], [1, 1], 2, [1, 1], [1, 1], 'valid'],
  ['5x1 valid as a 1D kernel', [1, 12, 1, 3], [5, 1], 1, [1, 1], [1, 1], 'valid'],
];

const tensorOf = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape as number[]);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`DepthwiseConv2dNativeBackpropInput and DepthwiseConv2dNativeBackpropFilter on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });
    // tfjs' depthwise gradient refuses dilations (it asserts them 1), and cpu's kernels ignore them; wasm's handle them.
    const rows = backend === 'cpu' ? cases.filter(([, , , , , d]) => d[0] === 1 && d[1] === 1) : cases;
    test.each(rows)('%s: equal the plain-loop gradients', (_, shape, k, m, strides, dilation, padding) => {
      const next = lcg(shape.reduce((a, b) => a * 3 + b, k[0] * 10 + m));
      const x = randomArray(shape, next);
      const w = randomArray([...k, shape[3], m], next);
      const yShape = depthwiseRef(x, w, { strides, dilation, padding }).y.shape;
      const dy = randomArray(yShape, next);
      const want = depthwiseRef(x, w, { strides, dilation, padding }, dy);
      const [dx, dw] = tf.tidy(() => {
        const [xt, wt, dyt] = [tensorOf(x), tensorOf(w), tensorOf(dy)];
        const attrs = { strides, pad: padding, dilations: dilation };
        const input = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: dyt, filter: wt }, { ...attrs, inputShape: shape } as never) as tf.Tensor;
        const filter = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: xt, dy: dyt }, { ...attrs, filterShape: w.shape } as never) as tf.Tensor;
        return [input.dataSync(), filter.dataSync()];
      });
      expect(worstRelativeError(dx!, want.dx.data)).toBeLessThan(1e-5);
      expect(worstRelativeError(dw!, want.dw.data)).toBeLessThan(1e-5);
    });
  });
}

test.each([
  ['depthwiseConv2d', () => tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', depthwiseInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: 'ones' })],
  [
    'separableConv2d',
    () =>
      tf.layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'valid',
        depthwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        pointwiseInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
  ],
])("tfjs' %s layer has the same gradients on wasm as on cpu, and leaks nothing", async (_, make) => {
  const runs: Float32Array[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    // Measured around the layer's whole life: netspec's wasm Conv2DBackpropInput caches a filter per weight until the weight goes.
    const before = tf.memory().numTensors;
    const layer = make();
    const x = tensorOf(randomArray([2, 7, 6, 3], lcg(5)));
    const r = tf.tidy(() => tensorOf(randomArray((layer.apply(x) as tf.Tensor).shape, lcg(6))));
    const weights = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar, weights);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, r)))(x);
    runs.push([...weights.map((v) => grads[v.name]!), dx].map((t) => t.dataSync() as Float32Array));
    tf.dispose([value, ...Object.values(grads), dx]);
    tf.dispose([x, r]);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }
  runs[0]!.forEach((want, i) => expect(worstRelativeError(runs[1]![i]!, want)).toBeLessThan(1e-5));
});
