import type { Dim } from '../ir.js';
import { convOutputLength, effectiveKernel, product } from './formulas.js';
import { showDim } from './affine.js';
import { axisPadding, describePadding, reflectionBounds, windowPads, type WindowPadding } from './padding.js';
import { withNotes } from '../fix/alternatives.js';
import { unitAlternatives } from '../fix/axis-edits.js';
import { withOptions } from './changed-model.js';
import { verified, arg, join, knownChannels, needing, perAxis, written, positiveLengths, type Bound, type Received, type Requirement, type ArgumentCheck, type Rule, type RuleContext, type Split, type DataFormat, spatialInput, weight } from './rule.js';

/** What every convolution window computes from its input and options, before its own weights. */
export interface ConvWindow {
  readonly input: Received;
  readonly parts: Split & { readonly channels: number };
  readonly format: DataFormat;
  readonly kernel: readonly number[];
  /** Output length per spatial axis. */
  readonly spatial: readonly Dim[];
  readonly requirements: readonly Requirement[];
  readonly bounds: readonly Bound[];
}

/**
 * No stride combined with a dilation in conv, depthwiseConv2d and separableConv:
 * Keras 3 raises, and tfjs' depthwise layer silently drops the dilation.
 */
export function windowArguments(rank: 1 | 2 | 3): ArgumentCheck {
  return (ctx) => {
    const strides = perAxis(ctx.layer.args['strides'], rank, 1);
    const dilation = perAxis(ctx.layer.args['dilationRate'], rank, 1);
    if (!strides.some((s) => s > 1) || !dilation.some((d) => d > 1)) return true;
    ctx.error('NS4009', `strides ${written(strides)} > 1 cannot be combined with dilationRate ${written(dilation)} > 1`, { option: 'dilationRate', ...withNotes(unitAlternatives(ctx.layer, rank, ['dilationRate', 'strides'], (edits, changes) => verified(ctx, 'NS4009', edits, (m) => withOptions(m, ctx.layer, changes)))) });
    return false;
  };
}

/**
 * The shared part of conv, depthwiseConv2d and separableConv: rank and
 * channels checked, output lengths by
 * `convOutputLength`, empty outputs and reflection bounds reported.
 */
export function convWindow(ctx: RuleContext, rank: 1 | 2 | 3): ConvWindow | undefined {
  const { layer } = ctx;
  const spatialIn = spatialInput(ctx, rank);
  if (!spatialIn) return undefined;
  const { input, parts, format } = spatialIn;
  if (!knownChannels(ctx, input, parts.channels)) return undefined;
  const channels = parts.channels;
  const kernel = perAxis(layer.args['kernelSize'], rank, 1);
  const strides = perAxis(layer.args['strides'], rank, 1);
  const dilation = perAxis(layer.args['dilationRate'], rank, 1);
  const padding = arg<WindowPadding>(layer, 'padding', 'valid');
  const requirements: Requirement[] = [];
  const spatial = parts.spatial.map((i, a) =>
    convOutputLength(i, kernel[a]!, strides[a]!, dilation[a]!, axisPadding(padding, a), needing(requirements, () => `'${layer.id}' (strides ${written(strides)}) to divide ${showDim(i)} evenly`, 'strides')),
  );
  const explain = (a: number) =>
    `input ${showDim(parts.spatial[a])}, kernel ${kernel[a]}${dilation[a]! > 1 ? ` (dilated to ${effectiveKernel(kernel[a]!, dilation[a]!)})` : ''}, stride ${strides[a]}, padding ${describePadding(axisPadding(padding, a))}`;
  if (!positiveLengths(ctx, spatial, explain, 'kernelSize')) return undefined;
  const reflect = arg<string>(layer, 'paddingMode', 'zeros') === 'reflect';
  const pads = parts.spatial.map((i, a) => windowPads(axisPadding(padding, a), i, kernel[a]!, strides[a]!, dilation[a]!));
  const bounds = reflect ? reflectionBounds(ctx, parts.spatial, pads, 'padding') : [];
  if (!bounds) return undefined;
  return { input, parts: { ...parts, channels }, format, kernel, spatial, requirements, bounds };
}

