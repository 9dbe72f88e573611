import { poolOutputLength } from './formulas.js';
import { arg, join, perAxis, positiveLengths, type Rule, spatialInput } from './rule.js';

/** max/averagePooling1d/2d/3d. Strides default to the pool size. Source: tfjs-layers `Pooling*D.computeOutputShape`. */
export function pooling(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const { layer } = ctx;
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { parts, format } = spatialIn;
    const pool = perAxis(layer.args['poolSize'], rank, 2);
    const strides = layer.args['strides'] === undefined ? pool : perAxis(layer.args['strides'], rank, 1);
    const padding = arg<'valid' | 'same'>(layer, 'padding', 'valid');
    const spatial = parts.spatial.map((i, a) => poolOutputLength(i, pool[a]!, strides[a]!, padding));
    const explain = (a: number) => `input ${parts.spatial[a]}, pool ${pool[a]}, stride ${strides[a]}, padding ${padding}`;
    if (!positiveLengths(ctx, spatial, explain, 'poolSize')) return undefined;
    return { outputShape: join({ ...parts, spatial }, format), weights: [], macs: 0 };
  };
}

/** globalAveragePooling1d/2d: one value per channel. */
export function globalPooling(rank: 1 | 2): Rule {
  return (ctx) => {
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { parts } = spatialIn;
    return { outputShape: [parts.batch, parts.channels], weights: [], macs: 0 };
  };
}
