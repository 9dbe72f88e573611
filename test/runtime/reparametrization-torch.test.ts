/**
 * The runtime's weight and spectral normalization against PyTorch 1.13's
 * torch.nn.utils.weight_norm and spectral_norm (training mode, from a fixed
 * u), on cpu and wasm: outputs, the updated u and the gradients of every
 * stored weight. The numbers come from test/fixtures/torch/reparametrization.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { ConvTranspose } from '../../src/runtime/conv-transpose.js';
import { Conv } from '../../src/runtime/conv.js';
import { Dense } from '../../src/runtime/dense.js';

interface TorchCase {
  readonly name: string;
  readonly reparametrization: 'weightNormalization' | 'spectralNormalization';
  readonly powerIterations?: number;
  readonly inputShape: number[];
  readonly input: number[];
  readonly weights: Record<string, number[]>;
  readonly output: number[];
  readonly dy: number[];
  readonly grads: Record<string, number[]>;
  readonly vectorUAfter?: number[];
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'torch', 'reparametrization.json'), 'utf8')) as {
  defaults: Record<string, number[]>;
  cases: TorchCase[];
};

/** The netspec layer of each case, with the options the PyTorch module was made with. */
const layers: Record<string, (reparametrization: Record<string, unknown>) => tf.layers.Layer> = {
  'dense 5 -> 3': (r) => new Dense({ units: 3, ...r }),
  'conv2d 2 -> 3, kernel 3': (r) => new Conv({ rank: 2, filters: 3, kernelSize: 3, ...r }),
  'conv1dTranspose 3 -> 2, kernel 3, stride 2': (r) => new ConvTranspose({ rank: 1, filters: 2, kernelSize: 3, strides: 2, ...r }),
  'conv2dTranspose 2 -> 3, kernel [2, 3], stride 2': (r) => new ConvTranspose({ rank: 2, filters: 3, kernelSize: [2, 3], strides: 2, ...r }),
};

const weightName = (w: tf.LayerVariable) => w.originalName.split('/').pop()!;

function maxRelativeError(got: ArrayLike<number>, want: readonly number[]): number {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1e-3, ...want.map(Math.abs));
  return Math.max(...want.map((w, n) => Math.abs(got[n]! - w))) / scale;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`PyTorch 1.13 weight_norm and spectral_norm on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    test.each(fixture.cases.map((c) => [`${c.name}, ${c.reparametrization}`, c] as const))('%s: output, vector_u and gradients', (_, c) => {
      const option = c.reparametrization === 'weightNormalization' ? { weightNormalization: true } : { spectralNormalization: { powerIterations: c.powerIterations ?? 1 } };
      const l = layers[c.name]!(option);
      l.build(c.inputShape);
      const set = () => l.setWeights(l.weights.map((w) => tf.tensor(c.weights[weightName(w)]!, w.shape as number[])));
      try {
        set();
        const x = tf.tensor(c.input, c.inputShape);
        const y = l.apply(x, { training: true }) as tf.Tensor;
        expect(maxRelativeError(y.dataSync(), c.output)).toBeLessThan(1e-5);
        if (c.vectorUAfter) expect(maxRelativeError(l.weights.find((w) => weightName(w) === 'vector_u')!.read().dataSync(), c.vectorUAfter)).toBeLessThan(1e-5);
        set();
        const dy = tf.tensor(c.dy, y.shape);
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(l.apply(x, { training: true }) as tf.Tensor, dy)) as tf.Scalar, l.trainableWeights.map((w) => w.read() as tf.Variable));
        for (const w of l.trainableWeights) expect(maxRelativeError(grads[(w.read() as tf.Variable).name]!.dataSync(), c.grads[weightName(w)]!), weightName(w)).toBeLessThan(1e-4);
      } finally {
        for (const w of l.weights) w.dispose();
      }
    });
  });
}

test("PyTorch's defaults on a transposed convolution: spectral_norm's u has the output channels, weight_norm's g the input channels", () => {
  // netspec, as Keras, keeps vector_u over the kernel's last axis, the input channels (512 here); see docs/spec-format.md.
  expect(fixture.defaults).toEqual({
    'spectral_norm ConvTranspose1d(512, 256, 16) weight_u': [256],
    'weight_norm ConvTranspose1d(512, 256, 16) weight_g': [512, 1, 1],
  });
});
