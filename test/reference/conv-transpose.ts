/**
 * An independent reference for the transposed convolution of docs/semantics.md,
 * written with plain loops over Float64Arrays. It shares no code with
 * src/ (no tfjs ops, no src/infer/formulas.ts), so tests comparing the two
 * check the runtime against the contract, not against itself.
 */

/** A dense row-major array: `data.length` is the product of `shape`. */
export interface NdArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function zeros(shape: readonly number[]): NdArray {
  return { shape: shape.slice(), data: new Float64Array(shape.reduce((p, d) => p * d, 1)) };
}

/** A seeded linear congruential generator (Numerical Recipes constants), uniform in [-1, 1). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

export function randomArray(shape: readonly number[], next: () => number): NdArray {
  const a = zeros(shape);
  for (let n = 0; n < a.data.length; n++) a.data[n] = next();
  return a;
}

/** Moves axis `from` to position `to`, keeping the other axes in order. */
export function moveAxis(a: NdArray, from: number, to: number): NdArray {
  const order = a.shape.map((_, i) => i).filter((i) => i !== from);
  order.splice(to, 0, from);
  const shape = order.map((i) => a.shape[i]!);
  const out = zeros(shape);
  const inStrides = stridesOf(a.shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < out.data.length; n++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src += index[d]! * inStrides[order[d]!]!;
    out.data[n] = a.data[src]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

/** [batch, spatial..., channels] -> [batch, channels, spatial...]. */
export const channelsLastToFirst = (a: NdArray): NdArray => moveAxis(a, a.shape.length - 1, 1);
/** [batch, channels, spatial...] -> [batch, spatial..., channels]. */
export const channelsFirstToLast = (a: NdArray): NdArray => moveAxis(a, 1, a.shape.length - 1);

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

export type RefPadding = 'valid' | 'same' | readonly (readonly [number, number])[];

export interface ConvTransposeRefArgs {
  /** Per spatial axis. */
  readonly strides: readonly number[];
  /** Per spatial axis. */
  readonly dilation: readonly number[];
  readonly padding: RefPadding;
  /** Per spatial axis; undefined means "unset" (it changes the length rule). */
  readonly outputPadding?: readonly number[];
  /** Spatial output lengths, as in tf.nn.conv_transpose. */
  readonly outputShape?: readonly number[];
  readonly activation?: RefActivation;
}

export type RefActivation = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'elu';

/** How one spatial axis maps the full transposed convolution onto the output. */
export interface AxisPlan {
  /** Length of the full transposed convolution, `(i-1)*s + ek`. */
  readonly full: number;
  /** Output length. */
  readonly out: number;
  /** Positions cropped from the start of the full result. */
  readonly crop: number;
}

/** docs/semantics.md, axis by axis. */
export function axisPlan(i: number, k: number, s: number, d: number, padding: 'valid' | 'same' | readonly [number, number], op: number | undefined, outputShape: number | undefined): AxisPlan {
  const ek = (k - 1) * d + 1;
  const full = (i - 1) * s + ek;
  let out: number;
  if (outputShape !== undefined) out = outputShape;
  else if (padding === 'valid') out = op === undefined ? (i - 1) * s + Math.max(ek, s) : full + op;
  else if (padding === 'same') out = op === undefined ? i * s : (i - 1) * s + (ek % 2) + op;
  else out = full + (op ?? 0) - padding[0] - padding[1];
  let crop: number;
  if (padding === 'valid') crop = 0;
  else if (padding === 'same') crop = Math.floor(Math.max(0, full - out) / 2);
  else crop = padding[0];
  return { full, out, crop };
}

export function activate(v: number, activation: RefActivation | undefined): number {
  switch (activation ?? 'linear') {
    case 'linear':
      return v;
    case 'relu':
      return Math.max(0, v);
    case 'tanh':
      return Math.tanh(v);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'elu':
      return v > 0 ? v : Math.exp(v) - 1;
  }
}

/**
 * The transposed convolution, channelsLast.
 * x: [batch, spatial..., inChannels]; kernel: [k..., filters, inChannels] (Keras layout);
 * bias: [filters] or null. Rank 1-3: missing spatial axes are treated as length 1.
 */
export function convTransposeRef(x: NdArray, kernel: NdArray, bias: NdArray | null, args: ConvTransposeRefArgs): NdArray {
  const rank = x.shape.length - 2;
  if (rank < 1 || rank > 3 || kernel.shape.length !== rank + 2) throw new Error(`reference: bad ranks x ${x.shape} kernel ${kernel.shape}`);
  const batch = x.shape[0]!;
  const inChannels = x.shape[rank + 1]!;
  const filters = kernel.shape[rank]!;
  if (kernel.shape[rank + 1] !== inChannels) throw new Error('reference: kernel inChannels mismatch');

  // Lift to three spatial axes: a unit axis with k = s = d = 1 maps 1 -> 1 with no crop.
  const i3 = [1, 1, 1];
  const k3 = [1, 1, 1];
  const s3 = [1, 1, 1];
  const d3 = [1, 1, 1];
  const plans: AxisPlan[] = [{ full: 1, out: 1, crop: 0 }, { full: 1, out: 1, crop: 0 }, { full: 1, out: 1, crop: 0 }];
  for (let a = 0; a < rank; a++) {
    i3[a] = x.shape[a + 1]!;
    k3[a] = kernel.shape[a]!;
    s3[a] = args.strides[a]!;
    d3[a] = args.dilation[a]!;
    const pad = typeof args.padding === 'string' ? args.padding : args.padding[a]!;
    plans[a] = axisPlan(i3[a]!, k3[a]!, s3[a]!, d3[a]!, pad, args.outputPadding?.[a], args.outputShape?.[a]);
  }
  const [F0, F1, F2] = plans.map((p) => p.full) as [number, number, number];
  const [I0, I1, I2] = i3 as [number, number, number];
  const [K0, K1, K2] = k3 as [number, number, number];

  // 1. The full transposed convolution: full[i*s + j*d] += x[i] * w[j] on every axis.
  const full = new Float64Array(batch * F0 * F1 * F2 * filters);
  for (let b = 0; b < batch; b++)
    for (let p0 = 0; p0 < I0; p0++)
      for (let p1 = 0; p1 < I1; p1++)
        for (let p2 = 0; p2 < I2; p2++)
          for (let c = 0; c < inChannels; c++) {
            const xv = x.data[(((b * I0 + p0) * I1 + p1) * I2 + p2) * inChannels + c]!;
            for (let j0 = 0; j0 < K0; j0++)
              for (let j1 = 0; j1 < K1; j1++)
                for (let j2 = 0; j2 < K2; j2++) {
                  const o0 = p0 * s3[0]! + j0 * d3[0]!;
                  const o1 = p1 * s3[1]! + j1 * d3[1]!;
                  const o2 = p2 * s3[2]! + j2 * d3[2]!;
                  const outBase = (((b * F0 + o0) * F1 + o1) * F2 + o2) * filters;
                  const wBase = ((j0 * K1 + j1) * K2 + j2) * filters * inChannels;
                  for (let f = 0; f < filters; f++) full[outBase + f] += xv * kernel.data[wBase + f * inChannels + c]!;
                }
          }

  // 2. Crop from the start, zero-extend at the end, add the bias, activate.
  const [O0, O1, O2] = plans.map((p) => p.out) as [number, number, number];
  const [C0, C1, C2] = plans.map((p) => p.crop) as [number, number, number];
  const outShape = [batch, ...plans.slice(0, rank).map((p) => p.out), filters];
  const out = zeros(outShape);
  for (let b = 0; b < batch; b++)
    for (let o0 = 0; o0 < O0; o0++)
      for (let o1 = 0; o1 < O1; o1++)
        for (let o2 = 0; o2 < O2; o2++)
          for (let f = 0; f < filters; f++) {
            const q0 = o0 + C0;
            const q1 = o1 + C1;
            const q2 = o2 + C2;
            const inside = q0 < F0 && q1 < F1 && q2 < F2;
            const v = inside ? full[(((b * F0 + q0) * F1 + q1) * F2 + q2) * filters + f]! : 0;
            out.data[(((b * O0 + o0) * O1 + o1) * O2 + o2) * filters + f] = activate(v + (bias ? bias.data[f]! : 0), args.activation);
          }
  return out;
}
