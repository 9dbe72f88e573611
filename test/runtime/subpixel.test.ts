/**
 * depthToSpace, spaceToDepth and pixelShuffle of netspec/runtime against the
 * plain-loop references (test/reference/subpixel.ts), forward and gradient, on
 * the cpu and wasm backends and in both data formats; depthToSpace against
 * tfjs' own `tf.depthToSpace` op (TensorFlow's order, channelsLast only), and
 * pixelShuffle against numbers computed by PyTorch's `torch.nn.PixelShuffle`
 * (test/fixtures/torch/pixel-shuffle.py). The layers only move values, so
 * every comparison is exact.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { DepthToSpace, PixelShuffle, SpaceToDepth } from '../../src/runtime/subpixel.js';
import { channelsFirstToLast, channelsLastToFirst, lcg, randomArray, type NdArray } from '../reference/conv-transpose.js';
import { depthToSpaceMove, moveBackward, moveForward, pixelShuffleMove, spaceToDepthMove } from '../reference/subpixel.js';

type DataFormat = 'channelsLast' | 'channelsFirst';
type Kind = 'depthToSpace' | 'spaceToDepth' | 'pixelShuffle';

const toTensor = (a: NdArray) => tf.tensor(Float32Array.from(a.data), a.shape.slice());
const values = (a: NdArray) => Array.from(Float32Array.from(a.data));

function make(kind: Kind, r: number, dataFormat: DataFormat): tf.layers.Layer {
  if (kind === 'pixelShuffle') return new PixelShuffle({ upscaleFactor: r, dataFormat });
  return kind === 'depthToSpace' ? new DepthToSpace({ blockSize: r, dataFormat }) : new SpaceToDepth({ blockSize: r, dataFormat });
}

const moves = { depthToSpace: depthToSpaceMove, spaceToDepth: spaceToDepthMove, pixelShuffle: pixelShuffleMove };

/** `[name, kind, r, channelsLast input shape]`: batch 2, rows and cols that differ, one channel and several. */
const cases: [string, Kind, number, number[]][] = [];
for (const r of [2, 3]) {
  for (const c of [1, 3]) {
    cases.push([`depthToSpace r ${r}, ${c} out channels`, 'depthToSpace', r, [2, 2, 3, r * r * c]]);
    cases.push([`spaceToDepth r ${r}, ${c} channels`, 'spaceToDepth', r, [2, 2 * r, 3 * r, c]]);
    cases.push([`pixelShuffle r ${r}, ${c} out channels`, 'pixelShuffle', r, [2, 2, 3, r * r * c]]);
  }
}
cases.push(['pixelShuffle r 1 (the identity)', 'pixelShuffle', 1, [2, 2, 3, 4]]);

const layout = (format: DataFormat, a: NdArray) => (format === 'channelsFirst' ? channelsLastToFirst(a) : a);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    for (const format of ['channelsLast', 'channelsFirst'] as const) {
      test.each(cases)(`%s, ${format}: forward and gradient equal the reference`, (_, kind, r, shape) => {
        const move = moves[kind](shape, r);
        const next = lcg(shape.reduce((a, b) => a * b, r));
        const x = randomArray(shape, next);
        const dy = randomArray(move.outShape, next);
        const layer = make(kind, r, format);
        const [y, dx] = tf.tidy(() => {
          const input = toTensor(layout(format, x));
          const out = layer.apply(input) as tf.Tensor;
          const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, toTensor(layout(format, dy)))))(input);
          return [
            { shape: out.shape, data: Array.from(out.dataSync()) },
            { shape: grad.shape, data: Array.from(grad.dataSync()) },
          ];
        });
        const want = layout(format, moveForward(move, x));
        expect(y).toEqual({ shape: want.shape, data: values(want) });
        const wantGrad = layout(format, moveBackward(move, shape, dy));
        expect(dx).toEqual({ shape: wantGrad.shape, data: values(wantGrad) });
        expect(layer.computeOutputShape(layout(format, x).shape.slice())).toEqual(want.shape);
      });
    }

    test.each([2, 3, 4])('depthToSpace r %i equals tfjs tf.depthToSpace (TensorFlow order, channelsLast)', (r) => {
      const x = randomArray([2, 3, 2, r * r * 2], lcg(r));
      const [ours, theirs] = tf.tidy(() => {
        const t = toTensor(x);
        return [Array.from((new DepthToSpace({ blockSize: r }).apply(t) as tf.Tensor).dataSync()), Array.from(tf.depthToSpace(t as tf.Tensor4D, r).dataSync())];
      });
      expect(ours).toEqual(theirs);
    });

    test('spaceToDepth undoes depthToSpace, channelsFirst too', () => {
      for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
        const x = randomArray(dataFormat === 'channelsFirst' ? [1, 12, 2, 3] : [1, 2, 3, 12], lcg(5));
        const back = tf.tidy(() => Array.from((new SpaceToDepth({ blockSize: 2, dataFormat }).apply(new DepthToSpace({ blockSize: 2, dataFormat }).apply(toTensor(x)) as tf.Tensor) as tf.Tensor).dataSync()));
        expect(back).toEqual(values(x));
      }
    });
  });
}