/** The requirements and bounds of a window, as the optional fields of a rule's output. */
export function windowExtras(w: ConvWindow): { requirements?: readonly Requirement[]; bounds?: readonly Bound[] } {
  return { ...(w.requirements.length > 0 ? { requirements: w.requirements } : {}), ...(w.bounds.length > 0 ? { bounds: w.bounds } : {}) };
}

/**
 * conv1d/2d/3d. Kernel layout `[k..., inChannels, filters]` (tfjs/Keras).
 * Source: tfjs-layers `Conv.computeOutputShape`; explicit `[begin, end]` pads
 * and `paddingMode: reflect` as PyTorch `torch.nn.Conv1d/2d/3d` (`padding`,
 * `padding_mode`): pad, then a valid convolution.
 */
export function conv(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const w = convWindow(ctx, rank);
    if (!w) return undefined;
    const { layer } = ctx;
    const filters = layer.args['filters'] as number;
    const weights = [weight('kernel', [...w.kernel, w.parts.channels, filters]), ...(arg(layer, 'useBias', true) ? [weight('bias', [filters])] : [])];
    const positions = product(w.spatial);
    const macs = positions === null ? null : positions * product(w.kernel)! * w.parts.channels * filters;
    return { outputShape: join({ batch: w.parts.batch, spatial: w.spatial, channels: filters }, w.format), weights, macs, ...windowExtras(w) };
  };
}

/**
 * depthwiseConv2d: each input channel convolved with its own `depthMultiplier`
 * kernels, output channel `c * depthMultiplier + j` (TensorFlow's order).
 * Weights `depthwise_kernel [k..., C, depthMultiplier]` and `bias [C * depthMultiplier]`.
 * Source: Keras 3 `keras/src/layers/convolutional/base_depthwise_conv.py`,
 * tfjs-layers `DepthwiseConv2D.build`.
 */
export function depthwiseConv(rank: 1 | 2): Rule {
  return (ctx) => {
    const w = convWindow(ctx, rank);
    if (!w) return undefined;
    const { layer } = ctx;
    const multiplier = arg(layer, 'depthMultiplier', 1);
    const out = w.parts.channels * multiplier;
    const weights = [weight('depthwise_kernel', [...w.kernel, w.parts.channels, multiplier]), ...(arg(layer, 'useBias', true) ? [weight('bias', [out])] : [])];
    const positions = product(w.spatial);
    const macs = positions === null ? null : positions * product(w.kernel)! * out;
    return { outputShape: join({ batch: w.parts.batch, spatial: w.spatial, channels: out }, w.format), weights, macs, ...windowExtras(w) };
  };
}

/**
 * separableConv1d/2d: a depthwise convolution, then a 1x1 convolution to
 * `filters`. Weights `depthwise_kernel [k..., C, depthMultiplier]`,
 * `pointwise_kernel [1..., C * depthMultiplier, filters]`, `bias [filters]`.
 * Source: Keras 3 `keras/src/layers/convolutional/base_separable_conv.py`,
 * tfjs-layers `SeparableConv.build`.
 */
export function separableConv(rank: 1 | 2): Rule {
  return (ctx) => {
    const w = convWindow(ctx, rank);
    if (!w) return undefined;
    const { layer } = ctx;
    const multiplier = arg(layer, 'depthMultiplier', 1);
    const filters = layer.args['filters'] as number;
    const depth = w.parts.channels * multiplier;
    const weights = [
      weight('depthwise_kernel', [...w.kernel, w.parts.channels, multiplier]),
      weight('pointwise_kernel', [...w.kernel.map(() => 1), depth, filters]),
      ...(arg(layer, 'useBias', true) ? [weight('bias', [filters])] : []),
    ];
    const positions = product(w.spatial);
    const macs = positions === null ? null : positions * (product(w.kernel)! * depth + depth * filters);
    return { outputShape: join({ batch: w.parts.batch, spatial: w.spatial, channels: filters }, w.format), weights, macs, ...windowExtras(w) };
  };
}
