import { showShape } from '../diagnostics/describe.js';
import { product } from './formulas.js';
import { arg, cameFrom, expectInputs, knownChannels, weight, type Rule } from './rule.js';

/** Dense acts on the last axis; any leading axes are kept (tfjs-layers `Dense.computeOutputShape`). */
export const dense: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  if (input.shape.length < 2) {
    return ctx.error('NS4001', `dense expects rank 2 or more [batch, ..., features], received rank ${input.shape.length} ${showShape(input.shape)} from '${input.id}'`, { notes: [cameFrom(input)] });
  }
  const features = input.shape[input.shape.length - 1]!;
  if (!knownChannels(ctx, input, features)) return undefined;
  const units = arg(ctx.layer, 'units', 1);
  const weights = [weight('kernel', [features, units]), ...(arg(ctx.layer, 'useBias', true) ? [weight('bias', [units])] : [])];
  const positions = product(input.shape.slice(1, -1));
  return { outputShape: [...input.shape.slice(0, -1), units], weights, macs: positions === null ? null : positions * features * units };
};
