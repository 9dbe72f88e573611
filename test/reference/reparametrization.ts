/**
 * Plain-loop references for the weight reparametrizations of
 * docs/spec-format.md ("Weight reparametrizations"), on Float64Arrays and
 * sharing no code with src/. A kernel in the Keras layout is read as the
 * matrix W [rows, cols], cols its last axis: W[r][c] = data[r * cols + c].
 */
import { zeros, type NdArray } from './conv-transpose.js';

const lastAxis = (a: NdArray) => a.shape[a.shape.length - 1]!;

function normalized(x: Float64Array): Float64Array {
  let sq = 0;
  for (const v of x) sq += v * v;
  const norm = Math.max(Math.sqrt(sq), 1e-12);
  return x.map((v) => v / norm);
}

/** `v = normalize(u W^T)`: v[r] = sum_c u[c] W[r][c]. */
function leftVector(w: NdArray, u: Float64Array): Float64Array {
  const cols = lastAxis(w);
  const v = new Float64Array(w.data.length / cols);
  for (let r = 0; r < v.length; r++) for (let c = 0; c < cols; c++) v[r] += u[c]! * w.data[r * cols + c]!;
  return normalized(v);
}

/** `u = normalize(v W)`: u[c] = sum_r v[r] W[r][c]. */
function rightVector(w: NdArray, v: Float64Array): Float64Array {
  const cols = lastAxis(w);
  const u = new Float64Array(cols);
  for (let r = 0; r < v.length; r++) for (let c = 0; c < cols; c++) u[c] += v[r]! * w.data[r * cols + c]!;
  return normalized(u);
}

/** `v W u^T`. */
function bilinear(w: NdArray, v: Float64Array, u: Float64Array): number {
  const cols = lastAxis(w);
  let s = 0;
  for (let r = 0; r < v.length; r++) for (let c = 0; c < cols; c++) s += v[r]! * w.data[r * cols + c]! * u[c]!;
  return s;
}

/** The vectors spectral normalization divides with: after `iterations` power steps in training, none in inference. */
export function spectralVectors(w: NdArray, u0: Float64Array, iterations: number, training: boolean): { u: Float64Array; v: Float64Array } {
  let u = u0;
  let v = leftVector(w, u);
  if (!training) return { u, v };
  for (let i = 0; i < iterations; i++) {
    if (i > 0) v = leftVector(w, u);
    u = rightVector(w, v);
  }
  return { u, v };
}

/** W / (v W u^T) with the vectors given (held fixed, as the gradient treats them). */
export function spectralKernelRef(w: NdArray, vectors: { u: Float64Array; v: Float64Array }): NdArray {
  const sigma = bilinear(w, vectors.v, vectors.u);
  return { shape: w.shape.slice(), data: w.data.map((x) => x / sigma) };
}

/** g * v / ||v||, the norm over every entry of one last-axis column. */
export function weightNormKernelRef(v: NdArray, g: Float64Array): NdArray {
  const cols = lastAxis(v);
  const norms = new Float64Array(cols);
  for (let n = 0; n < v.data.length; n++) norms[n % cols] += v.data[n]! ** 2;
  return { shape: v.shape.slice(), data: v.data.map((x, n) => (g[n % cols]! * x) / Math.sqrt(norms[n % cols]!)) };
}

/** The per-column norms: weight normalization's initial g. */
export function columnNorms(v: NdArray): Float64Array {
  const cols = lastAxis(v);
  const norms = new Float64Array(cols);
  for (let n = 0; n < v.data.length; n++) norms[n % cols] += v.data[n]! ** 2;
  return norms.map(Math.sqrt);
}

/** The stored kernel times sqrt(2 / fanIn) * m. */
export function equalizedKernelRef(w: NdArray, fanIn: number, m: number): NdArray {
  const scale = Math.sqrt(2 / fanIn) * m;
  return { shape: w.shape.slice(), data: w.data.map((x) => x * scale) };
}

/** `y[..., o] = bias[o] + sum_i x[..., i] * kernel[i][o]`: Keras Dense on the last axis. */
export function denseRef(x: NdArray, kernel: NdArray, bias: NdArray | null): NdArray {
  const [inputs, units] = kernel.shape as [number, number];
  const rows = x.data.length / inputs;
  const y = zeros([...x.shape.slice(0, -1), units]);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < units; o++) {
      let s = bias ? bias.data[o]! : 0;
      for (let i = 0; i < inputs; i++) s += x.data[r * inputs + i]! * kernel.data[i * units + o]!;
      y.data[r * units + o] = s;
    }
  }
  return y;
}
