/**
 * Every length formula netspec uses, in one place, shared by the compiler and
 * the runtime layers so that both use exactly the same rules. `null` is an
 * unknown length and propagates. A length may also be an affine expression
 * over the spec's symbols (see affine.ts): where a formula divides one, the
 * result is exact only when the division is, and the formula hands that
 * requirement to its `need` callback. See docs/semantics.md.
 */
import type { Affine } from '../ir.js';
import { add, ceilDivide, divide, isAffine, linearPart, multiply, showDim, subtract } from './affine.js';

export type Length = number | null | Affine;

/**
 * Receives an expression that must be a whole number at every legal size of
 * its symbols for a formula's result to be exact (infer checks it against the
 * symbols' `multipleOf`).
 */
export type Need = (whole: Affine) => void;

export type PaddingMode = 'valid' | 'same' | 'causal';

/** `[begin, end]` amounts per axis, as in ONNX and PyTorch. */
export type PadPair = readonly [number, number];

/** Extent of a dilated kernel: `(k - 1) * d + 1`. */
export function effectiveKernel(k: number, d: number): number {
  return (k - 1) * d + 1;
}

/**
 * `ceil(i / s)`. For a symbolic `i` the result stays affine when the symbolic
 * part of `i` divides by `s` at every legal size: that is handed to `need`.
 */
function ceilOver(i: number | Affine, s: number, need: Need | undefined): number | Affine {
  if (!isAffine(i)) return Math.ceil(i / s);
  if (s !== 1) need?.(divide(linearPart(i), s) as Affine);
  return ceilDivide(i, s) as Affine;
}

/**
 * Output length of a convolution or pooling window.
 * Source: Keras `conv_utils.conv_output_length`, tfjs-layers `convOutputLength`.
 * valid: `ceil((i - ek + 1) / s)`; same and causal: `ceil(i / s)`;
 * explicit `[b, e]`: the valid length of the padded input, `ceil((i + b + e - ek + 1) / s)`,
 * which is PyTorch's `floor((i + b + e - ek) / s) + 1` (torch.nn.Conv2d, MaxPool2d, AvgPool2d with ceil_mode=False).
 */
export function convOutputLength(i: number, k: number, s: number, d: number, padding: PaddingMode | PadPair): number;
export function convOutputLength(i: number | null, k: number, s: number, d: number, padding: PaddingMode | PadPair): number | null;
export function convOutputLength(i: Length, k: number, s: number, d: number, padding: PaddingMode | PadPair, need: Need): Length;
export function convOutputLength(i: Length, k: number, s: number, d: number, padding: PaddingMode | PadPair, need?: Need): Length {
  if (i === null) return null;
  const ek = effectiveKernel(k, d);
  if (typeof padding !== 'string') return ceilOver(add(i, padding[0] + padding[1] + 1 - ek), s, need);
  return ceilOver(padding === 'valid' ? add(i, 1 - ek) : i, s, need);
}

/**
 * The padding a `same` convolution adds before the input (TensorFlow's rule:
 * the smaller half goes first). Source: TensorFlow `GetWindowedOutputSize`.
 */
export function samePaddingBefore(i: number, k: number, s: number, d: number): number {
  return samePadding(i, k, s, d)[0];
}

/**
 * `[before, after]` of a `same` window: `max(0, (ceil(i/s) - 1)*s + ek - i)` in
 * all, the smaller half first. Source: TensorFlow `GetWindowedOutputSize`; at
 * stride 1 it is PyTorch's `padding='same'` (`d*(k-1)`, `total // 2` first).
 * It depends on `i` only through `i mod s`.
 */
