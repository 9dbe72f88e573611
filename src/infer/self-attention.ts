import { showShape } from '../diagnostics/describe.js';
import { product, selfAttentionMacs } from './formulas.js';
import { arg, cameFrom, knownChannels, spatialInput, weight, type Rule } from './rule.js';

/**
 * selfAttention (SAGAN): keeps its input's shape; weights are three 1x1
 * convolutions in Keras' layout, `query`/`key` `[1, 1, C, C/r]` and `value`
 * `[1, 1, C, C]`, each with a bias, and the scalar `gamma` (for C = 128,
 * r = 8: 2 * (128*16 + 16) + 128*128 + 128 + 1 = 20,641 parameters). The
 * channels must be known (weights) and divide by r (NS4025); the spatial
 * sizes may be anything, symbolic included, since attention runs over
 * however many positions there are.
 * Source: SAGAN reference `sagan_models.py` `Self_Attn.__init__`
 * (`in_dim // 8` query and key channels, `gamma = zeros(1)`).
 */
export const selfAttention: Rule = (ctx) => {
  const spatialIn = spatialInput(ctx, 2);
  if (!spatialIn) return undefined;
  const { input, parts } = spatialIn;
  if (!knownChannels(ctx, input, parts.channels)) return undefined;
  const c = parts.channels;
  const r = arg<number>(ctx.layer, 'reduction', 8);
  if (c < r || c % r !== 0) {
    const fit = Math.max(r, Math.ceil(c / r) * r);
    return ctx.error('NS4025', `selfAttention with reduction ${r} needs a multiple of ${r} channels (the query and key have C / ${r}); received ${showShape(input.shape)} from '${input.id}', with ${c} channels`, {
      option: 'reduction',
      notes: [cameFrom(input)],
      fix: `give '${input.id}' ${fit} channels (a multiple of ${r}), or a reduction that divides ${c}`,
    });
  }
  const k = c / r;
  const weights = [
    weight('query_kernel', [1, 1, c, k]),
    weight('query_bias', [k]),
    weight('key_kernel', [1, 1, c, k]),
    weight('key_bias', [k]),
    weight('value_kernel', [1, 1, c, c]),
    weight('value_bias', [c]),
    weight('gamma', [1]),
  ];
  return { outputShape: input.shape, weights, macs: selfAttentionMacs(product(parts.spatial), c, k) };
};
