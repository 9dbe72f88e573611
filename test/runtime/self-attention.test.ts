/**
 * selfAttention on cpu and wasm: against the reference implementation's
 * numbers (SAGAN `Self_Attn` run by PyTorch 1.13, test/fixtures/torch/self-attention.py),
 * forward and every gradient, channelsFirst as PyTorch lays it out; and
 * against the plain loop of test/reference/self-attention.ts (gradients by
 * finite differences) channelsLast, one model run at several H and W.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { SelfAttention } from '../../src/runtime/self-attention.js';
import { lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { selfAttentionNumericGrad, selfAttentionRef, type SelfAttentionWeights } from '../reference/self-attention.js';

interface TorchConv {
  readonly weightShape: number[];
  readonly weight: number[];
  readonly bias: number[];
  readonly dWeight: number[];
  readonly dBias: number[];
}
interface TorchCase {
  readonly parametersFor128Channels: number;
  readonly inputShape: number[];
  readonly x: number[];
  readonly dy: number[];
  readonly y: number[];
  readonly dx: number[];
  readonly gamma: number;
  readonly dGamma: number;
  readonly params: Record<'query' | 'key' | 'value', TorchConv>;
}
const torch = JSON.parse(readFileSync(new URL('../fixtures/torch/self-attention.json', import.meta.url), 'utf8')) as TorchCase;

/** PyTorch's conv weight `[out, in, 1, 1]` as Keras' `[1, 1, in, out]`, row-major. */
function kerasKernel(values: readonly number[], [out, inChannels]: readonly number[]): number[] {
  const k: number[] = [];
  for (let i = 0; i < inChannels!; i++) for (let o = 0; o < out!; o++) k.push(values[o * inChannels! + i]!);
  return k;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, tolerance: number): boolean {
  return got.length === want.length && Array.from(got).every((v, k) => Math.abs(v - want[k]!) <= tolerance * Math.max(1, Math.abs(want[k]!)));
}

/** The layer's output, and the gradients of `sum(y * dy)` for x and every weight, in weight order. */
function run(layer: SelfAttention, x: tf.Tensor, dy: tf.Tensor) {
  return tf.tidy(() => {
    const y = Array.from((layer.apply(x) as tf.Tensor).dataSync());
    const dx = Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, dy)))(x).dataSync());
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, dy)) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
    const dWeights = layer.trainableWeights.map((w) => Array.from(grads[(w.read() as tf.Variable).name]!.dataSync()));
    return { y, dx, dWeights };
  });
}

function disposeWeights(layer: tf.layers.Layer): void {
  // Applied to tensors only, the layer has no node, which tfjs' dispose() requires: free its weights itself.
  for (const w of layer.weights) w.dispose();
}

test('PyTorch counts 20,641 parameters for 128 channels, as netspec does (test/infer/self-attention.test.ts)', () => {
  expect(torch.parametersFor128Channels).toBe(20641);
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(backend, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    test('channelsFirst equals SAGAN Self_Attn run by PyTorch: output, input gradient, every weight gradient', () => {
      const [, channels] = torch.inputShape as [number, number, number, number];
      const layer = new SelfAttention({ dataFormat: 'channelsFirst' });
      layer.build(torch.inputShape);
      const { query, key, value } = torch.params;
      const weights = [query, key, value].flatMap((p) => [tf.tensor(kerasKernel(p.weight, p.weightShape), [1, 1, channels, p.weightShape[0]!]), tf.tensor(p.bias)]);
      layer.setWeights([...weights, tf.tensor([torch.gamma])]);
      const x = tf.tensor(torch.x, torch.inputShape);
      const dy = tf.tensor(torch.dy, torch.inputShape);
      const got = run(layer, x, dy);
      expect(layer.weights.map((w) => w.originalName.split('/').pop())).toEqual(['query_kernel', 'query_bias', 'key_kernel', 'key_bias', 'value_kernel', 'value_bias', 'gamma']);
      expect(close(got.y, torch.y, 1e-5)).toBe(true);
      expect(close(got.dx, torch.dx, 1e-4)).toBe(true);
      const want = [query, key, value].flatMap((p) => [kerasKernel(p.dWeight, p.weightShape), p.dBias]);
      want.forEach((w, k) => expect([k, close(got.dWeights[k]!, w, 1e-4)]).toEqual([k, true]));
      expect(close(got.dWeights[6]!, [torch.dGamma], 1e-4)).toBe(true);
      tf.dispose([...weights, x, dy]);
      disposeWeights(layer);
    });

    test.each([
      [[1, 2, 2, 8], 8],
      [[2, 3, 2, 16], 4],
      [[1, 1, 1, 8], 8],
    ] as const)('channelsLast %j reduction %i: the plain loop, gradients by finite differences', (shape, reduction) => {
      const next = lcg(shape.reduce((a: number, b) => a * 5 + b, reduction as number));
      const c = shape[3];
      const k = c / reduction;
      const draw = (n: number) => Float64Array.from({ length: n }, () => Math.fround(next()));
      const w: SelfAttentionWeights = { queryKernel: draw(c * k), queryBias: draw(k), keyKernel: draw(c * k), keyBias: draw(k), valueKernel: draw(c * c), valueBias: draw(c), gamma: Float64Array.from([Math.fround(0.6)]) };
      const x: NdArray = randomArray(shape, () => Math.fround(next()));
      const dy = draw(x.data.length);
      const layer = new SelfAttention({ reduction });
      layer.build(shape.slice());
      const order = [w.queryKernel, w.queryBias, w.keyKernel, w.keyBias, w.valueKernel, w.valueBias, w.gamma];
      layer.setWeights(order.map((values, n) => tf.tensor(Float32Array.from(values), layer.weights[n]!.shape as number[])));
      const xt = tf.tensor(Float32Array.from(x.data), shape.slice());
      const dyt = tf.tensor(Float32Array.from(dy), shape.slice());
      const got = run(layer, xt, dyt);
      expect(close(got.y, selfAttentionRef(x, w), 1e-5)).toBe(true);
      expect(close(got.dx, selfAttentionNumericGrad(x, w, dy, x.data as Float64Array), 1e-3)).toBe(true);
      order.forEach((target, n) => expect([n, close(got.dWeights[n]!, selfAttentionNumericGrad(x, w, dy, target), 1e-3)]).toEqual([n, true]));
      tf.dispose([xt, dyt]);
      disposeWeights(layer);
    });

    test('one model, symbolic H and W: runs at 2x3 and 3x3 with the same weights; gamma 0 is the identity', () => {
      const input = tf.input({ shape: [null, null, 8] });
      const layer = new SelfAttention({});
      const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
      expect(model.outputs[0]!.shape).toEqual([null, null, null, 8]);
      for (const shape of [
        [1, 2, 3, 8],
        [2, 3, 3, 8],
      ]) {
        const x = tf.randomNormal(shape, 0, 1, 'float32', 7);
        const y = model.predict(x) as tf.Tensor;
        expect(y.shape).toEqual(shape);
        // gamma starts at 0: the block is the identity until it trains.
        expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
        tf.dispose([x, y]);
      }
      model.dispose();
    });
  });
}