export function samePadding(i: number, k: number, s: number, d: number): PadPair {
  const total = Math.max(0, (Math.ceil(i / s) - 1) * s + effectiveKernel(k, d) - i);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** `[ek - 1, 0]`: a causal window sees only the past. Source: Keras `Conv1D(padding='causal')`. */
export function causalPadding(k: number, d: number): PadPair {
  return [effectiveKernel(k, d) - 1, 0];
}

/** Length of the full transposed convolution, before any cropping: `(i - 1) * s + ek`. */
export function fullTransposeLength(i: number, k: number, s: number, d: number): number {
  return (i - 1) * s + effectiveKernel(k, d);
}

/**
 * Output length of a transposed convolution.
 * Source: Keras 3 `compute_conv_transpose_output_shape` (docs/semantics.md):
 * valid: `(i-1)*s + ek + op`, or `(i-1)*s + max(ek, s)` without op;
 * same: `i*s` without op, else `(i-1)*s + ek % 2 + op`;
 * explicit `[b, e]`: `(i-1)*s + ek + op - b - e` (ONNX/PyTorch).
 * Only multiplies, so a symbolic `i` needs nothing.
 */
export function convTransposeOutputLength(i: number | null, k: number, s: number, d: number, padding: 'valid' | 'same' | PadPair, op?: number): number | null;
export function convTransposeOutputLength(i: Length, k: number, s: number, d: number, padding: 'valid' | 'same' | PadPair, op?: number): Length;
export function convTransposeOutputLength(i: Length, k: number, s: number, d: number, padding: 'valid' | 'same' | PadPair, op?: number): Length {
  if (i === null) return null;
  const ek = effectiveKernel(k, d);
  const stretched = multiply(subtract(i, 1), s);
  if (padding === 'valid') return add(stretched, op === undefined ? Math.max(ek, s) : ek + op);
  if (padding === 'same') return op === undefined ? multiply(i, s) : add(stretched, (ek % 2) + op);
  return add(stretched, ek + (op ?? 0) - padding[0] - padding[1]);
}

/**
 * `convTransposeOutputLength` written out with the numbers of one axis, for
 * the editor's hover: `(8-1)*2 + 5 + 1 = 20`, `8*2 = 16`. Same source and the
 * same cases: valid `(i-1)*s + max(ek, s)` or `(i-1)*s + ek + op`; same `i*s`
 * or `(i-1)*s + ek%2 + op`; explicit `[b, e]` `(i-1)*s + ek + op - b - e`.
 */
export function convTransposeOutputFormula(i: Length, k: number, s: number, d: number, padding: 'valid' | 'same' | PadPair, op?: number): string {
  const o = convTransposeOutputLength(i, k, s, d, padding, op);
  const shown = i === null ? 'null' : isAffine(i) ? `(${showDim(i)})` : String(i);
  const ek = effectiveKernel(k, d);
  const stretched = `(${shown}-1)*${s}`;
  const plusOp = op === undefined ? '' : ` + ${op}`;
  const text =
    padding === 'valid' ? (op === undefined ? `${stretched} + max(${ek}, ${s})` : `${stretched} + ${ek}${plusOp}`)
    : padding === 'same' ? (op === undefined ? `${shown}*${s}` : `${stretched} + ${ek}%2${plusOp}`)
    : `${stretched} + ${ek}${plusOp} - ${padding[0]} - ${padding[1]}`;
  return `${text} = ${o === null ? 'null' : showDim(o)}`;
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
 * zero-extended at the end). Source: docs/semantics.md; for `same` this is TensorFlow's
 * `conv2d_backprop_input` padding, `floor(max(0, full - o) / 2)`.
 */
export function convTransposeCropBefore(i: number, k: number, s: number, d: number, padding: 'valid' | 'same' | PadPair, o: number): number {
  if (padding === 'valid') return 0;
  if (padding === 'same') return Math.floor(Math.max(0, fullTransposeLength(i, k, s, d) - o) / 2);
  return padding[0];
}

/** Pooling windows follow the convolution rule with dilation 1. Source: tfjs-layers `Pooling2D.computeOutputShape`; explicit pairs: PyTorch `MaxPool2d`. */
export function poolOutputLength(i: number, pool: number, s: number, padding: 'valid' | 'same' | PadPair): number;
export function poolOutputLength(i: number | null, pool: number, s: number, padding: 'valid' | 'same' | PadPair): number | null;
export function poolOutputLength(i: Length, pool: number, s: number, padding: 'valid' | 'same' | PadPair, need: Need): Length;
export function poolOutputLength(i: Length, pool: number, s: number, padding: 'valid' | 'same' | PadPair, need?: Need): Length {
  return convOutputLength(i, pool, s, 1, padding, need ?? (() => undefined));
}

export function upSampledLength(i: number | null, size: number): number | null;
export function upSampledLength(i: Length, size: number): Length;
export function upSampledLength(i: Length, size: number): Length {
  return i === null ? null : multiply(i, size);
}

export function paddedLength(i: number | null, pad: PadPair): number | null;
export function paddedLength(i: Length, pad: PadPair): Length;
export function paddedLength(i: Length, pad: PadPair): Length {
  return i === null ? null : add(i, pad[0] + pad[1]);
}

export function croppedLength(i: number | null, crop: PadPair): number | null;
export function croppedLength(i: Length, crop: PadPair): Length;
export function croppedLength(i: Length, crop: PadPair): Length {
  return i === null ? null : subtract(i, crop[0] + crop[1]);
}

/**
 * An axis a block rearrangement spreads out or stacks up: `i * b`. The spatial
 * axes of depthToSpace and pixelShuffle (b the block size), the channels of
 * spaceToDepth (b the block size squared). Source: TensorFlow `DepthToSpaceOp`
 * and `SpaceToDepthOp` shape functions, PyTorch `PixelShuffle`
 * (`(*, C*r^2, H, W) -> (*, C, H*r, W*r)`).
 */
export function blockSpreadLength(i: number | null, b: number): number | null;
export function blockSpreadLength(i: Length, b: number): Length;
export function blockSpreadLength(i: Length, b: number): Length {
  return i === null ? null : multiply(i, b);
}

/**
 * An axis a block rearrangement folds: `i / b`, exactly. The channels of
 * depthToSpace and pixelShuffle (b the block size squared), the spatial axes
 * of spaceToDepth (b the block size). A number must divide (the shape rule
 * reports it when it does not); a symbolic `i` hands `i / b`, constant
 * included, to `need`. Sources as `blockSpreadLength`.
 */
export function blockFoldedLength(i: number | null, b: number): number | null;
export function blockFoldedLength(i: Length, b: number, need: Need): Length;
export function blockFoldedLength(i: Length, b: number, need?: Need): Length {
  if (i === null) return null;
  if (!isAffine(i)) return i / b;
  const folded = divide(i, b);
  if (b !== 1 && isAffine(folded)) need?.(folded);
  return folded;
}

/** Product of lengths, or null if any is unknown or symbolic (a product of symbols is not affine). */
export function product(lengths: readonly Length[]): number | null {
  let p = 1;
  for (const l of lengths) {
    if (l === null || isAffine(l)) return null;
    p *= l;
  }
  return p;
}

/**
 * The groups of a group normalization: `groups` contiguous blocks of
 * `channels / groups` channels each (channel `c` is in group
 * `floor(c / (channels / groups))`), `-1` meaning one group per channel.
 * Undefined when the groups do not divide the channels. Source: Keras 3
 * `GroupNormalization.build` and `_reshape_into_groups` (the channel axis
 * reshaped to `[groups, channels // groups]`), PyTorch `GroupNorm`
 * (`num_channels` divisible by `num_groups`).
 */
export function channelGroups(channels: number, groups: number): { readonly groups: number; readonly size: number } | undefined {
  const g = groups === -1 ? channels : groups;
  if (g < 1 || g > channels || channels % g !== 0) return undefined;
  return { groups: g, size: channels / g };
}

/**
 * The channels after an axis of `added` new feature maps is appended:
 * `c + added`. minibatchStdDev appends one. Source: ProGAN official
 * `networks_progan.py` `minibatch_stddev_layer` (`tf.concat([x, y], axis=1)`,
 * `y` of `num_new_features` maps).
 */
export function appendedChannels(c: number | null, added: number): number | null;
export function appendedChannels(c: Length, added: number): Length;
export function appendedChannels(c: Length, added: number): Length {
  return c === null ? null : add(c, added);
}

/**
 * The size of minibatchStdDev's groups for a batch of `n`: `min(groupSize, n)`,
 * which must divide `n` (the reshape to `[G, n / G, ...]` fails otherwise).
 * Source: ProGAN official `minibatch_stddev_layer`
 * (`group_size = tf.minimum(group_size, tf.shape(x)[0])`).
 */
export function minibatchGroupSize(n: number, groupSize: number): { size: number; divides: boolean } {
  const size = Math.min(groupSize, n);
  return { size, divides: n % size === 0 };
}

/**
 * Multiply-adds per sample of SAGAN self-attention over `n` positions of `c`
 * channels with query/key width `k`: the three 1x1 projections
 * `n * (2*c*k + c*c)`, the scores `n * n * k`, the weighted sum of values
 * `n * n * c`, and the scale by gamma `n * c`. Null when `n` is unknown or
 * symbolic. Source: SAGAN reference `Self_Attn.forward` (two `torch.bmm`).
 */
export function selfAttentionMacs(n: number | null, c: number, k: number): number | null {
  return n === null ? null : n * (2 * c * k + c * c) + n * n * (k + c) + n * c;
}
