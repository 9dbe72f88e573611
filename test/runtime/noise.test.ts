/**
 * gaussianNoise, gaussianDropout, spatialDropout1d/2d/3d: the identity at
 * inference, noise of the right law in training (checked statistically with
 * fixed seeds, bounds of 5 standard errors), the gradient that noise implies,
 * on cpu and wasm; the runtime's layers and the tfjs layers emit uses
 * unseeded. A seeded runtime layer repeats its sequence of draws, one new
 * draw per training call; a seeded tfjs spatialDropout1d repeats one mask.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { factoryOf } from '../../src/emit/layer-call.js';
import { inferModel } from '../../src/infer/infer-shapes.js';
import { GaussianDropout, GaussianNoise, SpatialDropout } from '../../src/runtime/noise.js';
import { lcg, randomArray } from '../reference/conv-transpose.js';
import { input, layer, model } from '../infer/helpers.js';

function mean(v: readonly number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

function std(v: readonly number[]): number {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}

/** The output in training and the gradient of `sum(y * dy)` for x, from the same call (so the same draw). */
function trained(l: tf.layers.Layer, x: tf.Tensor, dy: tf.Tensor): { y: number[]; dx: number[] } {
  let y: tf.Tensor | undefined;
  const dx = tf.grad((t: tf.Tensor) => {
    const out = l.apply(t, { training: true }) as tf.Tensor;
    y = tf.keep(out.clone());
    return tf.sum(tf.mul(out, dy));
  })(x);
  const result = { y: Array.from(y!.dataSync()), dx: Array.from(dx.dataSync()) };
  tf.dispose([y!, dx]);
  return result;
}

const close = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, k) => Math.abs(v - b[k]!) <= 1e-5 * Math.max(1, Math.abs(b[k]!)));

function inference(l: tf.layers.Layer, x: tf.Tensor): number[] {
  return tf.tidy(() => Array.from((l.apply(x) as tf.Tensor).dataSync()));
}

const sample = (shape: number[], seed: number) => tf.tensor(Float32Array.from(randomArray(shape, lcg(seed)).data), shape);

