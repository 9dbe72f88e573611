import { convOutputLength, effectiveKernel, product, type PaddingMode } from './formulas.js';
import { showDim } from './affine.js';
import { arg, join, knownChannels, needing, perAxis, written, positiveLengths, type Requirement, type Rule, spatialInput, weight } from './rule.js';

/**
 * conv1d/2d/3d. Kernel layout `[k..., inChannels, filters]` (tfjs/Keras).
 * Source: tfjs-layers `Conv.computeOutputShape`.
 */
export function conv(rank: 1 | 2 | 3): Rule {
  return (ctx) => {
    const { layer } = ctx;
    const spatialIn = spatialInput(ctx, rank);
    if (!spatialIn) return undefined;
    const { input, parts, format } = spatialIn;
    if (!knownChannels(ctx, input, parts.channels)) return undefined;
    const kernel = perAxis(layer.args['kernelSize'], rank, 1);
    const strides = perAxis(layer.args['strides'], rank, 1);
    const dilation = perAxis(layer.args['dilationRate'], rank, 1);
    const padding = arg<PaddingMode>(layer, 'padding', 'valid');
    if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
      return ctx.error('NS4009', `strides ${written(strides)} > 1 cannot be combined with dilationRate ${written(dilation)} > 1`, { option: 'dilationRate', fix: 'set dilationRate to 1, or strides to 1' });
    }
    const requirements: Requirement[] = [];
    const spatial = parts.spatial.map((i, a) =>
      convOutputLength(i, kernel[a]!, strides[a]!, dilation[a]!, padding, needing(requirements, () => `'${layer.id}' (strides ${written(strides)}) to divide ${showDim(i)} evenly`, 'strides')),
    );
    const explain = (a: number) =>
      `input ${showDim(parts.spatial[a])}, kernel ${kernel[a]}${dilation[a]! > 1 ? ` (dilated to ${effectiveKernel(kernel[a]!, dilation[a]!)})` : ''}, stride ${strides[a]}, padding ${padding}`;
    if (!positiveLengths(ctx, spatial, explain, 'kernelSize')) return undefined;
    const filters = layer.args['filters'] as number;
    const weights = [weight('kernel', [...kernel, parts.channels, filters]), ...(arg(layer, 'useBias', true) ? [weight('bias', [filters])] : [])];
    const positions = product(spatial);
    const macs = positions === null ? null : positions * product(kernel)! * parts.channels * filters;
    return { outputShape: join({ batch: parts.batch, spatial, channels: filters }, format), weights, macs, ...(requirements.length > 0 ? { requirements } : {}) };
  };
}
