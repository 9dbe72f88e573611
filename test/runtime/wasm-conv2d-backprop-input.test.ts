/**
 * The wasm backend's Conv2DBackpropInput, which netspec/runtime replaces with
 * the sub-pixel form on wasm's conv2d: it equals a plain-loop input gradient
 * of conv2d, and cpu's own kernel, over a grid of shapes, strides, paddings
 * (valid, same, numeric with each dimRoundingMode, explicit) and both
 * layouts; conv2d's input gradient and conv2dTranspose's forward and
 * gradients on wasm equal cpu's; a gallery model's predict on wasm equals
 * cpu's; and the filters it caches are freed with the weight they came from.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import '../../src/runtime/index.js';
import { buildGenerator } from '../../generated/dcgan.js';
import { lcg, randomArray } from '../reference/conv-transpose.js';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | [number, number, number, number];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

interface Row {
  name: string;
  /** x (the result) NHWC. */
  x: Shape4;
  k: [number, number];
  s: [number, number];
  pad: Pad;
  rounding?: Rounding;
  /** Channels of dy. */
  outC: number;
}

/** Rounds as tfjs' conv_util `round` does for dimRoundingMode (default: truncation). */
function roundBy(v: number, mode: Rounding): number {
  if (mode === 'ceil') return Math.ceil(v);
  if (mode === 'round') return Math.round(v);
  if (mode === 'floor') return Math.floor(v);
  return Math.trunc(v);
}

/** [top, left] pads and dy's [rows, cols] for a conv2d of x by the row's filter: TensorFlow's conv padding rules, written out. */
function geometry(r: Row): { top: number; left: number; rows: number; cols: number } {
  const [, h, w] = r.x;
  const axis = (i: number, k: number, s: number, a: 0 | 1) => {
    if (r.pad === 'valid') return { before: 0, out: Math.ceil((i - k + 1) / s) };
    if (r.pad === 'same') {
      const out = Math.ceil(i / s);
      return { before: Math.floor(Math.max(0, (out - 1) * s + k - i) / 2), out };
    }
    if (typeof r.pad === 'number') return { before: r.pad, out: roundBy((i - k + 2 * r.pad) / s + 1, r.rounding) };
    const [b, e] = a === 0 ? [r.pad[0], r.pad[1]] : [r.pad[2], r.pad[3]];
    return { before: b, out: Math.floor((i + b + e - k) / s) + 1 };
  };
  const [v, u] = [axis(h, r.k[0], r.s[0], 0), axis(w, r.k[1], r.s[1], 1)];
  return { top: v.before, left: u.before, rows: v.out, cols: u.out };
}

/** dx[b][i][j][c] = sum of dy[b][oh][ow][f] * filter[i + top - oh*sh][j + left - ow*sw][c][f] over taps inside the filter. */
function referenceInputGradient(r: Row, dy: Float64Array, filter: Float64Array, g: ReturnType<typeof geometry>): number[] {
  const [batch, h, w, c] = r.x;
  const [kh, kw] = r.k;
  const out: number[] = [];
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let ci = 0; ci < c; ci++) {
          let sum = 0;
          for (let oh = 0; oh < g.rows; oh++)
            for (let ow = 0; ow < g.cols; ow++) {
              const [p, q] = [i + g.top - oh * r.s[0], j + g.left - ow * r.s[1]];
              if (p < 0 || p >= kh || q < 0 || q >= kw) continue;
              for (let f = 0; f < r.outC; f++) sum += dy[((b * g.rows + oh) * g.cols + ow) * r.outC + f]! * filter[((p * kw + q) * c + ci) * r.outC + f]!;
            }
          out.push(sum);
        }
  return out;
}

