import { showShape } from '../diagnostics/describe.js';
import { product } from './formulas.js';
import { divide, isAffine, multiply, showDim, type Sized } from './affine.js';
import { fixParts, withNotes, type Alternative, type FixParts } from '../fix/alternatives.js';
import { removeLayerFix } from '../fix/layer-edits.js';
import { optionFix } from '../fix/option-edits.js';
import { layerTypes } from '../validate/schema.js';
import { withOptions } from './changed-model.js';
import { verified, cameFrom, expectInputs, type Received, type ArgumentCheck, type Requirement, type Rule, type RuleContext, type RuleOutput } from './rule.js';

/** The target with its last entry fitted to `size` elements, or left to netspec (-1), when one fits; else what the target must hold. */
function reshapeFix(ctx: RuleContext, target: readonly number[], size: number): FixParts {
  const layer = ctx.layer;
  const leading = target.slice(0, -1).filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (target.length > 0 && !target.slice(0, -1).includes(-1) && size % leading === 0) {
    const fitted = [...target.slice(0, -1), size / leading];
    const inferred = [...target.slice(0, -1), -1];
    const set = (shape: number[], text: string): Alternative => {
      const edits = optionFix(layer, `set \`targetShape: ${showShape(shape)}\``, [{ option: 'targetShape', value: shape }]);
      return { text, edits: verified(ctx, 'NS4005', edits, (m) => withOptions(m, layer, { targetShape: shape })) };
    };
    return fixParts([set(fitted, `use targetShape ${showShape(fitted)}`), set(inferred, `let netspec infer the last entry: ${showShape(inferred)}`)]);
  }
  return fixParts([], [`the target must hold ${size} elements, the product of the input's non-batch dims`]);
}

/** At most one target dim may be -1 (tfjs-layers `Reshape.fixUnknownDimension`). */
export const reshapeArguments: ArgumentCheck = (ctx) => {
  const target = ctx.layer.args['targetShape'] as readonly number[];
  const unknowns = target.filter((d) => d === -1).length;
  if (unknowns <= 1) return true;
  ctx.error('NS4009', `reshape target ${showShape(target)} has ${unknowns} entries of -1; at most one can be inferred`, { option: 'targetShape', fix: 'keep one -1 and give the other entries their sizes' });
  return false;
};

/** Reshape keeps the batch; at most one target dim may be -1 (tfjs-layers `Reshape.fixUnknownDimension`). */
export const reshape: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  const target = ctx.layer.args['targetShape'] as readonly number[];
  const unknowns = target.filter((d) => d === -1).length;
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const dims = input.shape.slice(1);
  if (!dims.includes(null) && dims.some(isAffine)) return symbolicReshape(ctx, input, target, known, unknowns === 1);
  const size = product(dims);
  if (size === null) {
    return { outputShape: [input.shape[0]!, ...target.map((d) => (d === -1 ? null : d))], weights: [], macs: 0 };
  }
  if (unknowns === 1 ? size % known !== 0 : size !== known) {
    return ctx.error('NS4005', `cannot reshape ${showShape(input.shape)} (${size} elements per sample) into ${showShape(target)} (${unknowns ? `a multiple of ${known}` : known} elements)`, {
      option: 'targetShape',
      ...withNotes(reshapeFix(ctx, target, size), [cameFrom(input)]),
    });
  }
  return { outputShape: [input.shape[0]!, ...target.map((d) => (d === -1 ? size / known : d))], weights: [], macs: 0 };
};

/** `H * W * 3`: the elements per sample of dims some of which are symbolic. */
function elementsText(dims: readonly Sized[]): string {
  return dims.map((d) => (isAffine(d) && (d.terms.length > 1 || d.constant !== 0) ? `(${showDim(d)})` : showDim(d))).join(' * ');
}

/**
 * A reshape of a symbolic size: only a `-1` entry can take it, and it is
 * affine when one dim of the input is (else it is unknown, as tfjs sees it).
 */
function symbolicReshape(ctx: RuleContext, input: Received, target: readonly number[], known: number, inferred: boolean): RuleOutput | undefined {
  const dims = input.shape.slice(1) as Sized[];
  const symbolic = dims.filter(isAffine);
  const fixed = (dims.filter((d) => !isAffine(d)) as number[]).reduce((a, b) => a * b, 1);
  // A product of two symbolic dims is not affine: tfjs (and netspec) then know the -1 entry only at run time.
  const size = symbolic.length === 1 ? multiply(symbolic[0]!, fixed) : undefined;
  const elements = size === undefined ? elementsText(dims) : showDim(size);
  if (!inferred) {
    return ctx.error('NS4015', `cannot reshape ${showShape(input.shape)} into the fixed ${showShape(target)}: the input has ${elements} elements per sample, which depends on a symbol`, {
      option: 'targetShape',
      notes: [cameFrom(input)],
      fix: 'write -1 for the entry that takes the symbolic size, e.g. [-1, ' + String(target[target.length - 1] ?? 1) + ']',
    });
  }
  const rest = size === undefined ? null : (divide(size, known) as Sized);
  const requirements: Requirement[] = isAffine(rest) ? [{ whole: rest, reason: `'${ctx.layer.id}' to reshape ${elements} elements into ${showShape(target)}`, option: 'targetShape' }] : [];
  return { outputShape: [input.shape[0]!, ...target.map((d) => (d === -1 ? rest : d))], weights: [], macs: 0, ...(requirements.length > 0 ? { requirements } : {}) };
}

/** Flatten needs rank >= 3 and every non-batch dim known (tfjs-layers `Flatten`). */
export const flatten: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  if (input.shape.length < 3) {
    const text = `remove '${ctx.layer.id}'`;
    return ctx.error('NS4001', `flatten expects rank 3 or more, received rank ${input.shape.length} ${showShape(input.shape)} from '${input.id}'; it is already flat`, {
      ...withNotes(fixParts([{ text, edits: ctx.model && removeLayerFix(ctx.model, ctx.layer, text) }]), [cameFrom(input)]),
    });
  }
  const symbolic = input.shape.slice(1).find(isAffine);
  if (symbolic && !input.shape.slice(1).includes(null)) {
    // Global pooling keeps the channels whatever the spatial sizes; the one for this rank, if there is one.
    const pooling = `globalAveragePooling${input.shape.length - 2}d`;
    const text = 'use globalAveragePooling (its size does not depend on the input size)';
    const swapped = layerTypes.includes(pooling) && Object.keys(ctx.layer.args).every((o) => o === 'dataFormat') ? optionFix(ctx.layer, `use ${pooling}`, [{ option: 'type', value: pooling }]) : undefined;
    const edits = verified(ctx, 'NS4015', swapped, (m) => withOptions(m, ctx.layer, {}, pooling));
    return ctx.error('NS4015', `flatten needs every non-batch dimension known, as tfjs does; received ${showShape(input.shape)} from '${input.id}', where ${showDim(symbolic)} depends on a symbol`, {
      ...withNotes(fixParts([{ text, edits }], ['give the input a fixed size']), [cameFrom(input)]),
    });
  }
  const size = product(input.shape.slice(1));
  if (size === null) {
    return ctx.error('NS4007', `flatten needs every non-batch dimension known; received ${showShape(input.shape)} from '${input.id}'`, { notes: [cameFrom(input)] });
  }
  return { outputShape: [input.shape[0]!, size], weights: [], macs: 0 };
};
