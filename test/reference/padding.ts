/**
 * Plain-loop references for reflection padding, convolutions and pooling with
 * explicit pads (PyTorch semantics), softmax over any axis and ELU with any
 * alpha, written from their definitions over Float64Arrays. Tensors are
 * channelsLast (`[batch, spatial..., channels]`); kernels `[k..., in, out]`.
 * Independent of src/ (no tfjs, no src/infer/formulas.ts).
 */
import { zeros, type NdArray } from './conv-transpose.js';

export type Pair = readonly [number, number];

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

/** Calls `visit` with every index of `shape`, the last axis fastest. */
function forEachIndex(shape: readonly number[], visit: (index: readonly number[]) => void): void {
  const total = shape.reduce((p, d) => p * d, 1);
  const index = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < total; n++) {
    visit(index);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
}

function at(a: NdArray, index: readonly number[]): number {
  const strides = stridesOf(a.shape);
  return a.data[index.reduce((flat, i, d) => flat + i * strides[d]!, 0)]!;
}

/**
 * The input padded by `pads` per spatial axis: with `fill` (zeros, or
 * -Infinity for max pooling), or by reflection, where position `p` outside
 * `[0, n)` reads `-p` before and `2(n - 1) - p` after (the edge itself is not repeated).
 */
export function padRef(x: NdArray, pads: readonly Pair[], fill: number | 'reflect'): NdArray {
  const rank = x.shape.length - 2;
  const spatial = x.shape.slice(1, -1);
  const shape = [x.shape[0]!, ...spatial.map((n, a) => pads[a]![0] + n + pads[a]![1]), x.shape[rank + 1]!];
  const out = zeros(shape);
  let n = 0;
  forEachIndex(shape, (index) => {
    const source = index.slice();
    let inside = true;
    for (let a = 0; a < rank; a++) {
      const len = spatial[a]!;
      let p = index[a + 1]! - pads[a]![0];
      if (p < 0 || p >= len) {
        if (fill !== 'reflect') inside = false;
        else {
          if (len <= Math.max(...pads[a]!)) throw new Error(`reference: reflection pad ${pads[a]} needs an axis longer than ${len}`);
          p = p < 0 ? -p : 2 * (len - 1) - p;
        }
      }
      source[a + 1] = p;
    }
    out.data[n++] = inside ? at(x, source) : (fill as number);
  });
  return out;
}

export interface ConvRefArgs {
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly pads: readonly Pair[];
  readonly mode: 'zeros' | 'reflect';
}

/** `y[b, o, f] = bias[f] + sum_(j, c) pad(x)[b, o*s + j*d, c] * w[j, c, f]`: PyTorch `Conv*d` (pad, then a valid convolution). */
export function convRef(x: NdArray, kernel: NdArray, bias: NdArray | null, args: ConvRefArgs): NdArray {
  const rank = x.shape.length - 2;
  const xp = padRef(x, args.pads, args.mode === 'reflect' ? 'reflect' : 0);
  const k = kernel.shape.slice(0, rank);
  const [c, f] = kernel.shape.slice(rank) as [number, number];
  const padded = xp.shape.slice(1, -1);
  const out = padded.map((p, a) => Math.floor((p - (k[a]! - 1) * args.dilation[a]! - 1) / args.strides[a]!) + 1);
  if (out.some((o) => o < 1)) throw new Error('reference: empty output');
  const y = zeros([x.shape[0]!, ...out, f]);
  let n = 0;
  forEachIndex(y.shape, (index) => {
    const [b] = index as [number];
    const o = index.slice(1, -1);
    const filter = index[rank + 1]!;
    let sum = bias ? bias.data[filter]! : 0;
    forEachIndex([...k, c], (tap) => {
      const position = o.map((oa, a) => oa * args.strides[a]! + tap[a]! * args.dilation[a]!);
      sum += at(xp, [b, ...position, tap[rank]!]) * at(kernel, [...tap, filter]);
    });
    y.data[n++] = sum;
  });
  return y;
}

export interface PoolRefArgs {
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly pads: readonly Pair[];
  readonly mode: 'max' | 'average';
}

/**
 * PyTorch `MaxPool*d` (padding is -Infinity) and `AvgPool*d` with
 * `count_include_pad=True` (padding is zeros and counts: every window
 * divides by the whole pool size), `ceil_mode=False`.
 */
export function poolRef(x: NdArray, args: PoolRefArgs): NdArray {
  const rank = x.shape.length - 2;
  const xp = padRef(x, args.pads, args.mode === 'max' ? -Infinity : 0);
  const padded = xp.shape.slice(1, -1);
  const out = padded.map((p, a) => Math.floor((p - args.poolSize[a]!) / args.strides[a]!) + 1);
  const y = zeros([x.shape[0]!, ...out, x.shape[rank + 1]!]);
  const size = args.poolSize.reduce((p, v) => p * v, 1);
  let n = 0;
  forEachIndex(y.shape, (index) => {
    let acc = args.mode === 'max' ? -Infinity : 0;
    forEachIndex(args.poolSize, (tap) => {
      const v = at(xp, [index[0]!, ...tap.map((j, a) => index[a + 1]! * args.strides[a]! + j), index[rank + 1]!]);
      acc = args.mode === 'max' ? Math.max(acc, v) : acc + v;
    });
    y.data[n++] = args.mode === 'max' ? acc : acc / size;
  });
  return y;
}

/** `exp(x - max) / sum(exp(x - max))` along `axis` (non-negative). */
export function softmaxRef(x: NdArray, axis: number): NdArray {
  const y = zeros(x.shape);
  const strides = stridesOf(x.shape);
  const len = x.shape[axis]!;
  forEachIndex(
    x.shape.map((d, a) => (a === axis ? 1 : d)),
    (index) => {
      const base = index.reduce((flat, i, d) => flat + i * strides[d]!, 0);
      const values = Array.from({ length: len }, (_, j) => x.data[base + j * strides[axis]!]!);
      const max = Math.max(...values);
      const exps = values.map((v) => Math.exp(v - max));
      const sum = exps.reduce((p, v) => p + v, 0);
      exps.forEach((e, j) => (y.data[base + j * strides[axis]!] = e / sum));
    },
  );
  return y;
}

/** `x` for `x > 0`, else `alpha * (exp(x) - 1)` (Keras 3 `ELU`). */
export function eluRef(x: NdArray, alpha: number): NdArray {
  const y = zeros(x.shape);
  x.data.forEach((v, n) => (y.data[n] = v > 0 ? v : alpha * Math.expm1(v)));
  return y;
}
