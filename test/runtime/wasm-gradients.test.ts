/**
 * The Conv2DBackpropFilter that netspec/runtime supplies on wasm (which has
 * none) and on cpu (whose own is slow): the kernel gradient equals a
 * plain-loop reference on both, over a grid of shapes, strides, paddings and both layouts; and
 * a model of native tfjs conv2d layers trains on wasm exactly as on cpu;
 * and wasm's Identity, which saves every tensor a gradient needs, shares
 * its input's buffer instead of copying it.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import '../../src/runtime/index.js';
import { lcg, randomArray } from '../reference/conv-transpose.js';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | [number, number, number, number];

/** dW[kh][kw][ci][co] = sum of x[b][oh*s + kh - top][ow*s + kw - left][ci] * dy[b][oh][ow][co], zero outside x. */
function referenceFilterGradient(x: number[][][][], dy: number[][][][], k: [number, number], s: [number, number], top: number, left: number): number[] {
  const [ci, co] = [x[0]![0]![0]!.length, dy[0]![0]![0]!.length];
  const out: number[] = [];
  for (let kh = 0; kh < k[0]; kh++)
    for (let kw = 0; kw < k[1]; kw++)
      for (let c = 0; c < ci; c++)
        for (let f = 0; f < co; f++) {
          let sum = 0;
          for (let b = 0; b < x.length; b++)
            for (let oh = 0; oh < dy[b]!.length; oh++)
              for (let ow = 0; ow < dy[b]![oh]!.length; ow++) {
                const [h, w] = [oh * s[0] + kh - top, ow * s[1] + kw - left];
                if (h >= 0 && h < x[b]!.length && w >= 0 && w < x[b]![0]!.length) sum += x[b]![h]![w]![c]! * dy[b]![oh]![ow]![f]!;
              }
          out.push(sum);
        }
  return out;
}

/** [name, x shape (NHWC), kernel, strides, padding: valid, same, or explicit [top, bottom, left, right]]. */
const cases: [string, Shape4, [number, number], [number, number], Pad][] = [
  ['3x3 same stride 1', [2, 5, 6, 3], [3, 3], [1, 1], 'same'],
  ['4x4 same stride 2', [2, 8, 8, 2], [4, 4], [2, 2], 'same'],
  ['3x3 same stride 2 on odd sizes', [1, 7, 5, 2], [3, 3], [2, 2], 'same'],
  ['3x2 valid stride 2x1, rows left over', [2, 8, 5, 3], [3, 2], [2, 1], 'valid'],
  ['1x1 valid', [2, 4, 4, 5], [1, 1], [1, 1], 'valid'],
  ['4x4 explicit pads stride 2', [1, 6, 6, 2], [4, 4], [2, 2], [1, 2, 1, 1]],
  ['7x1 as conv1d', [2, 12, 1, 2], [7, 1], [1, 1], 'valid'],
];

function padsOf(shape: Shape4, k: [number, number], s: [number, number], pad: Pad): [number, number] {
  if (Array.isArray(pad)) return [pad[0], pad[2]];
  if (pad === 'valid') return [0, 0];
  const total = (i: number, kk: number, ss: number) => Math.max(0, (Math.ceil(i / ss) - 1) * ss + kk - i);
  return [Math.floor(total(shape[1], k[0], s[0]) / 2), Math.floor(total(shape[2], k[1], s[1]) / 2)];
}

const outLength = (i: number, k: number, s: number, before: number, after: number) => Math.floor((i + before + after - k) / s) + 1;

/** The kernel as tf.grad of a conv2d calls it, in either layout. */
function backpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: Shape4, s: [number, number], pad: Pad, channelsFirst: boolean): number[] {
  const explicit = Array.isArray(pad)
    ? channelsFirst
      ? [[0, 0], [0, 0], [pad[0], pad[1]], [pad[2], pad[3]]]
      : [[0, 0], [pad[0], pad[1]], [pad[2], pad[3]], [0, 0]]
    : pad;
  const [xs, dys] = channelsFirst ? [tf.transpose(x, [0, 3, 1, 2]), tf.transpose(dy, [0, 3, 1, 2])] : [x, dy];
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy: dys }, { strides: s, pad: explicit, dataFormat: channelsFirst ? 'NCHW' : 'NHWC', filterShape } as never) as tf.Tensor;
  return Array.from(dw.dataSync());
}

