import { poolOutputLength, type PadPair } from './formulas.js';
import { showDim } from './affine.js';
import { axisPadding, describePadding, poolPadsFit } from './padding.js';
import { arg, join, needing, perAxis, positiveLengths, type Requirement, type ArgumentCheck, type Rule, spatialInput, written } from './rule.js';

/** Explicit pads of at most half the window (poolPadsFit), which need no input shape. */
export function poolArguments(rank: 1 | 2 | 3): ArgumentCheck {
  return (ctx) => poolPadsFit(ctx, perAxis(ctx.layer.args['poolSize'], rank, 2), arg<'valid' | 'same' | readonly PadPair[]>(ctx.layer, 'padding', 'valid'));
}

/**
 * max/averagePooling1d/2d/3d. Strides default to the pool size. Source:
 * tfjs-layers `Pooling*D.computeOutputShape`; explicit `[begin, end]` pads as
 * PyTorch `MaxPool*d`/`AvgPool*d` `padding` (at most half the window).
 */
export function pooling(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const { layer } = ctx;
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { parts, format } = spatialIn;
    const pool = perAxis(layer.args['poolSize'], rank, 2);
    const strides = layer.args['strides'] === undefined ? pool : perAxis(layer.args['strides'], rank, 1);
    const padding = arg<'valid' | 'same' | readonly PadPair[]>(layer, 'padding', 'valid');
    const requirements: Requirement[] = [];
    const option = layer.args['strides'] === undefined ? 'poolSize' : 'strides';
    const spatial = parts.spatial.map((i, a) =>
      poolOutputLength(
        i,
        pool[a]!,
        strides[a]!,
        axisPadding(padding, a) as 'valid' | 'same' | PadPair,
        needing(requirements, () => `'${layer.id}' (${option === 'strides' ? `strides ${written(strides)}` : `poolSize ${written(pool)}`}) to divide ${showDim(i)} evenly`, option),
      ),
    );
    const explain = (a: number) => `input ${showDim(parts.spatial[a])}, pool ${pool[a]}, stride ${strides[a]}, padding ${describePadding(axisPadding(padding, a))}`;
    if (!positiveLengths(ctx, spatial, explain, 'poolSize')) return undefined;
    return { outputShape: join({ ...parts, spatial }, format), weights: [], macs: 0, ...(requirements.length > 0 ? { requirements } : {}) };
  };
}

/**
 * globalAveragePooling1d/2d/3d and globalMaxPooling1d/2d/3d: one value per
 * channel, `[batch, channels]`, or with `keepdims` the pooled axes kept at
 * size 1. Spatial sizes may be anything, symbolic included. Source: Keras 3
 * `GlobalAveragePooling*D` / `GlobalMaxPooling*D` `compute_output_shape`
 * (`data_format`, `keepdims`); tfjs-layers `GlobalPooling1D/2D.computeOutputShape`.
 */
export function globalPooling(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { parts, format } = spatialIn;
    if (arg<boolean>(ctx.layer, 'keepdims', false)) return { outputShape: join({ ...parts, spatial: parts.spatial.map(() => 1) }, format), weights: [], macs: 0 };
    return { outputShape: [parts.batch, parts.channels], weights: [], macs: 0 };
  };
}
