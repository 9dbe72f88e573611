import * as tf from '@tensorflow/tfjs';
import { customGradient } from './custom-gradient.js';
import { region } from './tensor-ops.js';

/**
 * The output of one spatial axis of a transposed convolution: `length`
 * positions of the full result, starting `crop` positions in (positions past
 * the end of the full result are zeros). See docs/semantics.md.
 */
export interface AxisWindow {
  readonly crop: number;
  readonly length: number;
}

/**
 * How the full transposed convolution is computed. All give the same values;
 * they differ in speed and in which backends have their gradients.
 * - `native`: tfjs' own transposed-convolution ops (fastest on cpu).
 * - `subpixel`: one stride-1 convolution with a kernel per output phase,
 *   then an interleave (fastest on wasm, and the only one correct there).
 */
export type Algorithm = 'native' | 'subpixel';

let forced: Algorithm | undefined;

/** Forces an algorithm (tests and benchmarks); `undefined` restores the choice per backend. */
export function forceAlgorithm(algorithm: Algorithm | undefined): void {
  forced = algorithm;
}

/** wasm's transposed-convolution kernels are wrong or crash (docs/semantics.md) and it lacks conv2d's filter gradient. */
export function algorithmFor(backend: string): Algorithm {
  return forced ?? (backend === 'wasm' ? 'subpixel' : 'native');
}

type Binary = (x: tf.Tensor, w: tf.Tensor) => tf.Tensor;

const spatialAxes = (rank: number) => Array.from({ length: rank }, (_, a) => a);

const product = (values: readonly number[]) => values.reduce((p, v) => p * v, 1);

/** Every index tuple of an array of extents, the last index fastest (row-major order). */
function tuples(extents: readonly number[]): number[][] {
  return extents.reduce<number[][]>((acc, n) => acc.flatMap((t) => Array.from({ length: n }, (_, i) => [...t, i])), [[]]);
}

/** Row-major flat index of `index` in an array of `extents`. */
const flatIndex = (index: readonly number[], extents: readonly number[]) => index.reduce((flat, i, a) => flat * extents[a]! + i, 0);

/**
 * The rows `order` of `t` seen as `[rows, rest]`, as one tensor `[order.length, ...]`
 * (`-1`: a zero row). Row slices and a concat: tfjs' reverse, gather and rank > 4
 * transposes go element by element on cpu and wasm, and cost more than the
 * convolution they feed. wasm's slice copies its whole input first, so there rows
 * come from groups of about sqrt(rows) rows, each sliced once.
 */
function pickRows(t: tf.Tensor, order: readonly number[]): tf.Tensor {
  const rows = t.shape[0]!;
  const width = t.size / rows;
  const flat = t.reshape([rows, width]);
  const group = tf.getBackend() === 'wasm' ? Math.ceil(Math.sqrt(rows)) : rows;
  const groups = new Map<number, tf.Tensor>();
  const groupOf = (row: number): tf.Tensor => {
    const g = Math.floor(row / group);
    if (group === rows) return flat;
    let rowsOfGroup = groups.get(g);
    if (!rowsOfGroup) groups.set(g, (rowsOfGroup = tf.slice(flat, [g * group, 0], [Math.min(group, rows - g * group), width])));
    return rowsOfGroup;
  };
  let zero: tf.Tensor | undefined;
  const pieces: tf.Tensor[] = [];
  for (let n = 0; n < order.length; ) {
    const row = order[n]!;
    if (row < 0) {
      pieces.push((zero ??= tf.zeros([1, width])));
      n++;
      continue;
    }
    // Runs of consecutive rows in one group become one slice.
    let run = 1;
    while (n + run < order.length && order[n + run] === row + run && Math.floor((row + run) / group) === Math.floor(row / group)) run++;
    pieces.push(tf.slice(groupOf(row), [row % group, 0], [run, width]));
    n += run;
  }
  return pieces.length === 1 ? pieces[0]! : tf.concat(pieces, 0);
}

/** `t` with every spatial axis (the first `rank`) reversed: its flat spatial index runs backwards. */
function flipSpatial(t: tf.Tensor, rank: number): tf.Tensor {
  const taps = product(t.shape.slice(0, rank) as number[]);
  return pickRows(t.reshape([taps, t.size / taps]), Array.from({ length: taps }, (_, n) => taps - 1 - n)).reshape(t.shape);
}

