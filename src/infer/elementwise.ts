import { showShape } from '../diagnostics/describe.js';
import { normalizeAxis } from './normalization.js';
import { cameFrom, expectInputs, spatialInput, type Rule } from './rule.js';

/** activation, leakyReLU, reLU, elu, gaussianNoise, gaussianDropout: the output has the input's shape. */
export const sameShape: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  return { outputShape: ctx.inputs[0]!.shape, weights: [], macs: 0 };
};

export const softmax: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  if (normalizeAxis(ctx, (ctx.layer.args['axis'] as number | undefined) ?? -1, input.shape.length) === undefined) return undefined;
  return { outputShape: input.shape, weights: [], macs: 0 };
};

/** A dropout noise shape must match the input's rank, with 1 on axes that share one mask value. */
export const dropout: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  const noise = ctx.layer.args['noiseShape'] as readonly (number | null)[] | undefined;
  if (noise) {
    const bad = noise.length !== input.shape.length ? 0 : noise.findIndex((d, a) => d !== null && d !== 1 && input.shape[a] !== null && d !== input.shape[a]);
    if (noise.length !== input.shape.length || bad >= 0) {
      return ctx.error('NS4009', `noiseShape ${showShape(noise)} does not fit input ${showShape(input.shape)}: it needs the same rank, with 1 or the input's size on each axis`, {
        option: 'noiseShape',
        notes: [cameFrom(input)],
      });
    }
  }
  return { outputShape: input.shape, weights: [], macs: 0 };
};

/**
 * spatialDropout1d/2d/3d: the input's shape, which must be `[batch, spatial..., channels]`
 * (or channels first): the mask is drawn per sample and channel.
 * Source: Keras 3 `keras/src/layers/regularization/spatial_dropout.py`.
 */
export function spatialDropout(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    return { outputShape: spatialIn.input.shape, weights: [], macs: 0 };
  };
}
