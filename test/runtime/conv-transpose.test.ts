import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConvTranspose, type ConvTransposeArgs } from '../../src/runtime/conv-transpose.js';
import { algorithmFor, forceAlgorithm, type Algorithm } from '../../src/runtime/transpose-kernels.js';
import {
  axisPlan,
  channelsFirstToLast,
  channelsLastToFirst,
  convTransposeRef,
  lcg,
  randomArray,
  zeros,
  type NdArray,
  type RefActivation,
  type RefPadding,
} from '../reference/conv-transpose.js';

/** Max |got - want| over max |want|: the error relative to the output's scale. */
const TOLERANCE = 1e-4;
const IN_CHANNELS = 2;
const FILTERS = 3;
const BATCH = 2;

type DataFormat = 'channelsLast' | 'channelsFirst';

interface Case {
  readonly rank: 1 | 2 | 3;
  readonly spatial: readonly number[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: RefPadding;
  readonly outputPadding?: readonly number[];
  readonly outputShape?: readonly number[];
  readonly dataFormat: DataFormat;
  readonly useBias: boolean;
  readonly activation: RefActivation;
  /** Pass per-axis options as single numbers when they are uniform (both forms must work). */
  readonly scalarArgs: boolean;
  readonly seed: number;
}

function describeCase(c: Case): string {
  const pad = typeof c.padding === 'string' ? c.padding : `explicit${JSON.stringify(c.padding)}`;
  const parts = [`r${c.rank}`, `i[${c.spatial}]`, `k[${c.kernel}]`, `s[${c.strides}]`, `d[${c.dilation}]`, pad];
  if (c.outputPadding) parts.push(`op[${c.outputPadding}]`);
  if (c.outputShape) parts.push(`out[${c.outputShape}]`);
  parts.push(c.dataFormat, c.useBias ? 'bias' : 'nobias', c.activation);
  return parts.join(' ');
}

const uniform = (a: readonly number[]) => a.every((v) => v === a[0]);

function layerArgs(c: Case): ConvTransposeArgs {
  const perAxis = (a: readonly number[]) => (c.scalarArgs && uniform(a) ? a[0]! : a);
  return {
    rank: c.rank,
    filters: FILTERS,
    kernelSize: perAxis(c.kernel),
    strides: perAxis(c.strides),
    dilationRate: perAxis(c.dilation),
    padding: typeof c.padding === 'string' ? c.padding : c.padding.map((p): readonly [number, number] => [p[0], p[1]]),
    ...(c.outputPadding ? { outputPadding: perAxis(c.outputPadding) } : {}),
    ...(c.outputShape ? { outputShape: c.outputShape } : {}),
    dataFormat: c.dataFormat,
    useBias: c.useBias,
    ...(c.activation === 'linear' && c.scalarArgs ? {} : { activation: c.activation }),
  };
}

function toTensor(a: NdArray): tf.Tensor {
  return tf.tensor(Float32Array.from(a.data), a.shape.slice());
}

function fromTensor(t: tf.Tensor): NdArray {
  return { shape: t.shape.slice(), data: Float64Array.from(t.dataSync()) };
}

/** Like tf.tidy, for functions that return plain data read out of tensors. */
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

/** Inputs and weights of a case, channelsLast for the reference. */
function dataOf(c: Case): { x: NdArray; kernel: NdArray; bias: NdArray | null } {
  const next = lcg(c.seed);
  const x = randomArray([BATCH, ...c.spatial, IN_CHANNELS], next);
  const kernel = randomArray([...c.kernel, FILTERS, IN_CHANNELS], next);
  const bias = c.useBias ? randomArray([FILTERS], next) : null;
  return { x, kernel, bias };
}

const refArgs = (c: Case) => ({
  strides: c.strides,
  dilation: c.dilation,
  padding: c.padding,
  activation: c.activation,
  ...(c.outputPadding ? { outputPadding: c.outputPadding } : {}),
  ...(c.outputShape ? { outputShape: c.outputShape } : {}),
});

/** The layer's input layout. */
const inLayout = (c: Case, a: NdArray) => (c.dataFormat === 'channelsFirst' ? channelsLastToFirst(a) : a);

function buildLayer(c: Case, inputShape: readonly number[], kernel: NdArray, bias: NdArray | null): ConvTranspose {
  const layer = new ConvTranspose(layerArgs(c));
  layer.build(inputShape.slice());
  layer.setWeights(bias ? [toTensor(kernel), toTensor(bias)] : [toTensor(kernel)]);
  return layer;
}

/** Frees a layer's weights (Layer.dispose only works for layers applied to symbolic tensors). */
function release(...layers: tf.layers.Layer[]): void {
  for (const layer of layers) for (const w of layer.weights) w.dispose();
}

let maxForwardError = 0;
let maxGradError = 0;

/** Runs the runtime layer and the reference on one case; returns the relative error. */
function compareForward(c: Case): number {
  const { x, kernel, bias } = dataOf(c);
  const want = convTransposeRef(x, kernel, bias, refArgs(c));
  const xIn = inLayout(c, x);
  const layer = buildLayer(c, xIn.shape, kernel, bias);
  try {
    const got = scoped(() => fromTensor(layer.apply(toTensor(xIn)) as tf.Tensor));
    const gotLast = c.dataFormat === 'channelsFirst' ? channelsFirstToLast(got) : got;
    expect(layer.computeOutputShape(xIn.shape.slice())).toEqual(got.shape);
    expect(layer.computeOutputShape([null, ...xIn.shape.slice(1)])).toEqual([null, ...got.shape.slice(1)]);
    // Unknown spatial lengths stay unknown, unless outputShape fixes them.
    const unknown = c.spatial.map(() => null);
    const spatialOut = c.outputShape ? c.outputShape.slice() : unknown;
    const [unknownIn, unknownOut] =
      c.dataFormat === 'channelsFirst' ? [[null, IN_CHANNELS, ...unknown], [null, FILTERS, ...spatialOut]] : [[null, ...unknown, IN_CHANNELS], [null, ...spatialOut, FILTERS]];
    expect(layer.computeOutputShape(unknownIn)).toEqual(unknownOut);
    const error = relativeError(gotLast, want);
    maxForwardError = Math.max(maxForwardError, error);
    return error;
  } finally {
    release(layer);
  }
}

// ---------------------------------------------------------------- the grid

const RANKS = [1, 2, 3] as const;
const KERNELS = [1, 2, 3, 4, 5];
const STRIDES = [1, 2, 3];
const FORMATS: readonly DataFormat[] = ['channelsLast', 'channelsFirst'];
const ACTIVATIONS: readonly RefActivation[] = ['linear', 'relu', 'tanh', 'sigmoid', 'elu'];
type PaddingKind = 'valid' | 'same' | 'explicitSmall' | 'explicitKernel';
const PADDINGS: readonly PaddingKind[] = ['valid', 'same', 'explicitSmall', 'explicitKernel'];

/** Input lengths 3-5 (3-4 at rank 3, where tfjs cpu is slow), different per axis. */
const spatialOf = (rank: number, seed: number) => Array.from({ length: rank }, (_, a) => 3 + ((a + seed) % (rank === 3 ? 2 : 3)));

/** Explicit pads per axis: small asymmetric ones, or ek-1 at one end (begin on even axes), which crops to (i-1)*s+1. */
function explicitPads(kind: PaddingKind, rank: number, ek: readonly number[]): RefPadding {
  if (kind === 'valid' || kind === 'same') return kind;
  const small: readonly (readonly [number, number])[] = [[1, 0], [0, 1], [1, 1]];
  return Array.from({ length: rank }, (_, a): readonly [number, number] => (kind === 'explicitSmall' ? small[a]! : a % 2 === 0 ? [ek[a]! - 1, 0] : [0, ek[a]! - 1]));
}

const effective = (k: readonly number[], d: readonly number[]) => k.map((kk, a) => (kk - 1) * d[a]! + 1);

function mainGrid(): Case[] {
  const cases: Case[] = [];
  let seed = 1;
  for (const rank of RANKS)
    for (const k of KERNELS)
      for (const s of STRIDES)
        for (const kind of PADDINGS)
          for (const op of [undefined, ...Array.from({ length: s }, (_, v) => v)])
            for (const dataFormat of FORMATS)
              for (const useBias of [true, false]) {
                const kernel = new Array<number>(rank).fill(k);
                const dilation = new Array<number>(rank).fill(1);
                cases.push({
                  rank,
                  spatial: spatialOf(rank, seed),
                  kernel,
                  strides: new Array<number>(rank).fill(s),
                  dilation,
                  padding: explicitPads(kind, rank, effective(kernel, dilation)),
                  ...(op === undefined ? {} : { outputPadding: new Array<number>(rank).fill(op) }),
                  dataFormat,
                  useBias,
                  activation: ACTIVATIONS[seed % ACTIVATIONS.length]!,
                  scalarArgs: seed % 2 === 0,
                  seed: seed++,
                });
              }
  return cases;
}

/** Dilation 2 (stride 1), and one axis-mixed dilation per rank >= 2. */
function dilationGrid(): Case[] {
  const cases: Case[] = [];
  let seed = 10_001;
  for (const rank of RANKS)
    for (const k of KERNELS)
      for (const kind of PADDINGS)
        for (const op of [undefined, 0])
          for (const dataFormat of FORMATS)
            for (const useBias of [true, false]) {
              const kernel = new Array<number>(rank).fill(k);
              const dilation = seed % 4 === 0 && rank > 1 ? [2, 3, 1].slice(0, rank) : new Array<number>(rank).fill(2);
              cases.push({
                rank,
                spatial: spatialOf(rank, seed),
                kernel,
                strides: new Array<number>(rank).fill(1),
                dilation,
                padding: explicitPads(kind, rank, effective(kernel, dilation)),
                ...(op === undefined ? {} : { outputPadding: new Array<number>(rank).fill(op) }),
                dataFormat,
                useBias,
                activation: ACTIVATIONS[seed % ACTIVATIONS.length]!,
                scalarArgs: seed % 2 === 0,
                seed: seed++,
              });
            }
  return cases;
}

/** Every legal `outputShape` (docs/semantics.md ranges), a different one per axis. */
function outputShapeGrid(): Case[] {
  const cases: Case[] = [];
  let seed = 20_001;
  for (const rank of RANKS)
    for (const k of KERNELS)
      for (const s of STRIDES)
        for (const kind of ['valid', 'same', 'explicitSmall'] as const)
          for (let t = 0; t < s; t++) {
            const spatial = spatialOf(rank, seed);
            const kernel = new Array<number>(rank).fill(k);
            const dilation = new Array<number>(rank).fill(1);
            const padding = explicitPads(kind, rank, kernel);
            const outputShape = spatial.map((i, a) => {
              const pad = typeof padding === 'string' ? padding : padding[a]!;
              const low = pad === 'same' ? (i - 1) * s + 1 : (i - 1) * s + k - (pad === 'valid' ? 0 : pad[0] + pad[1]);
              return low + ((t + a) % s);
            });
            cases.push({
              rank,
              spatial,
              kernel,
              strides: new Array<number>(rank).fill(s),
              dilation,
              padding,
              outputShape,
              dataFormat: FORMATS[seed % 2]!,
              useBias: seed % 3 !== 0,
              activation: ACTIVATIONS[seed % ACTIVATIONS.length]!,
              scalarArgs: seed % 2 === 0,
              seed: seed++,
            });
          }
  return cases;
}

/** Seeded random configs with different kernel, stride, padding and output padding per axis. */
function mixedGrid(count: number): Case[] {
  const next = lcg(4242);
  const pick = (n: number) => Math.floor(((next() + 1) / 2) * n);
  const cases: Case[] = [];
  for (let n = 0; n < count; n++) {
    const rank = (2 + pick(2)) as 2 | 3;
    const kernel = Array.from({ length: rank }, () => 1 + pick(4));
    const strides = Array.from({ length: rank }, () => 1 + pick(3));
    const dilation = strides.every((s) => s === 1) ? Array.from({ length: rank }, () => 1 + pick(3)) : new Array<number>(rank).fill(1);
    const ek = effective(kernel, dilation);
    const kind = pick(3);
    const padding: RefPadding = kind === 0 ? 'valid' : kind === 1 ? 'same' : ek.map((e): readonly [number, number] => [pick(e), pick(2)]);
    const outputPadding = pick(2) === 0 ? undefined : strides.map((s) => pick(s));
    cases.push({
      rank,
      spatial: spatialOf(rank, n),
      kernel,
      strides,
      dilation,
      padding,
      ...(outputPadding ? { outputPadding } : {}),
      dataFormat: FORMATS[pick(2)]!,
      useBias: pick(2) === 0,
      activation: ACTIVATIONS[pick(ACTIVATIONS.length)]!,
      scalarArgs: false,
      seed: 30_001 + n,
    });
  }
  return cases;
}

/** Each case's output length, from the reference's own reading of docs/semantics.md, must be at least 1. */
function legal(c: Case): boolean {
  return c.spatial.every((i, a) => {
    const pad = typeof c.padding === 'string' ? c.padding : c.padding[a]!;
    return axisPlan(i, c.kernel[a]!, c.strides[a]!, c.dilation[a]!, pad, c.outputPadding?.[a], c.outputShape?.[a]).out >= 1;
  });
}

const grids = { main: mainGrid(), dilation: dilationGrid(), outputShape: outputShapeGrid(), mixed: mixedGrid(60) };

afterAll(() => {
  if (process.env['NETSPEC_TEST_REPORT']) {
    const sizes = Object.entries(grids).map(([k, v]) => `${k} ${v.length}`).join(', ');
    process.stderr.write(`conv-transpose grid: ${sizes}; max forward error ${maxForwardError.toExponential(2)}, max gradient error ${maxGradError.toExponential(2)}\n`);
  }
});

// ---------------------------------------------------------------- native tfjs

// ---------------------------------------------------------------- gradients

/** sum(reference(x, kernel, bias) * r), all channelsLast, in float64. */
function referenceLoss(c: Case, x: NdArray, kernel: NdArray, bias: NdArray | null, r: NdArray): number {
  const y = convTransposeRef(x, kernel, bias, refArgs(c));
  let loss = 0;
  for (let n = 0; n < y.data.length; n++) loss += y.data[n]! * r.data[n]!;
  return loss;
}

/** Central finite differences of `loss` with respect to every element of `a` (mutated and restored). */
function finiteDifferences(a: NdArray, loss: () => number): NdArray {
  const h = 1e-4;
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

function gradientCase(rank: 1 | 2 | 3, partial: Partial<Case> & Pick<Case, 'kernel' | 'strides' | 'padding'>, seed: number): Case {
  return {
    rank,
    spatial: spatialOf(rank, seed).map((i) => Math.min(i, rank === 3 ? 3 : 5)),
    dilation: new Array<number>(rank).fill(1),
    dataFormat: 'channelsLast',
    useBias: true,
    activation: 'tanh',
    scalarArgs: false,
    seed,
    ...partial,
  };
}

const gradientCases: Case[] = RANKS.flatMap((rank, r) => {
  const n = (v: number) => new Array<number>(rank).fill(v);
  return [
    gradientCase(rank, { kernel: n(3), strides: n(2), padding: 'valid' }, 50_000 + 10 * r),
    gradientCase(rank, { kernel: n(3), strides: n(2), padding: 'same', outputPadding: n(1), dataFormat: 'channelsFirst' }, 50_001 + 10 * r),
    gradientCase(rank, { kernel: n(2), strides: n(3), padding: 'same', activation: 'linear' }, 50_002 + 10 * r),
    gradientCase(rank, { kernel: n(2), strides: n(2), padding: explicitPads('explicitSmall', rank, n(2)), outputPadding: n(1), activation: 'sigmoid' }, 50_003 + 10 * r),
    gradientCase(rank, { kernel: n(3), strides: n(1), dilation: n(2), padding: 'same', dataFormat: 'channelsFirst', useBias: false }, 50_004 + 10 * r),
    gradientCase(rank, { kernel: n(4), strides: n(2), padding: 'same' }, 50_005 + 10 * r),
  ];
});

/**
 * The same checks for every way the runtime computes: each backend with the
 * algorithm it picks, and the sub-pixel form on cpu too, so both algorithms
 * are checked against the reference on the same backend.
 */
const setups: [backend: 'cpu' | 'wasm', algorithm: Algorithm][] = [
  ['cpu', 'native'],
  ['cpu', 'subpixel'],
  ['wasm', 'subpixel'],
];

for (const [backend, algorithm] of setups) {
  const label = `${backend}, ${algorithm}`;
  describe(label, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      forceAlgorithm(algorithm);
    });
    afterAll(() => forceAlgorithm(undefined));

    test('the backend picks this algorithm by itself unless it is forced', () => {
      forceAlgorithm(undefined);
      const own = algorithmFor(backend);
      forceAlgorithm(algorithm);
      expect(own === algorithm || (backend === 'cpu' && algorithm === 'subpixel')).toBe(true);
    });

  describe(`ConvTranspose vs the docs/semantics.md reference (${label})`, () => {
    test('every grid case is legal', () => {
      for (const cases of Object.values(grids)) for (const c of cases) expect(legal(c), describeCase(c)).toBe(true);
    });

    for (const [name, cases] of Object.entries(grids)) {
      describe(name, () => {
        for (const rank of RANKS) {
          const ofRank = cases.filter((c) => c.rank === rank);
          if (ofRank.length === 0) continue;
          test(`rank ${rank}: ${ofRank.length} configs`, () => {
            const failures: string[] = [];
            for (const c of ofRank) {
              const error = compareForward(c);
              if (!(error < TOLERANCE)) failures.push(`${describeCase(c)}: relative error ${error}`);
            }
            expect(failures).toEqual([]);
          });
        }
      });
    }
  });

  describe(`ConvTranspose rank 2 agrees with tf.layers.conv2dTranspose (${label}; valid/same, no outputPadding, no dilation)`, () => {
    const cases = grids.main.filter((c) => c.rank === 2 && typeof c.padding === 'string' && !c.outputPadding);
    test(`${cases.length} configs`, () => {
      const failures: string[] = [];
      for (const c of cases) {
        const { x, kernel, bias } = dataOf(c);
        const xIn = inLayout(c, x);
        const ours = buildLayer(c, xIn.shape, kernel, bias);
        const native = tf.layers.conv2dTranspose({
          filters: FILTERS,
          kernelSize: c.kernel.slice(),
          strides: c.strides.slice(),
          padding: c.padding as 'valid' | 'same',
          dataFormat: c.dataFormat,
          useBias: c.useBias,
          activation: c.activation,
        });
        native.build(xIn.shape.slice());
        native.setWeights(bias ? [toTensor(kernel), toTensor(bias)] : [toTensor(kernel)]);
        try {
          const [a, b] = scoped(() => {
            const t = toTensor(xIn);
            return [fromTensor(ours.apply(t) as tf.Tensor), fromTensor(native.apply(t) as tf.Tensor)] as const;
          });
          expect(native.computeOutputShape(xIn.shape.slice())).toEqual(ours.computeOutputShape(xIn.shape.slice()));
          const error = relativeError(a, b);
          if (!(error < TOLERANCE)) failures.push(`${describeCase(c)}: relative error ${error}`);
        } finally {
          release(ours, native);
        }
      }
      expect(failures).toEqual([]);
    });
  });

  describe(`ConvTranspose gradients vs finite differences of the reference (${label})`, () => {
    test.each(gradientCases.map((c) => [describeCase(c), c] as const))('%s', (_name, c) => {
      const { x, kernel, bias } = dataOf(c);
      const xIn = inLayout(c, x);
      const layer = buildLayer(c, xIn.shape, kernel, bias);
      try {
        const outShape = layer.computeOutputShape(xIn.shape.slice()) as number[];
        const rIn = randomArray(outShape, lcg(c.seed + 7));
        const rLast = c.dataFormat === 'channelsFirst' ? channelsFirstToLast(rIn) : rIn;

        const got = scoped(() => {
          const r = toTensor(rIn);
          const lossOf = (t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, r)) as tf.Scalar;
          const t = toTensor(xIn);
          const dx = fromTensor(tf.grad(lossOf)(t));
          const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const { grads } = tf.variableGrads(() => lossOf(t), variables);
          const dw = variables.map((v) => fromTensor(grads[v.name]!));
          return { dx, dw };
        });

        const loss = () => referenceLoss(c, x, kernel, bias, rLast);
        const wantDx = inLayout(c, finiteDifferences(x, loss));
        const wantDk = finiteDifferences(kernel, loss);
        const pairs: [string, NdArray, NdArray][] = [
          ['input', got.dx, wantDx],
          ['kernel', got.dw[0]!, wantDk],
        ];
        if (bias) pairs.push(['bias', got.dw[1]!, finiteDifferences(bias, loss)]);
        expect(got.dw.length).toBe(bias ? 2 : 1);
        for (const [what, g, w] of pairs) {
          const error = relativeError(g, w);
          maxGradError = Math.max(maxGradError, error);
          expect(error, `d loss / d ${what}`).toBeLessThan(TOLERANCE);
        }
      } finally {
        release(layer);
      }
    });
  });
  });
}
