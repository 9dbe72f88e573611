import type { Code } from '../diagnostics/codes.js';
import type { LayerIR, Span, Value, WeightInfo } from '../ir.js';
import { fixParts, withNotes, type Alternative } from '../fix/alternatives.js';
import { optionFix } from '../fix/option-edits.js';
import { withOptions } from './changed-model.js';
import { verified, weight, type ArgumentCheck, type Rule } from './rule.js';

/** The weight reparametrizations of dense, conv* and conv*Transpose (docs/spec-format.md, "Weight reparametrizations"). */
export const reparametrizations = ['spectralNormalization', 'weightNormalization', 'equalizedLearningRate'] as const;
export type Reparametrization = (typeof reparametrizations)[number];

/** `true` or an options object turns one on; `false` (e.g. to override a default) or leaving it out does not. */
function isOn(value: Value | undefined): boolean {
  return value === true || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

/** The reparametrizations a layer turns on, in the order of `reparametrizations`. */
export function chosenReparametrizations(layer: LayerIR): Reparametrization[] {
  return reparametrizations.filter((r) => isOn(layer.args[r]));
}

/** Options each reparametrization decides itself, with why the other option cannot also be given. */
const overridden: Readonly<Record<Reparametrization, Readonly<Record<string, string>>>> = {
  spectralNormalization: {
    kernelConstraint: 'the layer uses kernel / sigma, recomputed on every call, so a constraint on the stored kernel does not hold for the kernel the layer uses',
  },
  weightNormalization: {
    kernelConstraint: 'the layer uses g * v / ||v||, so a constraint on the stored direction v does not hold for the kernel the layer uses',
  },
  equalizedLearningRate: {
    kernelInitializer: 'the kernel is drawn from a normal of stddev 1 / lrMultiplier and scaled by sqrt(2 / fanIn) * lrMultiplier at run time; another initializer would undo the equalization',
    kernelConstraint: 'the stored kernel is scaled by sqrt(2 / fanIn) * lrMultiplier at run time, so a constraint on it does not hold for the kernel the layer uses',
  },
};

/**
 * The weights a reparametrization adds after the layer's own (as Keras'
 * wrappers add theirs after the wrapped layer's). Both are per the kernel's
 * last axis in the Keras layout: output channels for dense and conv*, input
 * channels for conv*Transpose ([k..., filters, inChannels]).
 * - spectralNormalization: Keras 3 `vector_u` [1, last axis], non-trainable.
 * - weightNormalization: `g`, one per PyTorch dim 0 of the weight, which is
 *   the Keras kernel's last axis for all three families.
 * - equalizedLearningRate adds none.
 */
function addedWeights(chosen: Reparametrization, weights: readonly WeightInfo[]): WeightInfo[] {
  const kernel = weights.find((w) => w.name === 'kernel');
  if (!kernel) return [];
  const last = kernel.shape[kernel.shape.length - 1]!;
  if (chosen === 'spectralNormalization') return [weight('vector_u', [1, last], false)];
  if (chosen === 'weightNormalization') return [weight('g', [last])];
  return [];
}

function within(inner: Span | undefined, outer: Span): boolean {
  return inner !== undefined && inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

/** Removing one option of the layer, as one alternative. */
function removing(ctx: Parameters<ArgumentCheck>[0], code: Code, option: string): Alternative {
  return { text: `remove ${option}`, edits: verified(ctx, code, optionFix(ctx.layer, `remove ${option}`, [{ option, value: undefined }]), (m) => withOptions(m, ctx.layer, { [option]: undefined })) };
}

/** At most one reparametrization (NS4022), none together with an option it decides itself (NS4023). */
export const reparametrizationArguments: ArgumentCheck = (ctx) => {
  const { layer } = ctx;
  const chosen = chosenReparametrizations(layer);
  if (chosen.length > 1) {
      const [first, second] = chosen as [Reparametrization, Reparametrization];
    // A default is located under `defaults:`, outside the layer: the fix turns that one off on this layer.
    const inherited = chosen.find((r) => !within(layer.argSpans[r], layer.span));
    const written = chosen.find((r) => r !== inherited) ?? second;
    const other = written === first ? second : first;
    ctx.error('NS4022', `${first} and ${second} both rescale the kernel; a layer can use only one weight reparametrization`, {
      option: written,
      ...withNotes(
        fixParts(
          inherited
            ? [
                { text: `set \`${inherited}: false\` on this layer`, edits: verified(ctx, 'NS4022', optionFix(layer, `set \`${inherited}: false\``, [{ option: inherited, value: false }]), (m) => withOptions(m, layer, { [inherited]: false })) },
                removing(ctx, 'NS4022', written),
              ]
            : [removing(ctx, 'NS4022', first), removing(ctx, 'NS4022', second)],
        ),
        [{ message: `${other} is turned on ${inherited === other ? 'by a default ' : ''}here`, ...(layer.argSpans[other] ? { span: layer.argSpans[other] } : {}) }],
      ),
    });
    return false;
  }
  const one = chosen[0];
  if (one) {
    const conflict = Object.entries(overridden[one]).find(([option]) => layer.args[option] !== undefined);
    if (conflict) {
      const [option, why] = conflict;
      ctx.error('NS4023', `${option} cannot be combined with ${one}: ${why}`, {
        option,
        ...withNotes(fixParts([removing(ctx, 'NS4023', option), removing(ctx, 'NS4023', one)]), [{ message: `${one} is turned on here`, ...(layer.argSpans[one] ? { span: layer.argSpans[one] } : {}) }]),
      });
      return false;
    }
  }
  return true;
};

/**
 * Wraps the shape rule of a layer with a kernel: the shapes and multiply-adds
 * are the layer's own (the reparametrization works on the weights, once per
 * call, not per sample), with the weights the reparametrization adds.
 */
export function reparametrized(rule: Rule): Rule {
  return (ctx) => {
    const one = chosenReparametrizations(ctx.layer)[0];
    const out = rule(ctx);
    if (!out || !one) return out;
    return { ...out, weights: [...out.weights, ...addedWeights(one, out.weights)] };
  };
}
