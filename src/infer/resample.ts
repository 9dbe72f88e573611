import { croppedLength, paddedLength, upSampledLength } from './formulas.js';
import { showDim } from './affine.js';
import { join, pairsPerAxis, perAxis, positiveLengths, type Rule, spatialInput } from './rule.js';

/** upSampling1d/2d/3d: each position repeated `size` times per axis. Source: Keras `UpSampling*D`. */
export function upSampling(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { parts, format } = spatialIn;
    const size = perAxis(ctx.layer.args['size'], rank, 2);
    return { outputShape: join({ ...parts, spatial: parts.spatial.map((i, a) => upSampledLength(i, size[a]!)) }, format), weights: [], macs: 0 };
  };
}

/** zeroPadding1d/2d/3d. Source: Keras `ZeroPadding*D`. */
export function zeroPadding(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { parts, format } = spatialIn;
    const pads = pairsPerAxis(ctx.layer.args['padding'], rank, 1);
    return { outputShape: join({ ...parts, spatial: parts.spatial.map((i, a) => paddedLength(i, pads[a]!)) }, format), weights: [], macs: 0 };
  };
}

/** cropping1d/2d/3d; cropping everything away is an error. Source: Keras `Cropping*D`. */
export function cropping(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { parts, format } = spatialIn;
    // Keras defaults: Cropping1D/3D crop 1 per side, Cropping2D nothing.
    const crops = pairsPerAxis(ctx.layer.args['cropping'], rank, rank === 2 ? 0 : 1);
    const spatial = parts.spatial.map((i, a) => croppedLength(i, crops[a]!));
    const explain = (a: number) => `input ${showDim(parts.spatial[a])}, cropping [${crops[a]!.join(', ')}]`;
    if (!positiveLengths(ctx, spatial, explain, 'cropping')) return undefined;
    return { outputShape: join({ ...parts, spatial }, format), weights: [], macs: 0 };
  };
}