const rows: Row[] = [
  { name: 'k5 s2 same (DCGAN)', x: [2, 8, 8, 3], k: [5, 5], s: [2, 2], pad: 'same', outC: 4 },
  { name: 'k4 s2 same', x: [1, 8, 6, 2], k: [4, 4], s: [2, 2], pad: 'same', outC: 3 },
  { name: 'k3 s2 same, odd sizes', x: [2, 7, 5, 2], k: [3, 3], s: [2, 2], pad: 'same', outC: 3 },
  { name: 'k3 s1 same', x: [1, 5, 6, 3], k: [3, 3], s: [1, 1], pad: 'same', outC: 2 },
  { name: 'k2 s3 same, kernel < stride', x: [1, 7, 8, 2], k: [2, 2], s: [3, 3], pad: 'same', outC: 2 },
  { name: 'k2 s3 same, rows past the full result', x: [1, 9, 8, 2], k: [2, 2], s: [3, 3], pad: 'same', outC: 2 },
  { name: 'k2 s3 valid, rows past the full result', x: [1, 10, 9, 2], k: [2, 2], s: [3, 3], pad: 'valid', outC: 2 },
  { name: 'k5 s2 valid', x: [1, 11, 9, 2], k: [5, 5], s: [2, 2], pad: 'valid', outC: 3 },
  { name: 'k3x2 s2x1 valid, rows left over', x: [2, 8, 5, 3], k: [3, 2], s: [2, 1], pad: 'valid', outC: 2 },
  { name: 'k1 s2 valid, kernel < stride', x: [1, 6, 7, 2], k: [1, 1], s: [2, 2], pad: 'valid', outC: 3 },
  { name: 'k4 s2 explicit 1,2,1,1', x: [1, 6, 6, 2], k: [4, 4], s: [2, 2], pad: [1, 2, 1, 1], outC: 3 },
  { name: 'k3 s2 explicit 0,3,2,0', x: [1, 7, 6, 2], k: [3, 3], s: [2, 2], pad: [0, 3, 2, 0], outC: 2 },
  { name: 'k3 s2 pad 1 floor', x: [1, 8, 7, 2], k: [3, 3], s: [2, 2], pad: 1, rounding: 'floor', outC: 2 },
  { name: 'k3 s2 pad 1 round', x: [1, 8, 7, 2], k: [3, 3], s: [2, 2], pad: 1, rounding: 'round', outC: 2 },
  { name: 'k4 s3 pad 2 ceil', x: [1, 9, 8, 2], k: [4, 4], s: [3, 3], pad: 2, rounding: 'ceil', outC: 2 },
  { name: 'k7x1 as conv1d', x: [2, 12, 1, 2], k: [7, 1], s: [1, 1], pad: 'valid', outC: 2 },
];

function attrsOf(r: Row, channelsFirst: boolean): Record<string, unknown> {
  const [b, h, w, c] = r.x;
  const pad = Array.isArray(r.pad)
    ? channelsFirst
      ? [[0, 0], [0, 0], [r.pad[0], r.pad[1]], [r.pad[2], r.pad[3]]]
      : [[0, 0], [r.pad[0], r.pad[1]], [r.pad[2], r.pad[3]], [0, 0]]
    : r.pad;
  return { strides: r.s, pad, dataFormat: channelsFirst ? 'NCHW' : 'NHWC', dimRoundingMode: r.rounding, inputShape: channelsFirst ? [b, c, h, w] : [b, h, w, c] };
}

/** The kernel as tf.conv2dTranspose and conv2d's gradient call it, result back in NHWC. */
function backpropInput(r: Row, dy: Float64Array, filter: Float64Array, g: ReturnType<typeof geometry>, channelsFirst: boolean): number[] {
  return tf.tidy(() => {
    const dyT = tf.tensor4d(Float32Array.from(dy), [r.x[0], g.rows, g.cols, r.outC]);
    const w = tf.tensor4d(Float32Array.from(filter), [...r.k, r.x[3], r.outC]);
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: channelsFirst ? tf.transpose(dyT, [0, 3, 1, 2]) : dyT, filter: w }, attrsOf(r, channelsFirst) as never) as tf.Tensor;
    return Array.from((channelsFirst ? tf.transpose(dx, [0, 2, 3, 1]) : dx).dataSync());
  });
}

const close = (a: number[], b: number[], tolerance = 1e-4) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= tolerance * (1 + Math.abs(b[i]!)));

