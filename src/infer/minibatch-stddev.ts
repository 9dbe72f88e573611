import { showShape } from '../diagnostics/describe.js';
import { appendedChannels, minibatchGroupSize } from './formulas.js';
import { fixParts, withNotes, type FixParts } from '../fix/alternatives.js';
import { optionFix } from '../fix/option-edits.js';
import { withOptions } from './changed-model.js';
import { verified, arg, cameFrom, expectInputs, join, split, type DataFormat, type Rule, type RuleContext } from './rule.js';

/** Divisors of `n` below `limit`, largest first: the group sizes a fix can propose. */
function divisorsBelow(n: number, limit: number): number[] {
  const found: number[] = [];
  for (let d = Math.min(n, limit) - 1; d >= 2 && found.length < 2; d--) if (n % d === 0) found.push(d);
  return found;
}

/**
 * minibatchStdDev: one feature map more, holding a statistic of the batch;
 * no weights. `[batch, ..., C]` -> `[batch, ..., C + 1]` for any rank 2 or
 * more (the spatial sizes, symbolic or not, are kept). Multiply-adds are 0,
 * as for the other layers without weights. A fixed batch must split into
 * groups (NS4024); one known only at run time is the runtime's check.
 * Source: ProGAN official `networks_progan.py` `minibatch_stddev_layer`.
 */
/** Each group size that splits the batch, one alternative each; the batch itself is the user's to change. */
function groupSizeFix(ctx: RuleContext, sizes: readonly number[], batch: string): FixParts {
  const alternatives = sizes.map((size) => {
    const text = `set \`groupSize: ${size}\``;
    return { text, edits: verified(ctx, 'NS4024', optionFix(ctx.layer, text, [{ option: 'groupSize', value: size }]), (m) => withOptions(m, ctx.layer, { groupSize: size })) };
  });
  return fixParts(alternatives, [batch]);
}

export const minibatchStdDev: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  if (input.shape.length < 2) {
    return ctx.error('NS4001', `minibatchStdDev expects rank 2 or more [batch, ..., channels], received rank ${input.shape.length} ${showShape(input.shape)} from '${input.id}'`, {
      notes: [cameFrom(input)],
      fix: 'add a reshape before this layer',
    });
  }
  const format = arg<DataFormat>(ctx.layer, 'dataFormat', 'channelsLast');
  const groupSize = arg<number>(ctx.layer, 'groupSize', 4);
  const parts = split(input.shape, format);
  if (typeof parts.batch === 'number') {
    const { divides } = minibatchGroupSize(parts.batch, groupSize);
    if (!divides) {
      const others = divisorsBelow(parts.batch, groupSize);
      return ctx.error('NS4024', `minibatchStdDev with groupSize ${groupSize} needs a batch that is a multiple of ${groupSize} (or at most ${groupSize}); received a batch fixed at ${parts.batch} from '${input.id}'`, {
        option: 'groupSize',
        ...withNotes(groupSizeFix(ctx, others.length > 0 ? others : [parts.batch], `use a batch that is a multiple of ${groupSize}`), [cameFrom(input)]),
      });
    }
  }
  return { outputShape: join({ ...parts, channels: appendedChannels(parts.channels, 1) }, format), weights: [], macs: 0 };
};
