/**
 * The runtime layers of the padding family (reflection padding, convolutions
 * with explicit pads, reflection, causal padding and channelsFirst conv1d,
 * pooling with explicit pads, softmax over any axis, ELU with any alpha)
 * against PyTorch's numbers (test/fixtures/torch/padding.json, made by
 * test/reference/torch-padding.py) and against the plain-loop references of
 * test/reference/padding.ts, forward and gradient, on tfjs' cpu and wasm backends.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Elu, Softmax } from '../../src/runtime/activation-options.js';
import { Conv, type ConvArgs } from '../../src/runtime/conv.js';
import { reflectPad, ReflectionPadding } from '../../src/runtime/padding.js';
import { Pooling, type PoolingArgs } from '../../src/runtime/pooling.js';
import { channelsFirstToLast, channelsLastToFirst, lcg, moveAxis, randomArray, zeros, type NdArray } from '../reference/conv-transpose.js';
import { convRef, eluRef, padRef, poolRef, softmaxRef, type Pair } from '../reference/padding.js';

/** Max |got - want| over max |want|. */
const TOLERANCE = 1e-4;

type Format = 'channelsLast' | 'channelsFirst';

function toTensor(a: NdArray): tf.Tensor {
  return tf.tensor(Float32Array.from(a.data), a.shape.slice());
}

function fromTensor(t: tf.Tensor): NdArray {
  return { shape: t.shape.slice(), data: Float64Array.from(t.dataSync()) };
}

function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}

function relativeError(got: NdArray, want: NdArray): number {
  expect(got.shape).toEqual(want.shape);
  let diff = 0;
  let scale = 0;
  for (let n = 0; n < want.data.length; n++) {
    diff = Math.max(diff, Math.abs(got.data[n]! - want.data[n]!));
    scale = Math.max(scale, Math.abs(want.data[n]!));
  }
  return scale > 0 ? diff / scale : diff;
}

/** Central finite differences of `loss` with respect to every element of `a` (mutated and restored). */
function finiteDifferences(a: NdArray, loss: () => number): NdArray {
  const h = 1e-5;
  const grad = zeros(a.shape);
  for (let n = 0; n < a.data.length; n++) {
    const keep = a.data[n]!;
    a.data[n] = keep + h;
    const up = loss();
    a.data[n] = keep - h;
    const down = loss();
    a.data[n] = keep;
    grad.data[n] = (up - down) / (2 * h);
  }
  return grad;
}

const dot = (a: NdArray, b: NdArray) => a.data.reduce((s, v, n) => s + v * b.data[n]!, 0);

/** Frees a layer's weights (Layer.dispose only works for layers applied to symbolic tensors). */
function release(layer: tf.layers.Layer): void {
  for (const w of layer.weights) w.dispose();
}

/** Output and the gradients of `sum(y * r)` by the input and by each trainable weight, in layer order. */
function run(layer: tf.layers.Layer, x: NdArray, r?: NdArray): { y: NdArray; dx?: NdArray; dw?: NdArray[] } {
  return scoped(() => {
    const t = toTensor(x);
    const y = fromTensor(layer.apply(t) as tf.Tensor);
    if (!r) return { y };
    const rt = toTensor(r);
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, rt)) as tf.Scalar;
    const dx = fromTensor(tf.grad(loss)(t));
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const dw = variables.length === 0 ? [] : (() => {
      const { grads } = tf.variableGrads(() => loss(t), variables);
      return variables.map((v) => fromTensor(grads[v.name]!));
    })();
    return { y, dx, dw };
  });
}

// ------------------------------------------------------------------ PyTorch

interface TorchArray {
  readonly shape: number[];
  readonly data: number[];
}

interface TorchCase {
  readonly name: string;
  readonly layer: { readonly type: string } & Record<string, unknown>;
  readonly x: TorchArray;
  readonly y: TorchArray;
  readonly r: number[];
  readonly dx: number[];
  readonly weights?: Record<string, TorchArray & { readonly grad: number[] }>;
}

const torch = JSON.parse(readFileSync(new URL('../fixtures/torch/padding.json', import.meta.url), 'utf8')) as { torch: string; cases: TorchCase[] };

const nd = (a: TorchArray, data: readonly number[] = a.data): NdArray => ({ shape: a.shape.slice(), data: Float64Array.from(data) });