/**
 * wasm's conv3d is a scalar loop (~0.2 GFLOP/s on the bench machine) while
 * its conv2d is XNNPACK (~20 GFLOP/s): there a 3D correlation runs as one conv2d
 * at every depth, with the depth taps stacked on the output channels.
 */
const stacksDepth = (rank: number) => rank === 3 && tf.getBackend() === 'wasm';

/** `[q0, q1, q2, c, f]` -> `[q1, q2, c, q0 * f]`. */
function stackDepth(w: tf.Tensor): tf.Tensor {
  const [q0, q1, q2, c, f] = w.shape as number[] as [number, number, number, number, number];
  return w.reshape([q0, q1 * q2 * c, f]).transpose([1, 0, 2]).reshape([q1, q2, c, q0 * f]);
}

/** The 3D correlation of `x` with a depth-stacked kernel of `q0` depth taps: each tap's share of the conv2d added at its depth offset. */
function correlateStacked(x: tf.Tensor, stacked: tf.Tensor, q0: number): tf.Tensor {
  const [b, d, h, w, c] = x.shape as number[] as [number, number, number, number, number];
  const f = stacked.shape[3]! / q0;
  const z = tf.conv2d(x.reshape([b * d, h, w, c]) as tf.Tensor4D, stacked as tf.Tensor4D, 1, 'valid');
  const [, h2, w2] = z.shape as number[] as [number, number, number];
  const depth = d - q0 + 1;
  // Rank-4 views: wasm slices those in blocks, higher ranks element by element.
  const planes = z.reshape([b, d, h2 * w2, q0 * f]);
  const shares = Array.from({ length: q0 }, (_, u) => tf.slice(planes, [0, u, 0, u * f], [b, depth, h2 * w2, f]));
  return (q0 === 1 ? shares[0]! : tf.addN(shares)).reshape([b, depth, h2, w2, f]);
}

/**
 * The 3D correlation as one conv2d per output depth, with the depth taps joined
 * to the input channels: no wasted work when the output is shallower than the
 * kernel is deep (the kernel gradient, whose kernel is dy), where stacking would waste most.
 */
function correlatePerDepth(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [b, d, h, wd, c] = x.shape as number[] as [number, number, number, number, number];
  const [q0, q1, q2, , f] = w.shape as number[] as [number, number, number, number, number];
  // [b, d, h, w, c] -> [b*h*w, d, c]: a window of depths is then a rank-3 slice.
  const columns = x.reshape([b, d, h * wd, c]).transpose([0, 2, 1, 3]).reshape([b * h * wd, d, c]);
  const filter = w.reshape([q0, q1 * q2, c * f]).transpose([1, 0, 2]).reshape([q1, q2, q0 * c, f]) as tf.Tensor4D;
  const planes = Array.from({ length: d - q0 + 1 }, (_, o) =>
    tf.conv2d(tf.slice(columns, [0, o, 0], [b * h * wd, q0, c]).reshape([b, h, wd, q0 * c]) as tf.Tensor4D, filter, 1, 'valid'),
  );
  return tf.stack(planes, 1);
}

/** A stride-1 valid correlation (tfjs conv2d/conv3d) of rank 1, 2 or 3 (rank 1 runs as 2 with a unit axis). */
function correlate(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  if (x.rank === 3) return tf.conv2d(x.expandDims(1) as tf.Tensor4D, w.expandDims(0) as tf.Tensor4D, 1, 'valid').squeeze([1]);
  if (x.rank === 4) return tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid');
  if (!stacksDepth(3)) return tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'valid');
  // Stacking computes every input depth for every tap: at most twice the work while the output is at least as deep as the kernel.
  const [q0] = w.shape as number[] as [number];
  return x.shape[1]! - q0 + 1 >= q0 ? correlateStacked(x, stackDepth(w), q0) : correlatePerDepth(x, w);
}

/**
 * A stride-1 valid correlation whose gradients are themselves forward
 * correlations, so it trains on every backend that can run conv2d/conv3d
 * (wasm has no conv2d filter gradient and a wrong conv3d input gradient).
 */
