import { showShape } from '../diagnostics/describe.js';
import { product, selfAttentionMacs } from './formulas.js';
import { fixParts, withNotes, type Alternative, type FixParts } from '../fix/alternatives.js';
import { optionFix } from '../fix/option-edits.js';
import { withOptions } from './changed-model.js';
import { verified, arg, cameFrom, knownChannels, spatialInput, weight, type Rule, type RuleContext } from './rule.js';

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
/**
 * More channels from the layer before (its `filters`, when it is read by this layer alone), or the
 * largest reduction below `r` that divides the channels.
 */
function attentionFix(ctx: RuleContext, source: string, fit: number, c: number, r: number): FixParts {
  const producer = ctx.model?.layers.find((l) => l.id === source);
  const alone = ctx.model?.layers.filter((l) => l.from.some((f) => f.id === source)).length === 1;
  const widening = producer && alone && typeof producer.args['filters'] === 'number' ? optionFix(producer, `set \`filters: ${fit}\` on '${source}'`, [{ option: 'filters', value: fit }]) : undefined;
  const widened = producer && verified(ctx, 'NS4025', widening, (m) => withOptions(m, producer, { filters: fit }));
  const reduction = Array.from({ length: r - 1 }, (_, k) => r - 1 - k).find((d) => c % d === 0);
  const alternatives: Alternative[] = [{ text: `give '${source}' ${fit} channels (a multiple of ${r})`, edits: widened }];
  if (reduction !== undefined) alternatives.push({ text: `set \`reduction: ${reduction}\`, which divides ${c}`, edits: verified(ctx, 'NS4025', optionFix(ctx.layer, `set \`reduction: ${reduction}\``, [{ option: 'reduction', value: reduction }]), (m) => withOptions(m, ctx.layer, { reduction })) });
  else alternatives.push({ text: `use a reduction that divides ${c}` });
  return fixParts(alternatives);
}

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
      ...withNotes(attentionFix(ctx, input.id, fit, c, r), [cameFrom(input)]),
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
