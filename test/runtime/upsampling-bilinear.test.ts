/**
 * Bilinear upSampling2d: the runtime's UpSampling (half-pixel centers, as
 * Keras 3 UpSampling2D) against the plain-loop reference
 * (test/reference/resample.ts) and against PyTorch
 * `nn.Upsample(mode='bilinear', align_corners=False)` numbers
 * (test/fixtures/torch/upsample-bilinear.json), forward and input gradient,
 * on cpu and wasm. tfjs' own layer samples without half-pixel centers,
 * which is why emit never uses it for bilinear.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { factoryOf } from '../../src/emit/layer-call.js';
import { inferModel } from '../../src/infer/infer-shapes.js';
import { UpSampling } from '../../src/runtime/resample.js';
import { channelsFirstToLast, channelsLastToFirst, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { bilinearUpSampleRef } from '../reference/resample.js';
import { input, layer, model } from '../infer/helpers.js';

interface TorchCase {
  readonly size: [number, number];
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly input: number[];
  readonly dy: number[];
  readonly output: number[];
  readonly inputGrad: number[];
}

const torchCases = (JSON.parse(readFileSync(new URL('../fixtures/torch/upsample-bilinear.json', import.meta.url), 'utf8')) as { cases: TorchCase[] }).cases;

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());
const values = (a: NdArray) => Array.from(Float32Array.from(a.data));
const fromFlat = (shape: readonly number[], data: readonly number[]): NdArray => ({ shape: shape.slice(), data: Float64Array.from(data) });

function close(got: readonly number[], want: readonly number[], tolerance = 1e-5): boolean {
  return got.length === want.length && got.every((v, k) => Math.abs(v - want[k]!) <= tolerance * Math.max(1, Math.abs(want[k]!)));
}

/** The layer's output on `x` and the gradient of `sum(y * dy)` for `x`, as plain numbers. */
function run(l: tf.layers.Layer, x: NdArray, dy: NdArray): { y: number[]; dx: number[] } {
  return tf.tidy(() => {
    const xt = toTensor(x);
    const y = Array.from((l.apply(xt) as tf.Tensor).dataSync());
    const dx = Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(l.apply(t) as tf.Tensor, toTensor(dy))))(xt).dataSync());
    return { y, dx };
  });
}

/** `[name, input [batch, H, W, C], size]`, channelsLast. */
const cases: [string, number[], [number, number]][] = [
  ['2x2 of 3x4', [2, 3, 4, 2], [2, 2]],
  ['3x3 of 2x2', [1, 2, 2, 3], [3, 3]],
  ['[1, 3] of 4x3', [1, 4, 3, 1], [1, 3]],
  ['[4, 2] of 2x5', [2, 2, 5, 1], [4, 2]],
  ['2x2 of 1x1', [1, 1, 1, 2], [2, 2]],
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    for (const format of ['channelsLast', 'channelsFirst'] as const) {
      test.each(cases)(`runtime bilinear ${format} %s: forward and gradient match the half-pixel reference`, (_, shape, size) => {
        const random = lcg(shape.reduce((a, b) => a * 7 + b, size[0] * 3 + size[1]));
        const next = () => Math.fround(random());
        const x = randomArray(shape, next);
        const [b, h, w, c] = shape as [number, number, number, number];
        const dy = randomArray([b, h * size[0], w * size[1], c], next);
        const want = bilinearUpSampleRef(x, size, dy);
        const layout = (a: NdArray) => (format === 'channelsFirst' ? channelsLastToFirst(a) : a);
        const got = run(new UpSampling({ rank: 2, size, interpolation: 'bilinear', dataFormat: format }), layout(x), layout(dy));
        expect(close(got.y, values(layout(want.y)))).toBe(true);
        expect(close(got.dx, values(layout(want.dx)))).toBe(true);
      });
    }

    test.each(torchCases.map((c) => [`${c.inputShape.join('x')} by ${c.size.join('x')}`, c] as const))('runtime bilinear channelsFirst %s matches torch.nn.Upsample', (_, c) => {
      const got = run(new UpSampling({ rank: 2, size: c.size, interpolation: 'bilinear', dataFormat: 'channelsFirst' }), fromFlat(c.inputShape, c.input), fromFlat(c.outputShape, c.dy));
      expect(close(got.y, c.output)).toBe(true);
      expect(close(got.dx, c.inputGrad)).toBe(true);
      // The reference says the same as PyTorch, so both check the same contract.
      const ref = bilinearUpSampleRef(channelsFirstToLast(fromFlat(c.inputShape, c.input)), c.size, channelsFirstToLast(fromFlat(c.outputShape, c.dy)));
      expect(close(values(channelsLastToFirst(ref.y)), c.output)).toBe(true);
      expect(close(values(channelsLastToFirst(ref.dx)), c.inputGrad)).toBe(true);
    });

    test("tfjs' own bilinear upSampling2d differs from the half-pixel reference (so emit does not use it)", () => {
      const x = randomArray([1, 3, 4, 1], lcg(5));
      const want = values(bilinearUpSampleRef(x, [2, 2]).y);
      const got = tf.tidy(() => Array.from((tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }).apply(toTensor(x)) as tf.Tensor).dataSync()));
      expect(close(got, want)).toBe(false);
      // Its first output is x[0, 0] exactly: no half-pixel shift.
      expect(got[0]).toBe(Math.fround(x.data[0]!));
    });
  });
}

test('emit builds bilinear upSampling2d with the runtime and nearest with tfjs', () => {
  const factory = (interpolation?: string) => {
    const l = layer('upSampling2d', interpolation ? { interpolation } : {});
    return factoryOf(inferModel('t.yaml', model([input('x', [4, 4, 2])], [l])).value!.layers[0]!);
  };
  expect(factory('bilinear')).toEqual({ source: 'runtime', name: 'upSampling2d', options: 'json' });
  expect(factory('nearest').source).toBe('tf');
  expect(factory().source).toBe('tf');
});