const correlateWithGrads: Binary = customGradient((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: correlate(x, w),
    gradFunc: (grad: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, kernel] = saved as [tf.Tensor, tf.Tensor];
      const rank = input.rank - 2;
      const k = kernel.shape.slice(0, rank) as number[];
      // dx: the full correlation of dy with the flipped kernel, channels swapped.
      const flipped = flipSpatial(kernel, rank).transpose([...spatialAxes(rank), rank + 1, rank]);
      const padded = tf.pad(grad, [[0, 0], ...k.map((n): [number, number] => [n - 1, n - 1]), [0, 0]]);
      const dx = correlate(padded, flipped);
      // dw: the batch becomes the channel axis, and dy the kernel.
      const xT = input.transpose([rank + 1, ...spatialAxes(rank).map((a) => a + 1), 0]);
      const dyT = grad.transpose([...spatialAxes(rank).map((a) => a + 1), 0, rank + 1]);
      const dw = correlate(xT, dyT).transpose([...spatialAxes(rank).map((a) => a + 1), 0, rank + 1]);
      return [dx, dw];
    },
  };
});

/**
 * How the sub-pixel form covers one spatial axis of a window. Output position
 * `t = origin + m*s + r` (phase `r`; `m` from `first`, `count` of them) is the
 * sum over slots `u` of input `m + low + u` times kernel tap `taps[u][r]`
 * (-1: none, a zero). The origin is chosen per axis so that few positions and
 * slots are computed that the window does not need.
 */
interface PhaseAxis {
  readonly origin: number;
  readonly first: number;
  readonly count: number;
  readonly low: number;
  readonly taps: readonly (readonly number[])[];
}

/** From `y[t] = sum_n x[n] w[t - n*s]`: phase `r` with `origin + r = a*s + b` reads taps `b + q*s` at inputs `m + a - q`. */
function phaseAxis(k: number, s: number, w: AxisWindow, origin: number): PhaseAxis {
  const first = Math.floor((w.crop - origin) / s);
  const count = Math.floor((w.crop + w.length - 1 - origin) / s) - first + 1;
  const phases = Array.from({ length: s }, (_, r) => {
    const b = (origin + r) % s;
    return { a: Math.floor((origin + r) / s), b, q: Math.max(0, Math.ceil((k - b) / s)) };
  });
  const live = phases.filter((p) => p.q > 0);
  const low = Math.min(...live.map((p) => p.a - p.q + 1));
  const high = Math.max(...live.map((p) => p.a));
  const taps = Array.from({ length: high - low + 1 }, (_, u) =>
    phases.map(({ a, b, q }) => {
      const n = a - low - u;
      return n >= 0 && n < q ? b + n * s : -1;
    }),
  );
  return { origin, first, count, low, taps };
}

/** The origin with the fewest multiply-adds (positions x slots); ties go to the smaller origin. */
function bestPhaseAxis(k: number, s: number, w: AxisWindow): PhaseAxis {
  let best: PhaseAxis | undefined;
  for (let origin = 0; origin < s; origin++) {
    const plan = phaseAxis(k, s, w, origin);
    if (!best || plan.count * plan.taps.length < best.count * best.taps.length) best = plan;
  }
  return best!;
}

/** For each row (slot tuple, then phase tuple) of the sub-pixel kernel, the flat original tap, or -1. */
function subPixelRows(k: readonly number[], axes: readonly PhaseAxis[]): number[] {
  const slots = tuples(axes.map((p) => p.taps.length));
  const phases = tuples(axes.map((p) => p.taps[0]!.length));
  return slots.flatMap((u) =>
    phases.map((r) => {
      const tap = u.map((ua, a) => axes[a]!.taps[ua]![r[a]!]!);
      return tap.some((t) => t < 0) ? -1 : flatIndex(tap, k);
    }),
  );
}

/**
 * The kernel of the sub-pixel form, `[k..., f, c]` -> `[slots..., c, phases * f]`:
 * a permutation of the taps plus zeros, so its gradient is the inverse permutation.
 */
function subPixelKernel(kernel: tf.Tensor, axes: readonly PhaseAxis[]): tf.Tensor {
  const rank = axes.length;
  const k = kernel.shape.slice(0, rank) as number[];
  const [f, c] = kernel.shape.slice(rank) as [number, number];
  const slots = axes.map((p) => p.taps.length);
  const phases = product(axes.map((p) => p.taps[0]!.length));
  const rows = subPixelRows(k, axes);
  const rearrange = customGradient((w: tf.Tensor) => ({
    value: pickRows(w.reshape([product(k), f * c]), rows).reshape([product(slots), phases, f, c]).transpose([0, 3, 1, 2]).reshape([...slots, c, phases * f]),
    gradFunc: (dy: tf.Tensor) => {
      const grad = dy.reshape([product(slots), c, phases, f]).transpose([0, 2, 3, 1]);
      return pickRows(grad.reshape([rows.length, f * c]), Array.from({ length: product(k) }, (_, tap) => rows.indexOf(tap))).reshape(kernel.shape);
    },
  }));
  return rearrange(kernel);
}

