import { convOutputLength, effectiveKernel, product } from './formulas.js';
import { showDim } from './affine.js';
import { axisPadding, describePadding, reflectionBounds, windowPads, type WindowPadding } from './padding.js';
import { arg, join, knownChannels, needing, perAxis, written, positiveLengths, type Requirement, type Rule, spatialInput, weight } from './rule.js';

/**
 * conv1d/2d/3d. Kernel layout `[k..., inChannels, filters]` (tfjs/Keras).
 * Source: tfjs-layers `Conv.computeOutputShape`; explicit `[begin, end]` pads
 * and `paddingMode: reflect` as PyTorch `torch.nn.Conv1d/2d/3d` (`padding`,
 * `padding_mode`): pad, then a valid convolution.
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
    const padding = arg<WindowPadding>(layer, 'padding', 'valid');
    if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
      return ctx.error('NS4009', `strides ${written(strides)} > 1 cannot be combined with dilationRate ${written(dilation)} > 1`, { option: 'dilationRate', fix: 'set dilationRate to 1, or strides to 1' });
    }
    const requirements: Requirement[] = [];
    const spatial = parts.spatial.map((i, a) =>
      convOutputLength(i, kernel[a]!, strides[a]!, dilation[a]!, axisPadding(padding, a), needing(requirements, () => `'${layer.id}' (strides ${written(strides)}) to divide ${showDim(i)} evenly`, 'strides')),
    );
    const explain = (a: number) =>
      `input ${showDim(parts.spatial[a])}, kernel ${kernel[a]}${dilation[a]! > 1 ? ` (dilated to ${effectiveKernel(kernel[a]!, dilation[a]!)})` : ''}, stride ${strides[a]}, padding ${describePadding(axisPadding(padding, a))}`;
    if (!positiveLengths(ctx, spatial, explain, 'kernelSize')) return undefined;
    const reflect = arg<string>(layer, 'paddingMode', 'zeros') === 'reflect';
    const pads = parts.spatial.map((i, a) => windowPads(axisPadding(padding, a), i, kernel[a]!, strides[a]!, dilation[a]!));
    const bounds = reflect ? reflectionBounds(ctx, parts.spatial, pads, 'padding') : [];
    if (!bounds) return undefined;
    const filters = layer.args['filters'] as number;
    const weights = [weight('kernel', [...kernel, parts.channels, filters]), ...(arg(layer, 'useBias', true) ? [weight('bias', [filters])] : [])];
    const positions = product(spatial);
    const macs = positions === null ? null : positions * product(kernel)! * parts.channels * filters;
    return {
      outputShape: join({ batch: parts.batch, spatial, channels: filters }, format),
      weights,
      macs,
      ...(requirements.length > 0 ? { requirements } : {}),
      ...(bounds.length > 0 ? { bounds } : {}),
    };
  };
}
