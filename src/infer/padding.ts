import { fixParts, withNotes, type Alternative, type FixParts } from '../fix/alternatives.js';
import { flowYaml, optionFix } from '../fix/option-edits.js';
import type { Dim } from '../ir.js';
import { layerTypes } from '../validate/schema.js';
import { constantPart, isAffine } from './affine.js';
import { causalPadding, paddedLength, samePadding, type PaddingMode, type PadPair } from './formulas.js';
import { withOptions } from './changed-model.js';
import { verified, cameFrom, join, pairsPerAxis, type Bound, type Rule, type RuleContext, spatialInput } from './rule.js';

/** A window layer's `padding`: a mode, or one explicit `[begin, end]` pair per spatial axis. */
export type WindowPadding = PaddingMode | readonly PadPair[];

/** The padding of one axis: the mode, or that axis's explicit pair. */
export function axisPadding(padding: WindowPadding, axis: number): PaddingMode | PadPair {
  return typeof padding === 'string' ? padding : padding[axis]!;
}

export function describePadding(p: PaddingMode | PadPair): string {
  return typeof p === 'string' ? p : `[${p[0]}, ${p[1]}]`;
}

/**
 * The `[begin, end]` a window of kernel `k`, stride `s`, dilation `d` pads an
 * axis of length `i` with (src/infer/formulas.ts), or undefined where that
 * depends on an unknown length. `same` depends on `i` only through `i mod s`,
 * so a symbolic length whose symbolic part divides by `s` (which the layer
 * requires anyway) pads like its constant part.
 */
export function windowPads(padding: PaddingMode | PadPair, i: Dim, k: number, s: number, d: number): PadPair | undefined {
  if (typeof padding !== 'string') return padding;
  if (padding === 'valid') return [0, 0];
  if (padding === 'causal') return causalPadding(k, d);
  if (i === null) return undefined;
  if (!isAffine(i)) return samePadding(i, k, s, d);
  const c = constantPart(i);
  return Number.isInteger(c) ? samePadding(s + (((c % s) + s) % s), k, s, d) : undefined;
}

/**
 * Less padding (each axis's pad clamped below its length, where the layer writes one number
 * for all), or zero padding: the layer of the same rank, or a convolution's default paddingMode.
 */
function reflectionFix(ctx: RuleContext, spatial: readonly Dim[], i: number, option: string): FixParts {
  const layer = ctx.layer;
  const written = layer.args[option];
  const lengths = spatial.filter((d): d is number => typeof d === 'number');
  const less = typeof written === 'number' && lengths.length === spatial.length && layer.type.startsWith('reflectionPadding') ? lengths.map((l) => Math.min(written, l - 1)) : undefined;
  const clamped = less && less.every((p) => p === less[0]) ? (less[0]! > 0 ? less[0]! : undefined) : less?.map((p) => [p, p]);
  const zeroType = layer.type.replace('reflectionPadding', 'zeroPadding');
  const zero =
    layer.type.startsWith('reflectionPadding') && layerTypes.includes(zeroType)
      ? verified(ctx, 'NS4009', optionFix(layer, `use ${zeroType}`, [{ option: 'type', value: zeroType }]), (m) => withOptions(m, layer, {}, zeroType))
      : layer.args['paddingMode'] === 'reflect'
        ? verified(ctx, 'NS4009', optionFix(layer, 'pad with zeros: remove `paddingMode: reflect`', [{ option: 'paddingMode', value: undefined }]), (m) => withOptions(m, layer, { paddingMode: undefined }))
        : undefined;
  const alternatives: Alternative[] = [];
  if (i > 1) alternatives.push({ text: `pad at most ${i - 1} per side on that axis`, edits: clamped === undefined ? undefined : verified(ctx, 'NS4009', optionFix(layer, `set \`${option}: ${flowYaml(clamped)}\``, [{ option, value: clamped }]), (m) => withOptions(m, layer, { [option]: clamped })) });
  alternatives.push({ text: i > 1 ? 'use zero padding' : 'an axis of length 1 has nothing to reflect: use zero padding', edits: zero });
  return fixParts(alternatives);
}