test('the worked example of docs/spec-format.md: 8 channels holding 0..7, r = 2, C = 2', async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 8]);
  /** Each output channel's 2 x 2 block, rows first. */
  const blocks = (layer: tf.layers.Layer) => {
    const y = (layer.apply(x) as tf.Tensor).arraySync() as number[][][][];
    return [0, 1].map((c) => [0, 1].map((i) => [0, 1].map((j) => y[0]![i]![j]![c]!)));
  };
  expect(blocks(new DepthToSpace({ blockSize: 2 }))).toEqual([
    [[0, 2], [4, 6]],
    [[1, 3], [5, 7]],
  ]);
  expect(blocks(new PixelShuffle({ upscaleFactor: 2 }))).toEqual([
    [[0, 1], [2, 3]],
    [[4, 5], [6, 7]],
  ]);
  x.dispose();
});

interface TorchCase {
  readonly upscaleFactor: number;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly output: number[];
}

const torch = JSON.parse(readFileSync(new URL('../fixtures/torch/pixel-shuffle.json', import.meta.url), 'utf8')) as { cases: TorchCase[] };

describe('pixelShuffle equals torch.nn.PixelShuffle (numbers from PyTorch 1.13, test/fixtures/torch/)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    test.each(torch.cases.map((c) => [`${backend}: r ${c.upscaleFactor} on [${c.inputShape.join(', ')}]`, c] as const))('%s', async (_, c) => {
      await tf.setBackend(backend);
      const count = c.inputShape.reduce((a, b) => a * b, 1);
      // PyTorch's input was 0, 1, 2, ... in NCHW order.
      const nchw: NdArray = { shape: c.inputShape, data: Float64Array.from({ length: count }, (_, k) => k) };
      const first = tf.tidy(() => {
        const y = new PixelShuffle({ upscaleFactor: c.upscaleFactor, dataFormat: 'channelsFirst' }).apply(toTensor(nchw)) as tf.Tensor;
        return { shape: y.shape, data: Array.from(y.dataSync()) };
      });
      expect(first).toEqual({ shape: c.outputShape, data: c.output });
      // channelsLast: the same values, laid out [batch, rows, cols, channels] on both sides.
      const last = tf.tidy(() => Array.from((new PixelShuffle({ upscaleFactor: c.upscaleFactor }).apply(toTensor(channelsFirstToLast(nchw))) as tf.Tensor).dataSync()));
      expect(last).toEqual(values(channelsFirstToLast({ shape: c.outputShape, data: Float64Array.from(c.output) })));
    });
  }
});

describe('shapes', () => {
  test.each([
    ['depthToSpace', new DepthToSpace({ blockSize: 2 }), [null, null, 3, 8], [null, null, 6, 2]],
    ['depthToSpace channelsFirst', new DepthToSpace({ blockSize: 2, dataFormat: 'channelsFirst' }), [null, 8, 3, null], [null, 2, 6, null]],
    ['spaceToDepth', new SpaceToDepth({ blockSize: 3 }), [null, 6, null, 2], [null, 2, null, 18]],
    ['pixelShuffle unknown channels', new PixelShuffle({ upscaleFactor: 2 }), [null, 2, 2, null], [null, 4, 4, null]],
  ] as const)('%s keeps unknown sizes unknown', (_, layer, input, output) => {
    expect(layer.computeOutputShape(input.slice())).toEqual(output);
  });

  test.each([
    ['depthToSpace of 6 channels by 2', () => new DepthToSpace({ blockSize: 2 }).computeOutputShape([null, 2, 2, 6]), 'the channel count 6 is not a multiple of 4'],
    ['spaceToDepth of 5 rows by 2', () => new SpaceToDepth({ blockSize: 2 }).computeOutputShape([null, 5, 4, 1]), 'the spatial size 5 is not a multiple of 2'],
    ['pixelShuffle of 8 channels by 3', () => new PixelShuffle({ upscaleFactor: 3, dataFormat: 'channelsFirst' }).computeOutputShape([null, 8, 2, 2]), 'the channel count 8 is not a multiple of 9'],
  ])('%s throws, as TensorFlow does', (_, run, message) => {
    expect(run).toThrow(message);
  });
});
