import { showShape } from '../diagnostics/describe.js';
import type { Dim, WeightInfo } from '../ir.js';
import { isAffine, showDim } from './affine.js';
import { channelGroups, product } from './formulas.js';
import { choiceParts, fixParts, withNotes, type Alternative, type FixParts } from '../fix/alternatives.js';
import { removeLayerFix } from '../fix/layer-edits.js';
import { optionFix } from '../fix/option-edits.js';
import { withOptions } from './changed-model.js';
import { verified, arg, cameFrom, expectInputs, knownChannels, weight, type Received, type Rule, type RuleContext } from './rule.js';

/** A possibly negative axis as an index into a shape of `rank`, or undefined if out of range or the batch axis. */
export function normalizeAxis(ctx: RuleContext, axis: number, rank: number, option = 'axis'): number | undefined {
  const index = axis < 0 ? rank + axis : axis;
  if (index >= 1 && index < rank) return index;
  const input = ctx.inputs[0]!;
  ctx.error('NS4009', `${option} ${axis} is ${index === 0 ? 'the batch axis' : 'out of range'} for input ${showShape(input.shape)} of rank ${rank}; use 1..${rank - 1} or -1..-${rank - 1}`, {
    option,
    notes: [cameFrom(input)],
  });
  return undefined;
}

/** Batch normalization: gamma/beta trainable, moving mean/variance not. Source: tfjs-layers `BatchNormalization.build`. */
export const batchNormalization: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  const axis = normalizeAxis(ctx, arg(ctx.layer, 'axis', -1), input.shape.length);
  if (axis === undefined) return undefined;
  const channels = input.shape[axis]!;
  if (!knownChannels(ctx, input, channels)) return undefined;
  const weights: WeightInfo[] = [
    ...(arg(ctx.layer, 'scale', true) ? [weight('gamma', [channels])] : []),
    ...(arg(ctx.layer, 'center', true) ? [weight('beta', [channels])] : []),
    weight('moving_mean', [channels], false),
    weight('moving_variance', [channels], false),
  ];
  return { outputShape: input.shape, weights, macs: 0 };
};

/** Layer normalization: gamma/beta shaped like the normalized axes. Source: tfjs-layers `LayerNormalization.build`. */
export const layerNormalization: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  const raw = arg<number | readonly number[]>(ctx.layer, 'axis', -1);
  const axes: number[] = [];
  for (const a of typeof raw === 'number' ? [raw] : raw) {
    const index = normalizeAxis(ctx, a, input.shape.length);
    if (index === undefined) return undefined;
    // tfjs LayerNormalization.build throws "Found duplicate axes".
    if (axes.includes(index)) return ctx.error('NS4009', `axis ${showShape(raw as readonly number[])} names axis ${index} twice; list each axis once`, { option: 'axis' });
    axes.push(index);
  }
  const dims = axes.map((a) => input.shape[a]!);
  const scale = arg(ctx.layer, 'scale', true);
  const center = arg(ctx.layer, 'center', true);
  // Without gamma and beta nothing is shaped like the normalized axes: the statistics are taken at run time, at any size.
  if (!scale && !center) return { outputShape: input.shape, weights: [], macs: 0 };
  const symbolic = dims.find(isAffine);
  if (symbolic) {
    return ctx.error('NS4015', `layerNormalization needs fixed sizes on the normalized axes to create its weights; received ${showShape(input.shape)} from '${input.id}', where ${showDim(symbolic)} depends on a symbol`, {
      option: 'axis',
      notes: [cameFrom(input)],
      fix: 'normalize over the channel axis (axis: -1), whose size is fixed',
    });
  }
  if (dims.some((d) => d === null)) return ctx.error('NS4007', `layerNormalization needs the normalized axes known; received ${showShape(input.shape)} from '${input.id}'`, { notes: [cameFrom(input)] });
  const shape = dims as number[];
  const weights = [...(scale ? [weight('gamma', shape)] : []), ...(center ? [weight('beta', shape)] : [])];
  return { outputShape: input.shape, weights, macs: 0 };
};


/** The single input of a normalization, of rank `least` or more (batch included). */
function inputOfRank(ctx: RuleContext, least: number, layout: string): Received | undefined {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  if (input.shape.length >= least) return input;
  ctx.error('NS4001', `${ctx.layer.type} expects rank ${least} or more ${layout}, received rank ${input.shape.length} ${showShape(input.shape)} from '${input.id}'`, {
    notes: [cameFrom(input)],
    fix: 'add a reshape before this layer',
  });
  return undefined;
}

