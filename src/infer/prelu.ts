import { showShape } from '../diagnostics/describe.js';
import { isAffine, showDim } from './affine.js';
import { cameFrom, expectInputs, weight, written, type Rule } from './rule.js';

/** `sharedAxes` as a list: Keras and tfjs take one axis or several. */
function sharedAxesOf(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  return typeof value === 'number' ? [value] : (value as readonly number[]).slice();
}

/**
 * prelu: alpha has the input's shape without the batch, with 1 on the shared
 * axes, so every axis it does not share needs a fixed size.
 * Source: Keras 3 `PReLU.build` (`param_shape[i - 1] = 1` for each shared axis), tfjs-layers `PReLU.build`.
 */
export const prelu: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  const rank = input.shape.length;
  if (rank < 2) {
    return ctx.error('NS4001', `prelu expects rank 2 or more [batch, ...], received rank ${rank} ${showShape(input.shape)} from '${input.id}'`, { notes: [cameFrom(input)], fix: 'add a reshape before this layer' });
  }
  const shared = sharedAxesOf(ctx.layer.args['sharedAxes']);
  const outside = shared.find((a) => a < 1 || a >= rank);
  if (outside !== undefined) {
    // Keras would index alpha's shape with `i - 1` and share some other axis, or fail.
    return ctx.error('NS4009', `sharedAxes ${written(shared)} names axis ${outside}, but input ${showShape(input.shape)} of rank ${rank} has axes 1..${rank - 1} after the batch`, {
      option: 'sharedAxes',
      notes: [cameFrom(input)],
      fix: `use axes from 1 to ${rank - 1} (1 is the first axis after the batch)`,
    });
  }
  const alpha = input.shape.slice(1).map((d, k) => (shared.includes(k + 1) ? 1 : d));
  const open = alpha.findIndex((d) => typeof d !== 'number');
  if (open >= 0) {
    const d = alpha[open]!;
    const axis = open + 1;
    const fix = `share axis ${axis} too: \`sharedAxes: [${[...new Set([...shared, axis])].sort((a, b) => a - b).join(', ')}]\`, or give it a fixed size`;
    if (isAffine(d)) {
      return ctx.error('NS4015', `prelu needs a fixed size on every axis it does not share, to create alpha; received ${showShape(input.shape)} from '${input.id}', where axis ${axis} is ${showDim(d)}, which depends on a symbol`, {
        option: 'sharedAxes',
        notes: [cameFrom(input)],
        fix,
      });
    }
    return ctx.error('NS4007', `prelu needs a known size on every axis it does not share, to create alpha; received ${showShape(input.shape)} from '${input.id}', where axis ${axis} is unknown`, {
      option: 'sharedAxes',
      notes: [cameFrom(input)],
      fix,
    });
  }
  return { outputShape: input.shape, weights: [weight('alpha', alpha as number[])], macs: 0 };
};