/** A PyTorch conv weight `[out, in, k...]` in the Keras layout `[k..., in, out]`. */
function kerasKernel(w: NdArray): NdArray {
  const rank = w.shape.length - 2;
  let k = w;
  for (let a = 0; a < rank; a++) k = moveAxis(k, 2 + a, a);
  // now [k..., out, in]
  return moveAxis(k, rank, rank + 1);
}

/** The runtime layer a fixture case names, reading PyTorch's channels-first layout where the layer has one. */
function torchLayer(spec: TorchCase['layer']): tf.layers.Layer {
  const { type, ...options } = spec;
  const rank = Number(/([123])d$/.exec(type)?.[1] ?? 0) as 1 | 2 | 3;
  if (type === 'softmax') return new Softmax(options);
  if (type === 'elu') return new Elu(options);
  if (type.startsWith('reflectionPadding')) return new ReflectionPadding({ rank, dataFormat: 'channelsFirst', ...options });
  if (type.startsWith('conv')) return new Conv({ rank, dataFormat: 'channelsFirst', ...(options as Omit<ConvArgs, 'rank'>) });
  return new Pooling({ rank, mode: type.startsWith('max') ? 'max' : 'average', dataFormat: 'channelsFirst', ...(options as Omit<PoolingArgs, 'rank' | 'mode'>) });
}

// ------------------------------------------------------------------ reference grids

interface RefCase {
  readonly name: string;
  readonly layer: () => tf.layers.Layer;
  /** The input, in the layer's layout. */
  readonly x: NdArray;
  /** Weights in the layer's order. */
  readonly weights: readonly NdArray[];
  /** The reference output, in the layer's layout. */
  readonly ref: (x: NdArray, weights: readonly NdArray[]) => NdArray;
}

const toLayout = (format: Format, a: NdArray) => (format === 'channelsFirst' ? channelsLastToFirst(a) : a);
const fromLayout = (format: Format, a: NdArray) => (format === 'channelsFirst' ? channelsFirstToLast(a) : a);

