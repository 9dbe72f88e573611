import { showShape } from '../diagnostics/describe.js';
import { choiceParts, withNotes, type Alternative } from '../fix/alternatives.js';
import { optionFix } from '../fix/option-edits.js';
import type { Dim, Span } from '../ir.js';
import { add, sameDim, showDim, type Sized } from './affine.js';
import { withOptions } from './changed-model.js';
import { verified, cameFrom, type Received, type Rule, type RuleContext } from './rule.js';

/** Where the layer's `from` names an input: the mismatch is underlined there. */
function refSpan(ctx: RuleContext, input: Received): Span | undefined {
  return ctx.layer.from[ctx.inputs.indexOf(input)]?.span;
}

function atLeastTwo(ctx: RuleContext): boolean {
  if (ctx.inputs.length >= 2) return true;
  ctx.error('NS4002', `${ctx.layer.type} merges two or more tensors, received ${ctx.inputs.length}`, {
    option: 'from',
    fix: 'list the ids to merge, e.g. `from: [up1, down2]`',
  });
  return false;
}

/**
 * tfjs `Merge.build` throws when two known batch sizes differ; `Concatenate.build`
 * (`strict`) also when only one of them is known.
 */
function differentBatch(ctx: RuleContext, strict: boolean): boolean {
  const inputs = ctx.inputs;
  const first = inputs.find((r) => r.shape[0] !== null) ?? inputs[0]!;
  const other = inputs.find((r) => !sameDim(r.shape[0], first.shape[0]) && (strict || r.shape[0] !== null));
  if (!other) return false;
  ctx.error('NS4003', `${ctx.layer.type} needs equal batch sizes: ${showDim(first.shape[0])} from '${first.id}' vs ${showDim(other.shape[0])} from '${other.id}'`, {
    option: 'from',
    notes: [cameFrom(first), cameFrom(other)],
  });
  return true;
}

/**
 * Concatenation along one axis: every other axis must agree, batch included;
 * an unknown dim agrees only with an unknown dim, as tfjs-layers
 * `Concatenate.build` compares shapes with `arraysEqual`.
 */
export const concatenate: Rule = (ctx) => {
  if (!atLeastTwo(ctx)) return undefined;
  const [first, ...rest] = ctx.inputs as [Received, ...Received[]];
  const rank = first.shape.length;
  const wrongRank = rest.find((r) => r.shape.length !== rank);
  if (wrongRank) {
    return ctx.error('NS4003', `concatenate needs inputs of equal rank: rank ${rank} ${showShape(first.shape)} from '${first.id}' vs rank ${wrongRank.shape.length} ${showShape(wrongRank.shape)} from '${wrongRank.id}'`, {
      option: 'from',
      at: refSpan(ctx, wrongRank),
      notes: [cameFrom(first), cameFrom(wrongRank)],
    });
  }
  const axisArg = (ctx.layer.args['axis'] as number | undefined) ?? -1;
  const axis = axisArg < 0 ? rank + axisArg : axisArg;
  if (axis < 1 || axis >= rank) {
    // Each axis the inputs can be joined along (their other sizes agree) is one alternative; the last one written -1.
    const joinable = Array.from({ length: rank - 1 }, (_, k) => k + 1).filter((a) =>
      ctx.inputs.every((r) => r.shape.every((d, b) => b === 0 || b === a || (d !== null && sameDim(d, first.shape[b])))),
    );
    const alternatives = joinable.reverse().map((a): Alternative => {
      const value = a === rank - 1 ? -1 : a;
      const text = `set \`axis: ${value}\``;
      return { text, edits: verified(ctx, 'NS4009', optionFix(ctx.layer, text, [{ option: 'axis', value }]), (m) => withOptions(m, ctx.layer, { axis: value })) };
    });
    const parts = choiceParts(alternatives, [`use an axis in 1..${rank - 1} (or -1 for the last, the channels in channelsLast)`]);
    return ctx.error('NS4009', `axis ${axisArg} is ${axis === 0 ? 'the batch axis' : 'out of range'} for inputs of rank ${rank}`, {
      option: 'axis',
      ...withNotes(parts),
    });
  }
  const others = (shape: readonly Dim[]) => shape.filter((_, a) => a !== axis && a !== 0);
  if (differentBatch(ctx, true)) return undefined;
  for (const r of rest) {
    if (!first.shape.every((d, a) => a === axis || a === 0 || sameDim(d, r.shape[a]))) {
      const what = axis === rank - 1 && rank > 2 ? 'spatial dims' : `dims off axis ${axisArg}`;
      return ctx.error('NS4003', `concatenate along axis ${axisArg} needs equal ${what}: ${showShape(others(first.shape))} from '${first.id}' vs ${showShape(others(r.shape))} from '${r.id}'`, {
        option: 'from',
        at: refSpan(ctx, r),
        notes: [cameFrom(first), cameFrom(r)],
      });
    }
  }
  const out = first.shape.map((d, a) => (a === 0 ? d : a === axis ? null : ctx.inputs.map((r) => r.shape[a]!).find((x) => x !== null) ?? null));
  const sizes = ctx.inputs.map((r) => r.shape[axis]!);
  out[axis] = sizes.some((s) => s === null) ? null : (sizes as Sized[]).reduce((a, b) => add(a, b), 0);
  return { outputShape: out, weights: [], macs: 0 };
};

/**
 * subtract: the element-wise merge of exactly two tensors (Keras
 * `Subtract.build` rejects any other count), first minus second.
 */
export const subtractMerge: Rule = (ctx) => {
  if (ctx.inputs.length !== 2) {
    return ctx.error('NS4002', `subtract takes exactly 2 inputs, the first minus the second; received ${ctx.inputs.length} (${ctx.inputs.map((i) => `'${i.id}'`).join(', ')})`, {
      option: 'from',
      fix: 'list two ids in `from`: `from: [a, b]` computes a - b',
    });
  }
  return elementwiseMerge(ctx);
};

/**
 * add, multiply, average, maximum, minimum (and subtract) broadcast like tfjs: shapes align from the right; a 1 or an
 * unknown dim stretches. Source: tfjs-layers `Merge.computeElementwiseOpOutputShape`.
 */
export const elementwiseMerge: Rule = (ctx) => {
  if (!atLeastTwo(ctx)) return undefined;
  if (differentBatch(ctx, false)) return undefined;
  let out: Dim[] = ctx.inputs[0]!.shape.slice(1);
  for (const r of ctx.inputs.slice(1)) {
    const other = r.shape.slice(1);
    const [long, short] = out.length >= other.length ? [out, other] : [other, out];
    const merged: Dim[] = long.slice(0, long.length - short.length);
    for (let k = 0; k < short.length; k++) {
      const a = long[long.length - short.length + k]!;
      const b = short[k]!;
      if (a === null || b === null) merged.push(a === 1 ? b : b === 1 ? a : null);
      else if (a === 1 || b === 1 || sameDim(a, b)) merged.push(a === 1 ? b : a);
      else {
        const first = ctx.inputs[0]!;
        return ctx.error('NS4003', `${ctx.layer.type} needs shapes that broadcast: ${showShape(first.shape)} from '${first.id}' vs ${showShape(r.shape)} from '${r.id}' differ at ${showDim(a)} vs ${showDim(b)}`, {
          option: 'from',
          at: refSpan(ctx, r),
          notes: [cameFrom(first), cameFrom(r)],
        });
      }
    }
    out = merged;
  }
  const batch = ctx.inputs.map((r) => r.shape[0]!).find((b) => b !== null) ?? null;
  return { outputShape: [batch, ...out], weights: [], macs: 0 };
};
