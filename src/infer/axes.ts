import { showShape } from '../diagnostics/describe.js';
import { choiceParts, withNotes, type Alternative } from '../fix/alternatives.js';
import { optionFix } from '../fix/option-edits.js';
import { withOptions } from './changed-model.js';
import { verified, cameFrom, expectInputs, expectRank, type Rule } from './rule.js';

/**
 * repeatVector: `[batch, features]` -> `[batch, n, features]`; the features
 * may be symbolic. Source: tfjs-layers `RepeatVector.computeOutputShape`,
 * Keras 3 `RepeatVector.compute_output_shape`.
 */
export const repeatVector: Rule = (ctx) => {
  const input = expectRank(ctx, 2, '[batch, features]');
  if (!input) return undefined;
  const n = ctx.layer.args['n'] as number;
  return { outputShape: [input.shape[0]!, n, input.shape[1]!], weights: [], macs: 0 };
};

/** The permutations of 1..axes that change the fewest entries of `dims`, when it has one entry per axis (and few axes). */
function nearestPermutations(dims: readonly number[], axes: number): number[][] {
  if (dims.length !== axes || axes > 5) return [];
  const all = (rest: readonly number[]): number[][] => (rest.length === 0 ? [[]] : rest.flatMap((d) => all(rest.filter((r) => r !== d)).map((p) => [d, ...p])));
  const changed = (p: readonly number[]) => p.filter((d, k) => d !== dims[k]).length;
  const permutations = all(Array.from({ length: axes }, (_, k) => k + 1));
  const fewest = Math.min(...permutations.map(changed));
  return permutations.filter((p) => changed(p) === fewest);
}

/**
 * permute: output axis i (1-based after the batch) is input axis `dims[i-1]`;
 * `dims` must be a permutation of 1..rank-1, the batch stays first.
 * Source: Keras 3 `Permute` (`dims`, 1-indexed), tfjs-layers `Permute.computeOutputShape`.
 */
export const permute: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  const dims = ctx.layer.args['dims'] as readonly number[];
  const axes = input.shape.length - 1;
  const sorted = [...dims].sort((a, b) => a - b);
  if (dims.length !== axes || sorted.some((d, k) => d !== k + 1)) {
    const what = dims.length !== axes ? `has ${dims.length} entr${dims.length === 1 ? 'y' : 'ies'}, but input ${showShape(input.shape)} has ${axes} ax${axes === 1 ? 'is' : 'es'} after the batch` : `is not a permutation of [${sorted.map((_, k) => k + 1).join(', ')}]`;
    const alternatives = nearestPermutations(dims, axes).map((p): Alternative => {
      const text = `set \`dims: [${p.join(', ')}]\``;
      return { text, edits: verified(ctx, 'NS4009', optionFix(ctx.layer, text, [{ option: 'dims', value: p }]), (m) => withOptions(m, ctx.layer, { dims: p })) };
    });
    const advice = `list each of the axes 1..${axes} once (1 is the first axis after the batch), e.g. \`dims: [${Array.from({ length: axes }, (_, k) => axes - k).join(', ')}]\``;
    return ctx.error('NS4009', `permute dims [${dims.join(', ')}] ${what}`, {
      option: 'dims',
      ...withNotes(choiceParts(alternatives, [advice]), [cameFrom(input)]),
    });
  }
  return { outputShape: [input.shape[0]!, ...dims.map((d) => input.shape[d]!)], weights: [], macs: 0 };
};