const close = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= 1e-4 * (1 + Math.abs(b[i]!)));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`Conv2DBackpropFilter on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });
    const layouts = [false, true];
    const rows: [string, Shape4, [number, number], [number, number], Pad, boolean][] = layouts.flatMap((channelsFirst) =>
      cases.map(([name, shape, k, s, pad]) => [`${name}${channelsFirst ? ' (NCHW)' : ''}`, shape, k, s, pad, channelsFirst]),
    );
    test.each(rows)(
      '%s: equals the plain-loop kernel gradient',
      (_, shape, k, s, pad, channelsFirst) => {
        const [top, left] = padsOf(shape, k, s, pad);
        const rows = Array.isArray(pad) ? outLength(shape[1], k[0], s[0], pad[0], pad[1]) : pad === 'same' ? Math.ceil(shape[1] / s[0]) : outLength(shape[1], k[0], s[0], 0, 0);
        const cols = Array.isArray(pad) ? outLength(shape[2], k[1], s[1], pad[2], pad[3]) : pad === 'same' ? Math.ceil(shape[2] / s[1]) : outLength(shape[2], k[1], s[1], 0, 0);
        const dyShape: Shape4 = [shape[0], rows, cols, 3];
        const next = lcg(shape.reduce((a, b) => a + b, 0));
        const x = randomArray(shape, next);
        const dy = randomArray(dyShape, next);
        const got = tf.tidy(() => backpropFilter(tf.tensor4d(Float32Array.from(x.data), shape), tf.tensor4d(Float32Array.from(dy.data), dyShape), [...k, shape[3], 3], s, pad, channelsFirst));
        const nested = (a: { data: ArrayLike<number> }, sh: Shape4) => tf.tidy(() => tf.tensor4d(Float32Array.from(a.data), sh).arraySync());
        expect(close(got, referenceFilterGradient(nested(x, shape), nested(dy, dyShape), k, s, top, left))).toBe(true);
      },
    );
  });
}

test('a model of native tfjs conv2d layers trains on wasm as on cpu', async () => {
  const runs: { loss: number; kernel: number[] }[] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'valid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const xs = tf.tensor4d(Float32Array.from(randomArray([2, 8, 8, 2], lcg(5)).data), [2, 8, 8, 2]);
    const before = Array.from(model.layers[0]!.getWeights()[0]!.dataSync());
    const history = await model.fit(xs, tf.ones([2, 2, 2, 1]), { epochs: 1, batchSize: 2, verbose: 0, shuffle: false });
    const kernel = Array.from(model.layers[0]!.getWeights()[0]!.dataSync());
    expect(close(kernel, before)).toBe(false);
    runs.push({ loss: history.history['loss']![0] as number, kernel });
    model.dispose();
    xs.dispose();
  }
  expect(Math.abs(runs[0]!.loss - runs[1]!.loss)).toBeLessThan(1e-5);
  expect(close(runs[1]!.kernel, runs[0]!.kernel)).toBe(true);
});

test('Identity on wasm shares its input buffer, and the clone outlives its source with the same values', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor2d([
    [1, 2],
    [3, 4],
  ]);
  const buffers = tf.memory().numDataBuffers;
  const copy = tf.clone(x);
  expect(tf.memory().numDataBuffers).toBe(buffers);
  x.dispose();
  expect(copy.arraySync()).toEqual([
    [1, 2],
    [3, 4],
  ]);
  // A variable assigned new values takes a new buffer: a clone made before keeps the old values.
  const v = tf.variable(tf.tensor1d([5, 6]));
  const saved = tf.clone(v);
  v.assign(tf.tensor1d([7, 8]));
  expect(Array.from(saved.dataSync())).toEqual([5, 6]);
  expect(Array.from(v.dataSync())).toEqual([7, 8]);
  tf.dispose([copy, v, saved]);
});
