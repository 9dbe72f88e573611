/**
 * Plain-loop references for depthwise and separable convolutions, forward and
 * gradient, channelsLast, rank 1 or 2 (rank 1 as rank 2 with one row).
 * Independent of src/: TensorFlow's definitions written out index by index.
 */
import { zeros, type NdArray } from './conv-transpose.js';

export interface DepthwiseRefArgs {
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: 'valid' | 'same';
}

/** TensorFlow's `same`: `max(0, (ceil(i/s) - 1)*s + (k-1)*d + 1 - i)` in all, the smaller half first. */
function padBefore(i: number, k: number, s: number, d: number, padding: 'valid' | 'same'): { before: number; out: number } {
  const ek = (k - 1) * d + 1;
  if (padding === 'valid') return { before: 0, out: Math.floor((i - ek) / s) + 1 };
  const out = Math.ceil(i / s);
  const total = Math.max(0, (out - 1) * s + ek - i);
  return { before: Math.floor(total / 2), out };
}

/** Rank 1 `[n, L, C]` as `[n, 1, L, C]`, and back. */
const as2d = (a: NdArray): NdArray => (a.shape.length === 3 ? { shape: [a.shape[0]!, 1, a.shape[1]!, a.shape[2]!], data: a.data } : a);

interface Plan {
  readonly n: number;
  readonly H: number;
  readonly W: number;
  readonly C: number;
  readonly kh: number;
  readonly kw: number;
  readonly m: number;
  readonly rows: { before: number; out: number };
  readonly cols: { before: number; out: number };
  readonly s: readonly [number, number];
  readonly d: readonly [number, number];
}

function plan(x: NdArray, kernel: NdArray, args: DepthwiseRefArgs): Plan {
  const rank = x.shape.length - 2;
  const [n, H, W, C] = as2d(x).shape as [number, number, number, number];
  const k = kernel.shape;
  const [kh, kw, m] = rank === 1 ? [1, k[0]!, k[2]!] : [k[0]!, k[1]!, k[3]!];
  const s: [number, number] = rank === 1 ? [1, args.strides[0]!] : [args.strides[0]!, args.strides[1]!];
  const d: [number, number] = rank === 1 ? [1, args.dilation[0]!] : [args.dilation[0]!, args.dilation[1]!];
  return { n, H, W, C, kh, kw, m, s, d, rows: padBefore(H, kh, s[0], d[0], args.padding), cols: padBefore(W, kw, s[1], d[1], args.padding) };
}

/** Visits every (output position, tap, channel, multiplier) with the input index it reads, or none outside the input. */
function visit(p: Plan, f: (out: number, input: number, weight: number) => void): void {
  const { n, H, W, C, kh, kw, m, rows, cols, s, d } = p;
  for (let b = 0; b < n; b++)
    for (let oh = 0; oh < rows.out; oh++)
      for (let ow = 0; ow < cols.out; ow++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const h = oh * s[0] + i * d[0] - rows.before;
            const w = ow * s[1] + j * d[1] - cols.before;
            if (h < 0 || h >= H || w < 0 || w >= W) continue;
            for (let c = 0; c < C; c++)
              for (let q = 0; q < m; q++) {
                f((((b * rows.out + oh) * cols.out + ow) * C + c) * m + q, ((b * H + h) * W + w) * C + c, ((i * kw + j) * C + c) * m + q);
              }
          }
}

function outShape(x: NdArray, p: Plan, channels: number): number[] {
  return x.shape.length === 3 ? [p.n, p.cols.out, channels] : [p.n, p.rows.out, p.cols.out, channels];
}

/**
 * `y[b, oh, ow, c*m + q] = sum over taps x[b, oh*s + i*d - pad, ow*s + j*d - pad, c] * w[i, j, c, q]`,
 * with the gradients of `sum(y * dy)` for x and w when `dy` is given.
 */
export function depthwiseRef(x: NdArray, kernel: NdArray, args: DepthwiseRefArgs, dy?: NdArray): { y: NdArray; dx: NdArray; dw: NdArray } {
  const p = plan(x, kernel, args);
  const y = zeros(outShape(x, p, p.C * p.m));
  const dx = zeros(x.shape);
  const dw = zeros(kernel.shape);
  visit(p, (o, i, w) => {
    y.data[o] += x.data[i]! * kernel.data[w]!;
    if (dy) {
      dx.data[i] += dy.data[o]! * kernel.data[w]!;
      dw.data[w] += dy.data[o]! * x.data[i]!;
    }
  });
  return { y, dx, dw };
}

/**
 * Separable: the depthwise result `z` (channels `C*m`), then
 * `y[..., f] = sum over k of z[..., k] * pointwise[k, f] + bias[f]`; gradients
 * of `sum(y * dy)` for x, the depthwise kernel, the pointwise kernel and the bias.
 */
export function separableRef(x: NdArray, depthwise: NdArray, pointwise: NdArray, bias: NdArray | null, args: DepthwiseRefArgs, dy?: NdArray) {
  const z = depthwiseRef(x, depthwise, args).y;
  const depth = z.shape[z.shape.length - 1]!;
  const filters = pointwise.shape[pointwise.shape.length - 1]!;
  const positions = z.data.length / depth;
  const y = zeros([...z.shape.slice(0, -1), filters]);
  const dz = zeros(z.shape);
  const dPointwise = zeros(pointwise.shape);
  const dBias = zeros([filters]);
  for (let r = 0; r < positions; r++)
    for (let f = 0; f < filters; f++) {
      let v = bias ? bias.data[f]! : 0;
      for (let k = 0; k < depth; k++) v += z.data[r * depth + k]! * pointwise.data[k * filters + f]!;
      y.data[r * filters + f] = v;
      if (!dy) continue;
      const g = dy.data[r * filters + f]!;
      dBias.data[f] += g;
      for (let k = 0; k < depth; k++) {
        dz.data[r * depth + k] += g * pointwise.data[k * filters + f]!;
        dPointwise.data[k * filters + f] += g * z.data[r * depth + k]!;
      }
    }
  const back = dy ? depthwiseRef(x, depthwise, args, dz) : undefined;
  return { y, dx: back?.dx ?? zeros(x.shape), dDepthwise: back?.dw ?? zeros(depthwise.shape), dPointwise, dBias };
}
