import { showShape } from '../diagnostics/describe.js';
import { product } from './formulas.js';
import { cameFrom, expectInputs, type Rule } from './rule.js';

/** The target with its last entry fitted to `size` elements, when one fits; else what the target must hold. */
function reshapeFix(target: readonly number[], size: number): string {
  const leading = target.slice(0, -1).filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (target.length > 0 && !target.slice(0, -1).includes(-1) && size % leading === 0) {
    const fitted = [...target.slice(0, -1), size / leading];
    return `use targetShape ${showShape(fitted)}, or let netspec infer the last entry: ${showShape([...target.slice(0, -1), -1])}`;
  }
  return `the target must hold ${size} elements, the product of the input's non-batch dims`;
}

/** Reshape keeps the batch; at most one target dim may be -1 (tfjs-layers `Reshape.fixUnknownDimension`). */
export const reshape: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  const target = ctx.layer.args['targetShape'] as readonly number[];
  const unknowns = target.filter((d) => d === -1).length;
  if (unknowns > 1) return ctx.error('NS4009', `reshape target ${showShape(target)} has ${unknowns} entries of -1; at most one can be inferred`, { option: 'targetShape' });
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const size = product(input.shape.slice(1));
  if (size === null) {
    return { outputShape: [input.shape[0]!, ...target.map((d) => (d === -1 ? null : d))], weights: [], macs: 0 };
  }
  if (unknowns === 1 ? size % known !== 0 : size !== known) {
    return ctx.error('NS4005', `cannot reshape ${showShape(input.shape)} (${size} elements per sample) into ${showShape(target)} (${unknowns ? `a multiple of ${known}` : known} elements)`, {
      option: 'targetShape',
      notes: [cameFrom(input)],
      fix: reshapeFix(target, size),
    });
  }
  return { outputShape: [input.shape[0]!, ...target.map((d) => (d === -1 ? size / known : d))], weights: [], macs: 0 };
};

/** Flatten needs rank >= 3 and every non-batch dim known (tfjs-layers `Flatten`). */
export const flatten: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  if (input.shape.length < 3) {
    return ctx.error('NS4001', `flatten expects rank 3 or more, received rank ${input.shape.length} ${showShape(input.shape)} from '${input.id}'; it is already flat`, {
      notes: [cameFrom(input)],
      fix: 'remove the flatten layer',
    });
  }
  const size = product(input.shape.slice(1));
  if (size === null) {
    return ctx.error('NS4007', `flatten needs every non-batch dimension known; received ${showShape(input.shape)} from '${input.id}'`, { notes: [cameFrom(input)] });
  }
  return { outputShape: [input.shape[0]!, size], weights: [], macs: 0 };
};
