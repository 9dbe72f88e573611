import { convTransposeOutputFormula, convTransposeOutputLength, convTransposeOutputRange, effectiveKernel, product, type PadPair } from './formulas.js';
import type { LayerIR, Shape } from '../ir.js';
import { isAffine, showDim } from './affine.js';
import { arg, cameFrom, join, split, written, knownChannels, perAxis, positiveLengths, type ArgumentCheck, type Rule, spatialInput, weight } from './rule.js';

export type TransposePadding = 'valid' | 'same' | PadPair;

/** Spatial axes of the transposed convolutions, by type; undefined for every other type. */
export const transposeRank: Readonly<Record<string, 1 | 2 | 3>> = { conv1dTranspose: 1, conv2dTranspose: 2, conv3dTranspose: 3 };

/** The padding of one axis: the mode, or that axis's explicit `[begin, end]` pair. */
function axisPadding(padding: 'valid' | 'same' | readonly PadPair[], axis: number): TransposePadding {
  return typeof padding === 'string' ? padding : padding[axis]!;
}

function describePadding(p: TransposePadding): string {
  return typeof p === 'string' ? p : `[${p[0]}, ${p[1]}]`;
}

/** `strides[2]`: axis `a` of an option, indexed as the user wrote it (tf.nn's full forms put batch first). */
function at(layer: LayerIR, option: string, a: number): string {
  return `${option}[${a + (layer.axisOffsets?.[option] ?? 0)}]`;
}

/** The invalid combinations of docs/semantics.md, which need no input shape; reports the first. */
export function transposeArguments(rank: 1 | 2 | 3): ArgumentCheck {
  return (ctx) => {
    const { layer } = ctx;
    const strides = perAxis(layer.args['strides'], rank, 1);
    const dilation = perAxis(layer.args['dilationRate'], rank, 1);
    const outputPadding = layer.args['outputPadding'] === undefined ? undefined : perAxis(layer.args['outputPadding'], rank, 0);
    if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
      ctx.error('NS4008', `strides ${written(strides)} > 1 cannot be combined with dilationRate ${written(dilation)} > 1 (Keras rejects it too)`, {
        option: 'dilationRate',
        fix: 'set dilationRate to 1, or strides to 1',
      });
      return false;
    }
    if (outputPadding) {
      const axis = outputPadding.findIndex((op, a) => op >= strides[a]!);
      if (axis >= 0) {
        const s = strides[axis]!;
        const fixed = outputPadding.map((op, a) => Math.min(op, strides[a]! - 1));
        const remove = fixed.every((op) => op === 0);
        ctx.error('NS4008', `${at(layer, 'outputPadding', axis)} = ${outputPadding[axis]} must be < ${at(layer, 'strides', axis)} = ${s}`, {
          option: 'outputPadding',
          fix: remove ? `remove outputPadding${s === 1 ? '' : ` or keep ${at(layer, 'outputPadding', axis)} in 0..${s - 1}`}` : `keep ${at(layer, 'outputPadding', axis)} in 0..${s - 1}, e.g. outputPadding: ${written(fixed)}`,
        });
        return false;
      }
      if (layer.args['outputShape'] !== undefined) {
        ctx.error('NS4008', 'outputShape and outputPadding both fix the output size; set only one', { option: 'outputPadding', fix: 'remove outputPadding, or outputShape' });
        return false;
      }
    }
    return true;
  };
}

/**
 * conv1d/2d/3dTranspose with Keras 3 semantics (docs/semantics.md). Kernel layout
 * `[k..., filters, inChannels]`; MACs count every kernel tap per input position.
 */
