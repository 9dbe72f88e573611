/**
 * The wasm backend's Conv3DBackpropInputV2 and Conv3DBackpropFilterV2, which
 * netspec/runtime replaces (tfjs-backend-wasm 4.22's input gradient stops
 * its depth loop early; its kernel gradient drops the last window and
 * misplaces the first for strides above 1): both equal a plain-loop
 * reference, as cpu's own kernels do, over a grid of shapes, kernels,
 * strides and paddings; and a native tfjs conv3d layer trains on wasm as on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import '../../src/runtime/index.js';
import { lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { conv3dGradientsRef, windows } from '../reference/conv3d.js';
import { worstRelativeError } from '../helpers/close.js';

type Shape5 = [number, number, number, number, number];
type Triple = [number, number, number];

/** [name, x shape (NDHWC), kernel, filters, strides, padding]. */
const cases: [string, Shape5, Triple, number, Triple, 'valid' | 'same'][] = [
  ['2x2x2 valid stride 1', [1, 4, 4, 4, 2], [2, 2, 2], 3, [1, 1, 1], 'valid'],
  ['3x3x3 same stride 1', [2, 5, 4, 5, 2], [3, 3, 3], 2, [1, 1, 1], 'same'],
  ['3x3x3 same stride 2 on even sizes', [2, 6, 6, 6, 2], [3, 3, 3], 3, [2, 2, 2], 'same'],
  ['4x4x4 same stride 2', [1, 8, 6, 4, 1], [4, 4, 4], 2, [2, 2, 2], 'same'],
  ['2x3x2 valid strides 2,1,2, positions left over', [1, 6, 5, 7, 3], [2, 3, 2], 2, [2, 1, 2], 'valid'],
  ['3x3x3 valid stride 3', [1, 7, 8, 9, 2], [3, 3, 3], 2, [3, 3, 3], 'valid'],
  ['1x1x1 valid', [2, 3, 3, 3, 4], [1, 1, 1], 3, [1, 1, 1], 'valid'],
  ['kernel deeper than strided input', [1, 3, 5, 5, 2], [3, 1, 1], 2, [2, 2, 2], 'same'],
];

const tensorOf = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape as number[]);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });
    test.each(cases)('%s: equal the plain-loop gradients', (_, shape, k, filters, strides, padding) => {
      const next = lcg(shape.reduce((a, b) => a * 7 + b, 3));
      const x = randomArray(shape, next);
      const w = randomArray([...k, shape[4], filters], next);
      const out = [1, 2, 3].map((a) => windows(shape[a]!, k[a - 1]!, strides[a - 1]!, padding).out);
      const dy = randomArray([shape[0], ...out, filters], next);
      const want = conv3dGradientsRef(x, w, strides, padding, dy);
      const [dx, dw] = tf.tidy(() => {
        const [xt, wt, dyt] = [tensorOf(x), tensorOf(w), tensorOf(dy)];
        const attrs = { strides, pad: padding, dataFormat: 'NDHWC', dilations: [1, 1, 1] };
        const input = tf.engine().runKernel('Conv3DBackpropInputV2', { dy: dyt, filter: wt }, { ...attrs, inputShape: shape } as never) as tf.Tensor;
        const filter = tf.engine().runKernel('Conv3DBackpropFilterV2', { x: xt, dy: dyt }, { ...attrs, filterShape: w.shape } as never) as tf.Tensor;
        return [input.dataSync(), filter.dataSync()];
      });
      expect(worstRelativeError(dx!, want.dx.data)).toBeLessThan(1e-5);
      expect(worstRelativeError(dw!, want.dw.data)).toBeLessThan(1e-5);
    });
  });
}

test('a native tfjs conv3d layer has the same gradients on wasm as on cpu, and leaks nothing', async () => {
  const grads: Float32Array[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const layer = tf.layers.conv3d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) });
    const x = tensorOf(randomArray([2, 6, 5, 6, 2], lcg(9)));
    layer.apply(x);
    const r = tf.tidy(() => tensorOf(randomArray((layer.apply(x) as tf.Tensor).shape, lcg(10))));
    const before = tf.memory().numTensors;
    const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar, [(layer.trainableWeights[0] as unknown as { val: tf.Variable }).val]);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, r)))(x);
    grads.push([...Object.values(g), dx].map((t) => t.dataSync() as Float32Array));
    tf.dispose([value, ...Object.values(g), dx]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, r]);
    layer.dispose();
  }
  grads[0]!.forEach((want, i) => expect(worstRelativeError(grads[1]![i]!, want)).toBeLessThan(1e-5));
});