/** The filters `cachedFilter` made from a weight, per phase plan, for the value and backend it had then. */
interface CachedFilters {
  readonly weight: WeakRef<tf.Variable>;
  dataId: object;
  backend: string;
  readonly byPlan: Map<string, tf.Tensor>;
}

const filterCache = new WeakMap<tf.Variable, CachedFilters>();
const cachedWeights = new Set<CachedFilters>();

function disposeAll(entry: CachedFilters): void {
  for (const t of entry.byPlan.values()) t.dispose();
  entry.byPlan.clear();
}

/** Frees the filters cached for `kernel`, when the layer that owns it is disposed. */
export function releaseCachedFilters(kernel: tf.Variable): void {
  const entry = filterCache.get(kernel);
  if (!entry) return;
  disposeAll(entry);
  filterCache.delete(kernel);
  cachedWeights.delete(entry);
}

/** Frees the filters of weights that were disposed or collected without their layer's dispose (tfjs frees no tensor memory on collection). */
function sweep(): void {
  for (const entry of cachedWeights) {
    const weight = entry.weight.deref();
    if (weight && !weight.isDisposed) continue;
    disposeAll(entry);
    cachedWeights.delete(entry);
  }
}

/**
 * The filter the correlation of the sub-pixel form takes (see `stacksDepth`),
 * kept across calls while a weight keeps its value: wasm's conv2d (XNNPACK)
 * repacks every filter tensor it has not seen, which costs more than the
 * convolution itself at batch 1. Only without a gradient tape, so gradients flow.
 */
function cachedFilter(kernel: tf.Variable, axes: readonly PhaseAxis[]): tf.Tensor {
  sweep();
  const backend = tf.getBackend();
  let entry = filterCache.get(kernel);
  if (!entry) {
    entry = { weight: new WeakRef(kernel), dataId: kernel.dataId, backend, byPlan: new Map() };
    filterCache.set(kernel, entry);
    cachedWeights.add(entry);
  }
  if (entry.dataId !== kernel.dataId || entry.backend !== backend) {
    // Assigned a new value (setWeights, an optimizer step) or moved to another backend.
    disposeAll(entry);
    entry.dataId = kernel.dataId;
    entry.backend = backend;
  }
  const key = JSON.stringify(axes.map((p) => p.taps));
  let cached = entry.byPlan.get(key);
  // Disposed under us only if someone freed every tensor (tf.engine().reset()).
  if (!cached || cached.isDisposed) {
    cached = tf.keep(
      tf.tidy(() => {
        const filter = subPixelKernel(kernel, axes);
        return stacksDepth(axes.length) ? stackDepth(filter) : filter;
      }),
    );
    entry.byPlan.set(key, cached);
  }
  return cached;
}

type SubPixelCorrelation = (input: tf.Tensor, kernel: tf.Tensor, axes: readonly PhaseAxis[]) => tf.Tensor;

/** The sub-pixel correlation: with a cached filter when nothing records gradients, else differentiable in `kernel`. */
function subPixelCorrelation(input: tf.Tensor, kernel: tf.Tensor, axes: readonly PhaseAxis[]): tf.Tensor {
  if (!(kernel instanceof tf.Variable) || tf.engine().isTapeOn()) return correlateWithGrads(input, subPixelKernel(kernel, axes));
  const filter = cachedFilter(kernel, axes);
  return stacksDepth(axes.length) ? correlateStacked(input, filter, axes[0]!.taps.length) : correlate(input, filter);
}

/**
 * `[b, M..., phases * f]` with phases on the channels -> `[b, M*s..., f]`, one
 * axis at a time from the last, each a rank-4 transpose (wasm and cpu move
 * higher ranks element by element): `[B, M_a, S, s_a * rest]` -> `[B, S, M_a, s_a * rest]`,
 * where `S` is the phases of the axes before `a`. Nothing moves when `S` or `M_a` is 1.
 */