/** gamma and beta of shape [channels], in Keras' order (gamma first), as `scale` and `center` ask. */
function perChannelWeights(ctx: RuleContext, channels: number): WeightInfo[] {
  return [...(arg(ctx.layer, 'scale', true) ? [weight('gamma', [channels])] : []), ...(arg(ctx.layer, 'center', true) ? [weight('beta', [channels])] : [])];
}

function hasPerChannelWeights(ctx: RuleContext): boolean {
  return arg(ctx.layer, 'scale', true) || arg(ctx.layer, 'center', true);
}

/** The divisors of `n`, for a fix naming the group counts that would work. */
function divisors(n: number): number[] {
  const found: number[] = [];
  for (let d = 1; d * d <= n; d++) if (n % d === 0) found.push(d, n / d);
  return [...new Set(found)].sort((a, b) => a - b);
}

/**
 * The divisors of the channel count nearest `groups`, one alternative each ("groups: 16 or 32 (divisors of 48 near 40)"),
 * but none that would leave one value per group (NS4021); changing the channel count is for the user to weigh.
 */
function groupsFix(ctx: RuleContext, channels: number, groups: number, others: readonly Dim[]): FixParts {
  const all = divisors(channels);
  const below = all.filter((d) => d < groups).at(-1);
  const above = all.find((d) => d > groups);
  const near = [below, above].filter((d): d is number => d !== undefined);
  const alternatives = near
    .filter((d) => product([channels / d, ...others]) !== 1)
    .map((d): Alternative => {
      const text = `set \`groups: ${d}\``;
      return { text, edits: verified(ctx, 'NS4020', optionFix(ctx.layer, text, [{ option: 'groups', value: d }]), (m) => withOptions(m, ctx.layer, { groups: d })) };
    });
  const listed = `use ${near.map((d) => `\`groups: ${d}\``).join(' or ')} (the divisors of ${channels} are ${all.join(', ')})`;
  const changeChannels = `change the channel count to a multiple of ${groups}`;
  return choiceParts(alternatives, [listed, changeChannels], [changeChannels]);
}

/**
 * NS4021: statistics over one value per sample normalize it to 0, so the
 * output is beta (or 0) whatever the input and no gradient reaches the input.
 * Only fixed sizes are judged; a symbolic size may be larger.
 */
function singleValues(ctx: RuleContext, input: Received, counted: readonly Dim[], what: string, fix: () => FixParts): boolean {
  if (product(counted) !== 1) return false;
  ctx.error('NS4021', `${ctx.layer.type} would normalize single values: ${what} of ${showShape(input.shape)} from '${input.id}' holds 1 value per sample, so every output is ${hasPerChannelWeights(ctx) && arg(ctx.layer, 'center', true) ? 'beta' : '0'} whatever the input`, {
    ...withNotes(fix(), [cameFrom(input)]),
  });
  return true;
}

/**
 * Group normalization (Wu and He 2018): the channels split into `groups`
 * contiguous groups, each normalized per sample over its channels and every
 * other non-batch axis; gamma and beta [channels]. Source: Keras 3
 * `GroupNormalization.build` (channels known, groups dividing them, `-1` one
 * group per channel) and `call`, PyTorch `GroupNorm`.
 */
export const groupNormalization: Rule = (ctx) => {
  const input = inputOfRank(ctx, 2, '[batch, ..., channels]');
  if (!input) return undefined;
  const rank = input.shape.length;
  const axis = normalizeAxis(ctx, arg(ctx.layer, 'axis', -1), rank);
  if (axis === undefined) return undefined;
  const channels = input.shape[axis]!;
  if (typeof channels !== 'number') {
    const why = isAffine(channels) ? `whose channels ${showDim(channels)} depend on a symbol` : 'whose channels are unknown';
    return ctx.error(isAffine(channels) ? 'NS4015' : 'NS4007', `groupNormalization needs a fixed channel count to split into groups; received ${showShape(input.shape)} from '${input.id}', ${why}`, {
      notes: [cameFrom(input)],
      fix: 'give the channel axis a fixed size; only spatial sizes may be symbolic',
    });
  }
  const groups = arg<number>(ctx.layer, 'groups', 32);
  const split = channelGroups(channels, groups);
  const others = input.shape.slice(1).filter((_, k) => k + 1 !== axis);
  if (!split) {
    const received = `${showShape(input.shape)} from '${input.id}'`;
    const problem =
      groups === 0 || groups < -1
        ? `groups ${groups} is not a group count for the ${channels} channels of ${received}`
        : groups > channels
          ? `${groups} groups are more than the ${channels} channels of ${received}`
          : `the ${channels} channels of ${received} do not split into ${groups} equal groups`;
    return ctx.error('NS4020', `groupNormalization: ${problem}${ctx.layer.args['groups'] === undefined ? ' (groups defaults to 32, as in Keras)' : ''}`, {
      ...(ctx.layer.args['groups'] === undefined ? {} : { option: 'groups' }),
      ...withNotes(groups === 0 || groups < -1 ? fixParts([], [`use a divisor of ${channels} (${divisors(channels).join(', ')}), or -1 for one group per channel`]) : groupsFix(ctx, channels, groups, others), [cameFrom(input)]),
    });
  }
  const fewer = () => {
    const text = `use fewer groups (\`groups: 1\` normalizes all ${channels} channels together)`;
    return fixParts([{ text, edits: channels > 1 ? verified(ctx, 'NS4021', optionFix(ctx.layer, 'set `groups: 1`', [{ option: 'groups', value: 1 }]), (m) => withOptions(m, ctx.layer, { groups: 1 })) : undefined }], ['normalize where the spatial size is larger']);
  };
  if (singleValues(ctx, input, [split.size, ...others], `each of the ${split.groups} groups`, fewer)) return undefined;
  return { outputShape: input.shape, weights: perChannelWeights(ctx, channels), macs: 0 };
};