export function convTranspose(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const { layer } = ctx;
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { input, parts, format } = spatialIn;
    if (!knownChannels(ctx, input, parts.channels)) return undefined;
    const kernel = perAxis(layer.args['kernelSize'], rank, 1);
    const strides = perAxis(layer.args['strides'], rank, 1);
    const dilation = perAxis(layer.args['dilationRate'], rank, 1);
    const outputPadding = layer.args['outputPadding'] === undefined ? undefined : perAxis(layer.args['outputPadding'], rank, 0);
    const padding = arg<'valid' | 'same' | readonly PadPair[]>(layer, 'padding', 'valid');
    const requested = layer.args['outputShape'] as readonly number[] | undefined;

    let spatial = parts.spatial.map((i, a) => convTransposeOutputLength(i, kernel[a]!, strides[a]!, dilation[a]!, axisPadding(padding, a), outputPadding?.[a]));
    if (requested) {
      for (let a = 0; a < rank; a++) {
        const i = parts.spatial[a];
        if (i === null || i === undefined) continue;
        if (isAffine(i)) {
          return ctx.error('NS4015', `${at(layer, 'outputShape', a)} = ${requested[a]} fixes a size, but the input length ${showDim(i)} depends on a symbol: the legal outputShape would change with it`, {
            option: 'outputShape',
            notes: [cameFrom(input)],
            fix: 'remove outputShape, and choose among the sizes the input allows with padding and outputPadding',
          });
        }
        const [low, high] = convTransposeOutputRange(i, kernel[a]!, strides[a]!, dilation[a]!, axisPadding(padding, a));
        if (requested[a]! < low || requested[a]! > high) {
          return ctx.error('NS4008', `${at(layer, 'outputShape', a)} = ${requested[a]} is not reachable: legal sizes are ${low}..${high}`, {
            option: 'outputShape',
            notes: [{ message: `input length ${i}, kernel ${kernel[a]}, stride ${strides[a]}, padding ${describePadding(axisPadding(padding, a))}`, span: input.span }],
            fix: `use an ${at(layer, 'outputShape', a)} in ${low}..${high}`,
          });
        }
      }
      spatial = requested.slice();
    }
    const explain = (a: number) =>
      `input ${showDim(parts.spatial[a])}, kernel ${kernel[a]}${dilation[a]! > 1 ? ` (dilated to ${effectiveKernel(kernel[a]!, dilation[a]!)})` : ''}, stride ${strides[a]}, padding ${describePadding(axisPadding(padding, a))}`;
    if (!positiveLengths(ctx, spatial, explain, 'padding')) return undefined;
    const filters = layer.args['filters'] as number;
    const weights = [weight('kernel', [...kernel, filters, parts.channels]), ...(arg(layer, 'useBias', true) ? [weight('bias', [filters])] : [])];
    const positions = product(parts.spatial);
    const macs = positions === null ? null : positions * product(kernel)! * parts.channels * filters;
    return { outputShape: join({ batch: parts.batch, spatial, channels: filters }, format), weights, macs };
  };
}

/**
 * Each spatial axis's output length as `convTranspose` computes it, written
 * out with its numbers (`(8-1)*2 + 5 + 1 = 20`), for a layer that inferred
 * from `input`; empty when `outputShape` fixes the lengths instead.
 */
export function transposeFormulas(layer: LayerIR, input: Shape): string[] {
  const rank = transposeRank[layer.type];
  if (rank === undefined || layer.args['outputShape'] !== undefined) return [];
  const { spatial } = split(input, arg(layer, 'dataFormat', 'channelsLast'));
  const kernel = perAxis(layer.args['kernelSize'], rank, 1);
  const strides = perAxis(layer.args['strides'], rank, 1);
  const dilation = perAxis(layer.args['dilationRate'], rank, 1);
  const outputPadding = layer.args['outputPadding'] === undefined ? undefined : perAxis(layer.args['outputPadding'], rank, 0);
  const padding = arg<'valid' | 'same' | readonly PadPair[]>(layer, 'padding', 'valid');
  return spatial.map((i, a) => convTransposeOutputFormula(i, kernel[a]!, strides[a]!, dilation[a]!, axisPadding(padding, a), outputPadding?.[a]));
}