function interleave(y: tf.Tensor, strides: readonly number[]): tf.Tensor {
  const rank = strides.length;
  const [b, ...rest] = y.shape as number[];
  const m = rest.slice(0, rank);
  const f = rest[rank]! / product(strides);
  let t = y;
  for (let a = rank - 1; a >= 0; a--) {
    const before = product(strides.slice(0, a));
    if (before === 1 || m[a] === 1) continue;
    t = t.reshape([b * product(m.slice(0, a)), m[a]!, before, t.size / (b * product(m.slice(0, a + 1)) * before)]).transpose([0, 2, 1, 3]);
  }
  return t.reshape([b, ...m.map((n, a) => n * strides[a]!), f]);
}

/**
 * Sub-pixel form, rank 1 to 3: one stride-1 correlation of the input with a
 * kernel per output phase stacked on the channels, then an interleave. Only
 * the positions the window needs (per axis, up to one stride more) are computed.
 */
function subPixel(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], windows: readonly AxisWindow[], correlation: SubPixelCorrelation = subPixelCorrelation): tf.Tensor {
  const k = kernel.shape.slice(0, strides.length) as number[];
  const axes = windows.map((w, a) => bestPhaseAxis(k[a]!, strides[a]!, w));
  const input = region(
    x,
    axes.map((p) => p.first + p.low),
    axes.map((p) => p.count + p.taps.length - 1),
  );
  const y = interleave(correlation(input, kernel, axes), strides);
  return region(
    y,
    windows.map((w, a) => w.crop - axes[a]!.origin - axes[a]!.first * strides[a]!),
    windows.map((w) => w.length),
  );
}

/**
 * Supplies the filter of the sub-pixel form for a kernel: `make()` builds it,
 * `plan` names the phase plan it was built for (one kernel can need several).
 * A caller that keeps the result across calls must own its disposal.
 */
export type SubPixelFilterSource = (plan: string, make: () => tf.Tensor) => tf.Tensor;

/**
 * The sub-pixel form of `transposedConvolution` whatever the backend, with the
 * filter from `filterFor` (which may cache it); no gradients. For kernels that
 * compute with it (src/runtime/wasm-kernels/), where `kernel` is no variable.
 */
export function subPixelTransposedConvolution(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], windows: readonly AxisWindow[], filterFor: SubPixelFilterSource): tf.Tensor {
  return subPixel(x, kernel, strides, windows, (input, k, axes) => {
    const stacked = stacksDepth(axes.length);
    const filter = filterFor(JSON.stringify(axes.map((p) => p.taps)), () => (stacked ? stackDepth(subPixelKernel(k, axes)) : subPixelKernel(k, axes)));
    return stacked ? correlateStacked(input, filter, axes[0]!.taps.length) : correlate(input, filter);
  });
}

/**
 * tfjs' conv2dTranspose (conv2d's input gradient) with explicit padding: it
 * crops `crop` from the start itself, so only the zero-extension is left.
 */
function native2d(x: tf.Tensor4D, kernel: tf.Tensor4D, strides: readonly number[], windows: readonly AxisWindow[]): tf.Tensor {
  const spatial = x.shape.slice(1, 3);
  const k = kernel.shape.slice(0, 2);
  const full = spatial.map((i, a) => (i - 1) * strides[a]! + k[a]!);
  // The part of the window that overlaps the full result; the op requires the forward shapes to agree exactly.
  const inside = windows.map((w, a) => Math.max(0, Math.min(w.length, full[a]! - w.crop)));
  if (inside.some((n) => n === 0)) return tf.zeros([x.shape[0], ...windows.map((w) => w.length), kernel.shape[2]]);
  const y = nativeWindow(strides as [number, number], windows, full, inside)(x, kernel);
  return region(y, [0, 0], windows.map((w) => w.length));
}

/**
 * tf.conv2dTranspose of the `inside` part of the windows, with gradients that
 * are forward conv2ds: tfjs' own kernel gradient, Conv2DBackpropFilter, reads
 * element by element through TensorBuffer on cpu (~0.03 GFLOP/s, 30x its conv2d).
 */