/**
 * Instance normalization (Ulyanov et al. 2016): each channel normalized per
 * sample over the spatial axes, Keras' GroupNormalization with one group per
 * channel; gamma and beta [channels] unless `center` and `scale` are false
 * (PyTorch's InstanceNorm default), when any channel count works.
 */
export const instanceNormalization: Rule = (ctx) => {
  const input = inputOfRank(ctx, 3, '[batch, ...spatial, channels] (it normalizes over the spatial axes)');
  if (!input) return undefined;
  const rank = input.shape.length;
  const axis = normalizeAxis(ctx, arg(ctx.layer, 'axis', -1), rank);
  if (axis === undefined) return undefined;
  const channels = input.shape[axis]!;
  const spatial = input.shape.slice(1).filter((_, k) => k + 1 !== axis);
  const removal = () => {
    const text = 'remove it (a 1x1 output such as a score is usually left unnormalized)';
    return fixParts([{ text, edits: ctx.model && removeLayerFix(ctx.model, ctx.layer, `remove '${ctx.layer.id}'`) }], ['normalize before the spatial size shrinks to 1']);
  };
  if (singleValues(ctx, input, spatial, 'each channel', removal)) return undefined;
  if (!hasPerChannelWeights(ctx)) return { outputShape: input.shape, weights: [], macs: 0 };
  if (!knownChannels(ctx, input, channels)) return undefined;
  return { outputShape: input.shape, weights: perChannelWeights(ctx, channels), macs: 0 };
};

/**
 * Pixelwise feature normalization (Karras et al. 2018, ProGAN, section 4.2):
 * `x / sqrt(mean(x^2 over the channels) + epsilon)` at each position; no weights.
 */
export const pixelNormalization: Rule = (ctx) => {
  const input = inputOfRank(ctx, 2, '[batch, ..., channels]');
  if (!input) return undefined;
  const axis = normalizeAxis(ctx, arg(ctx.layer, 'axis', -1), input.shape.length);
  if (axis === undefined) return undefined;
  const channels = input.shape[axis]!;
  if (product([channels]) === 1) {
    return ctx.error('NS4021', `pixelNormalization would normalize single values: ${showShape(input.shape)} from '${input.id}' has 1 channel, so every output is the sign of its input`, {
      ...(ctx.layer.args['axis'] === undefined ? {} : { option: 'axis' }),
      notes: [cameFrom(input), { message: 'normalize a tensor with more than one channel, or set axis to its channel axis' }],
    });
  }
  return { outputShape: input.shape, weights: [], macs: 0 };
};