/** TensorFlow's `same` pads, from its definition: `max(0, (ceil(i/s) - 1)*s + ek - i)`, the smaller half first. */
function samePads(i: number, k: number, s: number, d: number): Pair {
  const total = Math.max(0, (Math.ceil(i / s) - 1) * s + (k - 1) * d + 1 - i);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const CHANNELS = 2;
const FILTERS = 3;

type ConvPadding = 'same' | 'causal' | readonly Pair[];

function convCase(rank: 1 | 2 | 3, spatial: readonly number[], k: readonly number[], s: readonly number[], d: readonly number[], padding: ConvPadding, mode: 'zeros' | 'reflect', format: Format, seed: number, useBias = true): RefCase {
  const next = lcg(seed);
  const xLast = randomArray([2, ...spatial, CHANNELS], next);
  const kernel = randomArray([...k, CHANNELS, FILTERS], next);
  const bias = randomArray([FILTERS], next);
  const pads = spatial.map((i, a): Pair => (padding === 'same' ? samePads(i, k[a]!, s[a]!, d[a]!) : padding === 'causal' ? [(k[a]! - 1) * d[a]!, 0] : padding[a]!));
  const args: ConvArgs = {
    rank,
    filters: FILTERS,
    kernelSize: k,
    strides: s,
    dilationRate: d,
    padding: typeof padding === 'string' ? padding : padding.map((p): readonly [number, number] => [p[0], p[1]]),
    paddingMode: mode,
    dataFormat: format,
    useBias,
  };
  return {
    name: `conv${rank}d i[${spatial}] k[${k}] s[${s}] d[${d}] ${typeof padding === 'string' ? padding : JSON.stringify(padding)} ${mode} ${format}${useBias ? '' : ' nobias'}`,
    layer: () => new Conv(args),
    x: toLayout(format, xLast),
    weights: useBias ? [kernel, bias] : [kernel],
    ref: (x, [w, b]) => toLayout(format, convRef(fromLayout(format, x), w!, b ?? null, { strides: s, dilation: d, pads, mode })),
  };
}

function convGrid(): RefCase[] {
  const cases: RefCase[] = [];
  let seed = 100;
  const spatialOf = (rank: number) => [6, 5, 4].slice(0, rank).map((n) => (rank === 3 ? n - 1 : n));
  for (const rank of [1, 2, 3] as const) {
    const n = (v: number) => new Array<number>(rank).fill(v);
    const spatial = spatialOf(rank);
    const explicit = ([[2, 0], [1, 1], [0, 2]] as const).slice(0, rank) as readonly Pair[];
    const paddings: ConvPadding[] = ['same', explicit, n(1).map((): Pair => [1, 1]), ...(rank === 1 ? (['causal'] as const) : [])];
    for (const padding of paddings)
      for (const mode of ['zeros', 'reflect'] as const)
        for (const [k, s, d] of [
          [n(3), n(1), n(1)],
          [n(2), n(2), n(1)],
          [n(3), n(1), n(2)],
          [[3, 2, 1].slice(0, rank), [1, 2, 2].slice(0, rank), n(1)],
        ] as const) {
          if (d.some((v) => v > 1) && padding !== 'same' && padding !== 'causal' && rank === 3) continue;
          cases.push(convCase(rank, spatial, k, s, d, padding, mode, seed % 2 === 0 ? 'channelsLast' : 'channelsFirst', seed, seed % 5 !== 0));
          seed++;
        }
  }
  return cases;
}

function reflectionCase(rank: 1 | 2 | 3, spatial: readonly number[], pads: readonly Pair[], format: Format, seed: number): RefCase {
  const x = randomArray([2, ...spatial, CHANNELS], lcg(seed));
  return {
    name: `reflectionPadding${rank}d i[${spatial}] ${JSON.stringify(pads)} ${format}`,
    layer: () => new ReflectionPadding({ rank, dataFormat: format, padding: pads.map((p): readonly [number, number] => [p[0], p[1]]) }),
    x: toLayout(format, x),
    weights: [],
    ref: (input) => toLayout(format, padRef(fromLayout(format, input), pads, 'reflect')),
  };
}

const reflectionCases: RefCase[] = [
  reflectionCase(1, [5], [[2, 1]], 'channelsLast', 1),
  reflectionCase(1, [4], [[0, 3]], 'channelsFirst', 2),
  reflectionCase(1, [2], [[1, 1]], 'channelsLast', 3),
  reflectionCase(2, [3, 4], [[1, 2], [0, 1]], 'channelsFirst', 4),
  reflectionCase(2, [4, 3], [[3, 0], [2, 2]], 'channelsLast', 5),
  reflectionCase(3, [2, 3, 4], [[1, 0], [1, 1], [2, 3]], 'channelsLast', 6),
  reflectionCase(3, [3, 2, 3], [[2, 2], [0, 1], [1, 0]], 'channelsFirst', 7),
];

function poolCase(rank: 1 | 2 | 3, mode: 'max' | 'average', spatial: readonly number[], k: readonly number[], s: readonly number[], pads: readonly Pair[], format: Format, seed: number): RefCase {
  // All-negative inputs: max pooling must never pick the padding.
  const x = randomArray([2, ...spatial, CHANNELS], lcg(seed));
  if (mode === 'max') x.data.forEach((v, n) => (x.data[n] = v - 1.5));
  return {
    name: `${mode}Pooling${rank}d i[${spatial}] pool[${k}] s[${s}] ${JSON.stringify(pads)} ${format}`,
    layer: () => new Pooling({ rank, mode, poolSize: k, strides: s, padding: pads.map((p): readonly [number, number] => [p[0], p[1]]), dataFormat: format }),
    x: toLayout(format, x),
    weights: [],
    ref: (input) => toLayout(format, poolRef(fromLayout(format, input), { poolSize: k, strides: s, pads, mode })),
  };
}

function poolGrid(): RefCase[] {
  const cases: RefCase[] = [];
  let seed = 500;
  for (const rank of [1, 2, 3] as const)
    for (const mode of ['max', 'average'] as const)
      for (const [k, s, pads] of [
        [[2, 3, 2], [2, 3, 2], [[1, 1], [1, 0], [0, 1]]],
        [[3, 2, 3], [1, 1, 2], [[1, 1], [0, 1], [1, 0]]],
        [[4, 3, 2], [2, 2, 1], [[2, 1], [1, 1], [1, 1]]],
      ] as const) {
        cases.push(poolCase(rank, mode, [7, 6, 5].slice(0, rank).map((n) => (rank === 3 ? n - 2 : n)), k.slice(0, rank), s.slice(0, rank), pads.slice(0, rank), seed % 2 === 0 ? 'channelsLast' : 'channelsFirst', seed));
        seed++;
      }
  return cases;
}

function softmaxCase(shape: readonly number[], axis: number, seed: number): RefCase {
  return {
    name: `softmax axis ${axis} of [${shape}]`,
    layer: () => new Softmax({ axis }),
    x: randomArray(shape, lcg(seed)),
    weights: [],
    ref: (x) => softmaxRef(x, axis < 0 ? shape.length + axis : axis),
  };
}

function eluCase(alpha: number, seed: number): RefCase {
  const x = randomArray([2, 3, 4], lcg(seed));
  // Away from 0, where ELU's derivative jumps for alpha != 1 and finite differences straddle the kink.
  x.data.forEach((v, n) => (x.data[n] = v + (v >= 0 ? 0.05 : -0.05)));
  return { name: `elu alpha ${alpha}`, layer: () => new Elu({ alpha }), x, weights: [], ref: (input) => eluRef(input, alpha) };
}

const activationCases: RefCase[] = [
  softmaxCase([2, 3, 4], 1, 1),
  softmaxCase([2, 3, 4], -2, 2),
  softmaxCase([2, 3, 4, 2], 2, 3),
  softmaxCase([1, 2, 3, 2, 2], 1, 4),
  softmaxCase([2, 5], -1, 5),
  eluCase(0.5, 6),
  eluCase(2, 7),
  eluCase(0, 8),
  eluCase(1, 9),
];

const convCases = convGrid();
const poolCases = poolGrid();

function buildWith(c: RefCase): tf.layers.Layer {
  const layer = c.layer();
  layer.build(c.x.shape.slice());
  if (c.weights.length > 0) layer.setWeights(c.weights.map(toTensor));
  return layer;
}

function forwardError(c: RefCase): number {
  const layer = buildWith(c);
  try {
    const { y } = run(layer, c.x);
    expect(layer.computeOutputShape(c.x.shape.slice())).toEqual(y.shape);
    return relativeError(y, c.ref(c.x, c.weights));
  } finally {
    release(layer);
  }
}

function gradientErrors(c: RefCase): Record<string, number> {
  const layer = buildWith(c);
  try {
    const outShape = layer.computeOutputShape(c.x.shape.slice()) as number[];
    const r = randomArray(outShape, lcg(77));
    const got = run(layer, c.x, r);
    const x = { shape: c.x.shape, data: Float64Array.from(c.x.data) };
    const weights = c.weights.map((w) => ({ shape: w.shape, data: Float64Array.from(w.data) }));
    const loss = () => dot(c.ref(x, weights), r);
    const errors: Record<string, number> = { input: relativeError(got.dx!, finiteDifferences(x, loss)) };
    weights.forEach((w, n) => (errors[`weight ${n}`] = relativeError(got.dw![n]!, finiteDifferences(w, loss))));
    expect(got.dw!.length).toBe(weights.length);
    return errors;
  } finally {
    release(layer);
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`padding family on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    describe(`PyTorch ${torch.torch} (test/fixtures/torch/padding.json): outputs and gradients of sum(y * r)`, () => {
      test.each(torch.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const layer = torchLayer(c.layer);
        layer.build(c.x.shape.slice());
        const kernel = c.weights?.['kernel'];
        const bias = c.weights?.['bias'];
        if (kernel) layer.setWeights([toTensor(kerasKernel(nd(kernel))), ...(bias ? [toTensor(nd(bias))] : [])]);
        try {
          const got = run(layer, nd(c.x), nd(c.y, c.r));
          expect(relativeError(got.y, nd(c.y)), 'output').toBeLessThan(TOLERANCE);
          expect(relativeError(got.dx!, nd(c.x, c.dx)), 'd/dx').toBeLessThan(TOLERANCE);
          if (kernel) expect(relativeError(got.dw![0]!, kerasKernel(nd(kernel, kernel.grad))), 'd/dkernel').toBeLessThan(TOLERANCE);
          if (bias) expect(relativeError(got.dw![1]!, nd(bias, bias.grad)), 'd/dbias').toBeLessThan(TOLERANCE);
        } finally {
          release(layer);
        }
      });
    });

    describe('against the plain-loop references: forward', () => {
      for (const [family, cases] of [
        ['reflection padding', reflectionCases],
        ['convolution', convCases],
        ['pooling', poolCases],
        ['softmax and elu', activationCases],
      ] as const) {
        test(`${family}: ${cases.length} configs`, () => {
          const failures = cases.flatMap((c) => {
            const error = forwardError(c);
            return error < TOLERANCE ? [] : [`${c.name}: relative error ${error}`];
          });
          expect(failures).toEqual([]);
        });
      }
    });

    describe('against finite differences of the references: gradients', () => {
      const sample = [...reflectionCases, ...convCases.filter((_, n) => n % 4 === 0), ...poolCases.filter((_, n) => n % 2 === 0), ...activationCases];
      test.each(sample.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const errors = gradientErrors(c);
        for (const [what, error] of Object.entries(errors)) expect(error, what).toBeLessThan(TOLERANCE);
      });
    });

    // The tfjs 4.22 behaviours the runtime works around; a tfjs that fixes them fails here first.
    test("tfjs' own MirrorPad gradient drops the reflected copies; reflectPad's counts them", () => {
      const x = tf.tensor([1, 2, 3, 4, 5], [1, 5, 1]);
      const own = tf.grad((t: tf.Tensor) => tf.sum(tf.mirrorPad(t, [[0, 0], [2, 1], [0, 0]], 'reflect')))(x);
      const ours = tf.grad((t: tf.Tensor) => tf.sum(reflectPad(t, [[2, 1]])))(x);
      expect([Array.from(own.dataSync()), Array.from(ours.dataSync())]).toEqual([
        [1, 1, 1, 1, 1],
        [1, 2, 2, 2, 1],
      ]);
      tf.dispose([x, own, ours]);
    });

    test('max pooling sends the gradient of an all-negative window to its maximum', () => {
      const x = tf.tensor([-3, -1, -2, -5], [1, 1, 4, 1]);
      const own = tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, [1, 2], [1, 2], 'valid')))(x);
      const layer = new Pooling({ rank: 2, mode: 'max', poolSize: [1, 2], padding: [[0, 0], [0, 0]] });
      const ours = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(x);
      expect(Array.from(ours.dataSync())).toEqual([0, 1, 1, 0]);
      // wasm's MaxPoolGrad picks the first position of such a window instead.
      expect(Array.from(own.dataSync())).toEqual(backend === 'wasm' ? [1, 0, 0, 0] : [0, 1, 1, 0]);
      tf.dispose([x, own, ours]);
    });

    test('a fit step trains every weight through reflection, explicit pads, causal padding, pooling, softmax and elu', async () => {
      const input = tf.input({ shape: [6, 5, 2] });
      let y = new ReflectionPadding({ rank: 2, padding: 1 }).apply(input) as tf.SymbolicTensor;
      y = new Conv({ rank: 2, filters: 3, kernelSize: 3, padding: [[1, 1], [0, 2]], paddingMode: 'reflect', activation: 'tanh' }).apply(y) as tf.SymbolicTensor;
      y = new Pooling({ rank: 2, mode: 'max', poolSize: 2, padding: [[1, 1], [0, 1]] }).apply(y) as tf.SymbolicTensor;
      y = new Elu({ alpha: 0.3 }).apply(y) as tf.SymbolicTensor;
      // [channels 3, steps 20]
      y = tf.layers.reshape({ targetShape: [3, 5 * 4] }).apply(y) as tf.SymbolicTensor;
      y = new Conv({ rank: 1, filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal', dataFormat: 'channelsFirst' }).apply(y) as tf.SymbolicTensor;
      y = new Pooling({ rank: 1, mode: 'average', poolSize: 2, padding: [[1, 0]], dataFormat: 'channelsFirst' }).apply(y) as tf.SymbolicTensor;
      y = new Softmax({ axis: 1 }).apply(y) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: y });
      expect(model.outputShape).toEqual([null, 2, 10]);
      model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
      const before = model.getWeights().map((w) => Array.from(w.dataSync()));
      const xs = tf.randomNormal([2, 6, 5, 2], 0, 1, 'float32', 1);
      const ys = tf.randomUniform([2, 2, 10], 0, 1, 'float32', 2);
      const history = await model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 });
      expect(Number.isFinite(history.history['loss']![0] as number)).toBe(true);
      const after = model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(after.map((w, n) => w.some((v, k) => v !== before[n]![k]))).toEqual(before.map(() => true));
      tf.dispose([xs, ys]);
      model.dispose();
    });
  });
}