function nativeWindow(s: [number, number], windows: readonly AxisWindow[], full: readonly number[], inside: readonly number[]): Binary {
  const pad = [[0, 0], ...windows.map((w, a) => [w.crop, full[a]! - w.crop - inside[a]!]), [0, 0]] as [number, number][];
  return customGradient((x: tf.Tensor, kernel: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, kernel]);
    return {
      value: tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, [x.shape[0]!, inside[0]!, inside[1]!, kernel.shape[2]!], s, pad as never),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [input, w] = saved as [tf.Tensor4D, tf.Tensor4D];
        // dy placed in the full result, zeros where the window cropped it.
        const dyFull = region(
          dy,
          windows.map((win) => -win.crop),
          full,
        ) as tf.Tensor4D;
        // dx[n] = sum_j dyFull[n*s + j] w[j]: a strided conv2d.
        const dx = tf.conv2d(dyFull, w, s, 'valid');
        // dw[j] = sum_(b,n) x[b, n] dyFull[b, n*s + j]: filters as the batch, the batch as channels, x as a kernel dilated by s.
        const dw = tf.conv2d(dyFull.transpose([3, 1, 2, 0]) as tf.Tensor4D, input.transpose([1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid', 'NHWC', s).transpose([1, 2, 0, 3]);
        return [dx, dw];
      },
    };
  });
}

/**
 * tfjs' `same` window of a transposed convolution on every axis: the crop
 * `floor((k - s) / 2)` and `in * s` positions (computeConv3DInfo's padding
 * for an output of `in * s`). Its cpu kernel computes that window exactly
 * when no kernel is shorter than its stride (docs/semantics.md).
 */
function isNativeSame(spatial: readonly number[], k: readonly number[], s: readonly number[], windows: readonly AxisWindow[]): boolean {
  return windows.every((w, a) => k[a]! >= s[a]! && w.crop === Math.floor((k[a]! - s[a]!) / 2) && w.length === spatial[a]! * s[a]!);
}

/**
 * tfjs' conv3dTranspose (correct on cpu with `valid` padding, and with
 * `same` when no kernel is shorter than its stride) of the windows, with the
 * gradients tfjs does not register: conv3d for the input and conv3d's filter
 * gradient for the kernel. `same` computes only the window: `valid` and a
 * crop would compute (2n + 2)^3 positions for (2n)^3 at k4 s2, twice the work at n = 4.
 */
function native3d(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], windows: readonly AxisWindow[]): tf.Tensor {
  const s = strides as [number, number, number];
  const spatial = x.shape.slice(1, 4) as number[];
  const k = kernel.shape.slice(0, 3) as number[];
  const full = spatial.map((i, a) => (i - 1) * s[a]! + k[a]!);
  const same = isNativeSame(spatial, k, s, windows);
  const y = customGradient((x: tf.Tensor, kernel: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, kernel]);
    const shape = same ? windows.map((w) => w.length) : full;
    return {
      value: tf.conv3dTranspose(x as tf.Tensor5D, kernel as tf.Tensor5D, [x.shape[0]!, shape[0]!, shape[1]!, shape[2]!, kernel.shape[3]!], s, same ? 'same' : 'valid'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [input, w] = saved as [tf.Tensor5D, tf.Tensor5D];
        // dy placed in the full result, zeros where the window cropped it.
        const grad = (same ? region(dy, windows.map((win) => -win.crop), full) : dy) as tf.Tensor5D;
        const dx = tf.conv3d(grad, w, s, 'valid');
        const dw = tf.engine().runKernel('Conv3DBackpropFilterV2', { x: grad, dy: input }, { strides: s, pad: 'valid', filterShape: w.shape }) as tf.Tensor;
        return [dx, dw];
      },
    };
  })(x, kernel);
  return same
    ? y
    : region(
        y,
        windows.map((w) => w.crop),
        windows.map((w) => w.length),
      );
}

/**
 * The window of the full transposed convolution of `x` (`[b, spatial..., c]`)
 * with `kernel` (`[k..., f, c]`, dilation already materialized), for rank 1 to 3.
 */
export function transposedConvolution(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], windows: readonly AxisWindow[]): tf.Tensor {
  if (algorithmFor(tf.getBackend()) === 'subpixel') return subPixel(x, kernel, strides, windows);
  if (strides.length === 1) {
    // 1D is 2D with a unit first axis.
    const y = native2d(x.expandDims(1) as tf.Tensor4D, kernel.expandDims(0) as tf.Tensor4D, [1, strides[0]!], [{ crop: 0, length: 1 }, windows[0]!]);
    return y.squeeze([1]);
  }
  if (strides.length === 2) return native2d(x as tf.Tensor4D, kernel as tf.Tensor4D, strides, windows);
  return native3d(x, kernel, strides, windows);
}