test('importing netspec/runtime replaces wasm\'s Conv2DBackpropInput, and only wasm\'s', () => {
  expect((tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc as { netspec?: boolean }).netspec).toBe(true);
  expect((tf.getKernel('Conv2DBackpropInput', 'cpu')!.kernelFunc as { netspec?: boolean }).netspec).toBeUndefined();
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`Conv2DBackpropInput on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });
    const cases = [false, true].flatMap((channelsFirst) => rows.map((r): [string, Row, boolean] => [`${r.name}${channelsFirst ? ' (NCHW)' : ''}`, r, channelsFirst]));
    test.each(cases)('%s: equals the plain-loop input gradient', (_, r, channelsFirst) => {
      const g = geometry(r);
      const next = lcg(r.x.reduce((a, b) => a + b, r.k[0] * 7 + r.s[1]));
      const dy = randomArray([r.x[0], g.rows, g.cols, r.outC], next).data;
      const filter = randomArray([...r.k, r.x[3], r.outC], next).data;
      expect(close(backpropInput(r, dy, filter, g, channelsFirst), referenceInputGradient(r, dy, filter, g))).toBe(true);
    });
  });
}

/** Runs `f` on cpu and on wasm and returns both results. */
async function onBoth<T>(f: () => T): Promise<[T, T]> {
  await tf.setBackend('cpu');
  const cpu = f();
  await tf.setBackend('wasm');
  return [cpu, f()];
}

const data = (shape: number[], seed: number) => Float32Array.from(randomArray(shape, lcg(seed)).data);

test('conv2d input gradients and conv2dTranspose with its gradients on wasm equal cpu', async () => {
  const configs: [number, number, 'same' | 'valid'][] = [
    [5, 2, 'same'],
    [4, 2, 'valid'],
    [3, 1, 'same'],
    [2, 3, 'valid'],
  ];
  for (const [k, s, pad] of configs) {
    const [cpu, wasm] = await onBoth(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(data([2, 9, 8, 3], k), [2, 9, 8, 3]);
        const w = tf.tensor4d(data([k, k, 3, 4], k + 1), [k, k, 3, 4]);
        const wt = tf.tensor4d(data([k, k, 4, 3], k + 2), [k, k, 4, 3]);
        // conv2d's input gradient is Conv2DBackpropInput; conv2dTranspose's forward is too.
        const convGrad = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, w, s, pad))))(x);
        const out = [x.shape[0], pad === 'same' ? x.shape[1] * s : (x.shape[1] - 1) * s + k, pad === 'same' ? x.shape[2] * s : (x.shape[2] - 1) * s + k, 4] as Shape4;
        const transposed = (xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.conv2dTranspose(xx as tf.Tensor4D, ww as tf.Tensor4D, out, s, pad)));
        const y = tf.conv2dTranspose(x, wt, out, s, pad);
        const [dx, dw] = tf.grads(transposed)([x, wt]);
        return [convGrad, y, dx!, dw!].map((t) => Array.from(t.dataSync()));
      }),
    );
    cpu.forEach((values, n) => expect(close(wasm[n]!, values), `k${k} s${s} ${pad} output ${n}`).toBe(true));
  }
});

test('the DCGAN generator of generated/dcgan.ts (native conv2dTranspose) predicts on wasm as on cpu, and frees everything on dispose', async () => {
  await tf.setBackend('cpu');
  const reference = buildGenerator();
  const weights = reference.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync().slice() }));
  const z = data([1, 100], 3);
  const expected = tf.tidy(() => (reference.predict(tf.tensor2d(z, [1, 100])) as tf.Tensor).dataSync().slice());
  reference.dispose();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const model = buildGenerator();
  const values = weights.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(values);
  tf.dispose(values);
  const got = tf.tidy(() => (model.predict(tf.tensor2d(z, [1, 100])) as tf.Tensor).dataSync().slice());
  model.dispose();
  // The sub-pixel filters cached for its kernels went with them.
  expect(tf.memory().numTensors).toBe(before);
  const scale = Math.max(...expected.map(Math.abs));
  const worst = Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)));
  expect(worst / scale).toBeLessThan(1e-4);
});

test('the sub-pixel filter cached for a weight follows its value and is freed with it', async () => {
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const initial = tf.tensor4d(data([4, 4, 2, 3], 1), [4, 4, 2, 3]);
  const w = tf.variable(initial);
  initial.dispose();
  const x = tf.tensor4d(data([1, 5, 5, 3], 2), [1, 5, 5, 3]);
  const run = () => tf.tidy(() => Array.from(tf.conv2dTranspose(x, w, [1, 10, 10, 2], 2, 'same').dataSync()));
  const onCpu = async () => {
    await tf.setBackend('cpu');
    const values = tf.tidy(() => Array.from(tf.conv2dTranspose(tf.tensor4d(x.dataSync(), x.shape), tf.tensor4d(w.dataSync(), w.shape), [1, 10, 10, 2], 2, 'same').dataSync()));
    await tf.setBackend('wasm');
    return values;
  };
  const first = run();
  expect(close(first, await onCpu())).toBe(true);
  // The cache holds one filter for the weight while it lives.
  expect(tf.memory().numTensors).toBe(before + 3);
  expect(run()).toEqual(first);
  // A new value (an optimizer step, setWeights) gives a new buffer, and the old one's filter goes with it.
  const value = tf.tensor4d(data([4, 4, 2, 3], 9), [4, 4, 2, 3]);
  w.assign(value);
  value.dispose();
  const second = run();
  expect(close(second, await onCpu())).toBe(true);
  expect(tf.memory().numTensors).toBe(before + 3);
  tf.dispose([w, x]);
  expect(tf.memory().numTensors).toBe(before);
});