/**
 * Reflection needs every pad shorter than the axis it reflects (PyTorch
 * `ReflectionPad1d/2d/3d`: "Padding size should be less than the
 * corresponding input dimension"; tf.mirrorPad 'reflect' asserts the same):
 * a located error for a fixed length, a bound checked at the smallest legal
 * sizes for a symbolic one (src/infer/constraints.ts), nothing for an unknown
 * one, where tf.mirrorPad throws at run time if the input is too short.
 * Returns undefined after reporting.
 */
export function reflectionBounds(ctx: RuleContext, spatial: readonly Dim[], pads: readonly (PadPair | undefined)[], option: string): Bound[] | undefined {
  const bounds: Bound[] = [];
  for (let a = 0; a < spatial.length; a++) {
    const i = spatial[a];
    const pad = pads[a];
    if (i === null || i === undefined || pad === undefined) continue;
    const most = Math.max(pad[0], pad[1]);
    if (most === 0) continue;
    if (isAffine(i)) {
      bounds.push({ size: i, least: most + 1, reason: `'${ctx.layer.id}' to reflect ${most} position${most === 1 ? '' : 's'} on spatial axis ${a} (reflection padding must be shorter than the axis)`, option });
      continue;
    }
    if (most < i) continue;
    ctx.error('NS4009', `reflection padding [${pad[0]}, ${pad[1]}] on spatial axis ${a} must be shorter than the axis, which has length ${i} (PyTorch's ReflectionPad and tf.mirrorPad require padding < input size)`, {
      option,
      ...withNotes(reflectionFix(ctx, spatial, i, option), ctx.inputs.map(cameFrom)),
    });
    return undefined;
  }
  return bounds;
}

/**
 * reflectionPadding1d/2d/3d: each spatial axis extended at both ends by its
 * own mirror image, the edge not repeated. Keras has no such layer; the
 * semantics are PyTorch `torch.nn.ReflectionPad1d/2d/3d`, with the `padding`
 * forms and default (1) of Keras `ZeroPadding*D`.
 */
export function reflectionPadding(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { parts, format } = spatialIn;
    const pads = pairsPerAxis(ctx.layer.args['padding'], rank, 1);
    const bounds = reflectionBounds(ctx, parts.spatial, pads, 'padding');
    if (!bounds) return undefined;
    return {
      outputShape: join({ ...parts, spatial: parts.spatial.map((i, a) => paddedLength(i, pads[a]!)) }, format),
      weights: [],
      macs: 0,
      ...(bounds.length > 0 ? { bounds } : {}),
    };
  };
}

/**
 * Explicit pooling pads must be at most half the window, as PyTorch requires
 * (`MaxPool2d`/`AvgPool2d`: "pad should be at most half of kernel size"): a
 * larger pad would make windows that see only padding. Returns false after reporting.
 */
export function poolPadsFit(ctx: Pick<RuleContext, 'layer' | 'error'>, pool: readonly number[], padding: WindowPadding): boolean {
  if (typeof padding === 'string') return true;
  const axis = padding.findIndex((p, a) => Math.max(p[0], p[1]) > Math.floor(pool[a]! / 2));
  if (axis < 0) return true;
  const half = Math.floor(pool[axis]! / 2);
  ctx.error('NS4009', `padding [${padding[axis]![0]}, ${padding[axis]![1]}] on spatial axis ${axis} is more than half the window (poolSize ${pool[axis]}): PyTorch allows at most ${half}, since a larger pad makes windows that see only padding`, {
    option: 'padding',
    fix: half === 0 ? 'a window of 1 takes no padding: use [0, 0] on that axis' : `pad at most ${half} per side on that axis`,
  });
  return false;
}
