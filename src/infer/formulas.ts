/**
 * Every length formula netspec uses, in one place. Pure arithmetic with no
 * imports, so the runtime layers use exactly the rules the compiler checks.
 * `null` is an unknown length and propagates. See docs/semantics.md.
 */

export type Length = number | null;

export type PaddingMode = 'valid' | 'same' | 'causal';

/** `[begin, end]` amounts per axis, as in ONNX and PyTorch. */
export type PadPair = readonly [number, number];

/** Extent of a dilated kernel: `(k - 1) * d + 1`. */
export function effectiveKernel(k: number, d: number): number {
  return (k - 1) * d + 1;
}

/**
 * Output length of a convolution or pooling window.
 * Source: Keras `conv_utils.conv_output_length`, tfjs-layers `convOutputLength`.
 * valid: `ceil((i - ek + 1) / s)`; same and causal: `ceil(i / s)`.
 */
export function convOutputLength(i: Length, k: number, s: number, d: number, padding: PaddingMode): Length {
  if (i === null) return null;
  const ek = effectiveKernel(k, d);
  return padding === 'valid' ? Math.ceil((i - ek + 1) / s) : Math.ceil(i / s);
}

/**
 * The padding a `same` convolution adds before the input (TensorFlow's rule:
 * the smaller half goes first). Source: TensorFlow `GetWindowedOutputSize`.
 */
export function samePaddingBefore(i: number, k: number, s: number, d: number): number {
  const out = Math.ceil(i / s);
  return Math.floor(Math.max(0, (out - 1) * s + effectiveKernel(k, d) - i) / 2);
}

/** Length of the full transposed convolution, before any cropping: `(i - 1) * s + ek`. */
export function fullTransposeLength(i: number, k: number, s: number, d: number): number {
  return (i - 1) * s + effectiveKernel(k, d);
}

/**
 * Output length of a transposed convolution.
 * Source: Keras 3 `compute_conv_transpose_output_shape` (BRIEF §2):
 * valid: `(i-1)*s + ek + op`, or `(i-1)*s + max(ek, s)` without op;
 * same: `i*s` without op, else `(i-1)*s + ek % 2 + op`;
 * explicit `[b, e]`: `(i-1)*s + ek + op - b - e` (ONNX/PyTorch).
 */
export function convTransposeOutputLength(i: Length, k: number, s: number, d: number, padding: 'valid' | 'same' | PadPair, op?: number): Length {
  if (i === null) return null;
  const ek = effectiveKernel(k, d);
  if (padding === 'valid') return op === undefined ? (i - 1) * s + Math.max(ek, s) : (i - 1) * s + ek + op;
  if (padding === 'same') return op === undefined ? i * s : (i - 1) * s + (ek % 2) + op;
  return (i - 1) * s + ek + (op ?? 0) - padding[0] - padding[1];
}

/**
 * The output lengths a transposed convolution may be asked for with
 * `outputShape` (as in `tf.nn.conv_transpose`): those the forward convolution
 * maps back to `i`. valid `[(i-1)s+ek, (i-1)s+ek+s-1]`, same `[(i-1)s+1, i*s]`,
 * explicit pads shift the valid range down by `b + e`.
 */
export function convTransposeOutputRange(i: number, k: number, s: number, d: number, padding: 'valid' | 'same' | PadPair): readonly [number, number] {
  if (padding === 'same') return [(i - 1) * s + 1, i * s];
  const low = fullTransposeLength(i, k, s, d) - (padding === 'valid' ? 0 : padding[0] + padding[1]);
  return [low, low + s - 1];
}

/**
 * How many positions of the full transposed convolution are cropped from the
 * start to produce an output of length `o` (the rest is cropped or
 * zero-extended at the end). Source: BRIEF §2; for `same` this is TensorFlow's
 * `conv2d_backprop_input` padding, `floor(max(0, full - o) / 2)`.
 */
export function convTransposeCropBefore(i: number, k: number, s: number, d: number, padding: 'valid' | 'same' | PadPair, o: number): number {
  if (padding === 'valid') return 0;
  if (padding === 'same') return Math.floor(Math.max(0, fullTransposeLength(i, k, s, d) - o) / 2);
  return padding[0];
}

/** Pooling windows follow the convolution rule with dilation 1. Source: tfjs-layers `Pooling2D.computeOutputShape`. */
export function poolOutputLength(i: Length, pool: number, s: number, padding: 'valid' | 'same'): Length {
  return convOutputLength(i, pool, s, 1, padding);
}

export function upSampledLength(i: Length, size: number): Length {
  return i === null ? null : i * size;
}

export function paddedLength(i: Length, pad: PadPair): Length {
  return i === null ? null : i + pad[0] + pad[1];
}

export function croppedLength(i: Length, crop: PadPair): Length {
  return i === null ? null : i - crop[0] - crop[1];
}

/** Product of lengths, or null if any is unknown. */
export function product(lengths: readonly Length[]): Length {
  let p = 1;
  for (const l of lengths) {
    if (l === null) return null;
    p *= l;
  }
  return p;
}
