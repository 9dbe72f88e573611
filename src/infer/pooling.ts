import { poolOutputLength } from './formulas.js';
import { arg, expectRank, join, layoutOf, perAxis, positiveLengths, split, type DataFormat, type Rule } from './rule.js';

/** max/averagePooling1d/2d/3d. Strides default to the pool size. Source: tfjs-layers `Pooling*D.computeOutputShape`. */
export function pooling(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const { layer } = ctx;
    const format = arg<DataFormat>(layer, 'dataFormat', 'channelsLast');
    const input = expectRank(ctx, rank + 2, layoutOf(rank, format));
    if (!input) return undefined;
    const parts = split(input.shape, format);
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
    const format = arg<DataFormat>(ctx.layer, 'dataFormat', 'channelsLast');
    const input = expectRank(ctx, rank + 2, layoutOf(rank, format));
    if (!input) return undefined;
    const parts = split(input.shape, format);
    return { outputShape: [parts.batch, parts.channels], weights: [], macs: 0 };
  };
}