/** Each (sample, channel) slice of a channelsLast/First tensor of `shape`, as lists of values. */
function channelSlices(values: readonly number[], shape: readonly number[], channelsFirst: boolean): number[][] {
  const [n] = shape as [number];
  const c = channelsFirst ? shape[1]! : shape[shape.length - 1]!;
  const spatial = shape.slice(channelsFirst ? 2 : 1, channelsFirst ? undefined : -1).reduce((a, b) => a * b, 1);
  const slices: number[][] = Array.from({ length: n * c }, () => []);
  values.forEach((v, k) => {
    const b = Math.floor(k / (c * spatial));
    const channel = channelsFirst ? Math.floor(k / spatial) % c : k % c;
    slices[b * c + channel]!.push(v);
  });
  return slices;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    const gaussianNoises: [string, (seed?: number) => tf.layers.Layer][] = [
      ['runtime', (seed) => new GaussianNoise({ stddev: 0.5, ...(seed === undefined ? {} : { seed }) })],
      ['tfjs', () => tf.layers.gaussianNoise({ stddev: 0.5 })],
    ];
    test.each(gaussianNoises)('%s gaussianNoise: identity at inference; in training x + N(0, 0.5), gradient dy', (_, make) => {
      const l = make(3);
      const x = sample([2, 50, 40], 1);
      const dy = sample([2, 50, 40], 2);
      expect(inference(l, x)).toEqual(Array.from(x.dataSync()));
      const { y, dx } = trained(l, x, dy);
      const noise = y.map((v, k) => v - x.dataSync()[k]!);
      expect(Math.abs(mean(noise))).toBeLessThan((5 * 0.5) / Math.sqrt(noise.length));
      expect(Math.abs(std(noise) - 0.5)).toBeLessThan(0.05 * 0.5);
      expect(dx).toEqual(Array.from(dy.dataSync()));
    });

    const gaussianDropouts: [string, (rate: number, seed?: number) => tf.layers.Layer][] = [
      ['runtime', (rate, seed) => new GaussianDropout({ rate, ...(seed === undefined ? {} : { seed }) })],
      ['tfjs', (rate) => tf.layers.gaussianDropout({ rate })],
    ];
    test.each(gaussianDropouts)('%s gaussianDropout rate 0.2: identity at inference; in training x * N(1, 0.5), gradient dy * noise', (_, make) => {
      const l = make(0.2, 4);
      const x = tf.ones([2, 50, 40]);
      expect(inference(l, x)).toEqual(new Array<number>(4000).fill(1));
      const dy = sample([2, 50, 40], 5);
      const { y } = trained(l, x, dy);
      const sd = Math.sqrt(0.2 / 0.8);
      expect(Math.abs(mean(y) - 1)).toBeLessThan((5 * sd) / Math.sqrt(y.length));
      expect(Math.abs(std(y) - sd)).toBeLessThan(0.05 * sd);
      // x = 1, so the multiplicative noise is y, and the gradient of sum(y * dy) is dy * noise from the same draw.
      const { y: noise, dx } = trained(l, x, dy);
      expect(close(dx, noise.map((v, k) => v * dy.dataSync()[k]!))).toBe(true);
    });

    test('gaussianDropout rate 0 adds no noise in training', () => {
      const x = sample([2, 3], 6);
      expect(trained(new GaussianDropout({ rate: 0 }), x, tf.onesLike(x)).y).toEqual(Array.from(x.dataSync()));
    });

    const spatialCases: [string, number[], 'channelsLast' | 'channelsFirst', (rate: number, seed?: number) => tf.layers.Layer][] = [
      ['runtime 1d', [8, 6, 25], 'channelsLast', (rate, seed) => new SpatialDropout({ rank: 1, rate, ...(seed === undefined ? {} : { seed }) })],
      ['tfjs 1d', [8, 6, 25], 'channelsLast', (rate) => tf.layers.spatialDropout1d({ rate })],
      ['runtime 2d', [8, 3, 4, 25], 'channelsLast', (rate, seed) => new SpatialDropout({ rank: 2, rate, ...(seed === undefined ? {} : { seed }) })],
      ['runtime 2d channelsFirst', [8, 25, 3, 4], 'channelsFirst', (rate, seed) => new SpatialDropout({ rank: 2, rate, dataFormat: 'channelsFirst', ...(seed === undefined ? {} : { seed }) })],
      ['runtime 3d', [8, 2, 3, 2, 25], 'channelsLast', (rate, seed) => new SpatialDropout({ rank: 3, rate, ...(seed === undefined ? {} : { seed }) })],
      ['runtime 3d channelsFirst', [8, 25, 2, 3, 2], 'channelsFirst', (rate, seed) => new SpatialDropout({ rank: 3, rate, dataFormat: 'channelsFirst', ...(seed === undefined ? {} : { seed }) })],
    ];
    test.each(spatialCases)('%s spatialDropout rate 0.3: identity at inference; in training whole channels zeroed, the rest scaled by 1/0.7, gradient the same mask', (_, shape, format, make) => {
      const l = make(0.3, 7);
      const x = tf.ones(shape);
      const size = shape.reduce((a, b) => a * b, 1);
      expect(inference(l, x)).toEqual(new Array<number>(size).fill(1));
      const dy = sample(shape, 8);
      const { y, dx } = trained(l, x, dy);
      const slices = channelSlices(y, shape, format === 'channelsFirst');
      const kept = Math.fround(1 / 0.7);
      // Every (sample, channel) is all zeros or all 1/0.7.
      for (const s of slices) expect(s.every((v) => v === 0) || s.every((v) => Math.abs(v - kept) < 1e-6)).toBe(true);
      const dropped = slices.filter((s) => s[0] === 0).length / slices.length;
      expect(Math.abs(dropped - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / slices.length));
      // x = 1, so y is the scaled mask, and dx = dy * mask / 0.7 of the same call.
      expect(close(dx, y.map((v, k) => v * dy.dataSync()[k]!))).toBe(true);
    });

    test('a seeded runtime layer draws anew at every call, and the same seed repeats the sequence', () => {
      const x = tf.ones([4, 3, 3, 16]);
      const draws = (seed: number) => {
        const l = new SpatialDropout({ rank: 2, rate: 0.5, seed });
        return [0, 1, 2].map(() => trained(l, x, x).y.join(','));
      };
      const first = draws(11);
      expect(new Set(first).size).toBe(3);
      expect(draws(11)).toEqual(first);
      expect(draws(12)[0]).not.toBe(first[0]);
      const noise = (seed: number) => {
        const l = new GaussianNoise({ stddev: 1, seed });
        return [0, 1].map(() => trained(l, tf.zeros([5]), tf.ones([5])).y.join(','));
      };
      expect(noise(3)).toEqual(noise(3));
      expect(new Set(noise(3)).size).toBe(2);
    });

    test("a seeded tfjs spatialDropout1d repeats one mask at every call (so emit uses the runtime's when seeded)", () => {
      const l = tf.layers.spatialDropout1d({ rate: 0.5, seed: 11 });
      const x = tf.ones([4, 3, 16]);
      const masks = [0, 1, 2].map(() => tf.tidy(() => Array.from((l.apply(x, { training: true }) as tf.Tensor).dataSync()).join(',')));
      expect(new Set(masks).size).toBe(1);
    });
  });
}

test('emit: tfjs for unseeded gaussianNoise, gaussianDropout and spatialDropout1d; the runtime when seeded, and always for spatialDropout2d/3d', () => {
  const source = (type: string, args: Record<string, unknown>, shape: number[]) => factoryOf(inferModel('t.yaml', model([input('x', shape)], [layer(type, args as never)])).value!.layers[0]!).source;
  expect(source('gaussianNoise', { stddev: 0.1 }, [4])).toBe('tf');
  expect(source('gaussianNoise', { stddev: 0.1, seed: 1 }, [4])).toBe('runtime');
  expect(source('gaussianDropout', { rate: 0.1 }, [4])).toBe('tf');
  expect(source('gaussianDropout', { rate: 0.1, seed: 1 }, [4])).toBe('runtime');
  expect(source('spatialDropout1d', { rate: 0.1 }, [4, 2])).toBe('tf');
  expect(source('spatialDropout1d', { rate: 0.1, seed: 1 }, [4, 2])).toBe('runtime');
  expect(source('spatialDropout2d', { rate: 0.1 }, [4, 4, 2])).toBe('runtime');
  expect(source('spatialDropout3d', { rate: 0.1 }, [2, 4, 4, 2])).toBe('runtime');
});
