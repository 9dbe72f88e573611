import { showShape } from '../diagnostics/describe.js';
import type { WeightInfo } from '../ir.js';
import { isAffine, showDim } from './affine.js';
import { arg, cameFrom, expectInputs, knownChannels, weight, type Rule, type RuleContext } from './rule.js';

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
  const weights = [...(arg(ctx.layer, 'scale', true) ? [weight('gamma', shape)] : []), ...(arg(ctx.layer, 'center', true) ? [weight('beta', shape)] : [])];
  return { outputShape: input.shape, weights, macs: 0 };
};

