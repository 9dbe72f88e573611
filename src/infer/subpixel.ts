import { showShape } from '../diagnostics/describe.js';
import type { Dim } from '../ir.js';
import { showDim } from './affine.js';
import { blockFoldedLength, blockSpreadLength } from './formulas.js';
import { cameFrom, join, needing, spatialInput, type Requirement, type Rule, type RuleContext } from './rule.js';

/**
 * depthToSpace, spaceToDepth and pixelShuffle: rearrangements of a rank-4
 * tensor between r x r spatial blocks and r*r channel groups. They only move
 * values, so they have no weights and no multiply-adds; which input channel
 * lands where is the runtime's business (src/runtime/subpixel.ts,
 * docs/spec-format.md), the sizes are the same for all three:
 * to space `[H, W, C*r*r] -> [H*r, W*r, C]`, to depth the reverse.
 * Sources: TensorFlow `tf.nn.depth_to_space` / `space_to_depth`, PyTorch `PixelShuffle`.
 */

const axisNames = ['rows', 'cols'];

/** The next multiple of `m` at or above `n`: the size a fix proposes. */
const nextMultiple = (n: number, m: number) => Math.max(m, Math.ceil(n / m) * m);

/** The channels folded by `r*r`, or an error when a known number does not divide. */
function foldChannels(ctx: RuleContext, option: string, r: number, channels: Dim, requirements: Requirement[]): Dim | undefined {
  const group = r * r;
  const input = ctx.inputs[0]!;
  if (typeof channels === 'number' && channels % group !== 0) {
    return ctx.error('NS4009', `${ctx.layer.type} with ${option} ${r} needs a multiple of ${group} (${r}*${r}) channels; received ${showShape(input.shape)} from '${input.id}', with ${channels} channels`, {
      option,
      notes: [cameFrom(input)],
      fix: `give '${input.id}' ${nextMultiple(channels, group)} channels (a multiple of ${group}), or use another ${option}`,
    });
  }
  return blockFoldedLength(channels, group, needing(requirements, () => `'${ctx.layer.id}' (${option} ${r}) to split ${showDim(channels)} channels into groups of ${group}`, option));
}

/** `depthToSpace` (TensorFlow's channel order) and `pixelShuffle` (PyTorch's): channels into r x r blocks of space. */
export function toSpace(option: 'blockSize' | 'upscaleFactor'): Rule {
  return (ctx) => {
    const spatialIn = spatialInput(ctx, 2);
    if (!spatialIn) return undefined;
    const { parts, format } = spatialIn;
    const r = ctx.layer.args[option] as number;
    const requirements: Requirement[] = [];
    const channels = foldChannels(ctx, option, r, parts.channels, requirements);
    if (channels === undefined) return undefined;
    const spatial = parts.spatial.map((i) => blockSpreadLength(i, r));
    return { outputShape: join({ batch: parts.batch, spatial, channels }, format), weights: [], macs: 0, ...(requirements.length > 0 ? { requirements } : {}) };
  };
}

/** `spaceToDepth`: r x r blocks of space into channels, the inverse of depthToSpace. */
export const spaceToDepth: Rule = (ctx) => {
  const spatialIn = spatialInput(ctx, 2);
  if (!spatialIn) return undefined;
  const { input, parts, format } = spatialIn;
  const r = ctx.layer.args['blockSize'] as number;
  const axis = parts.spatial.findIndex((i) => typeof i === 'number' && i % r !== 0);
  if (axis >= 0) {
    const size = parts.spatial[axis] as number;
    return ctx.error('NS4009', `spaceToDepth with blockSize ${r} needs spatial sizes that are multiples of ${r}; received ${showShape(input.shape)} from '${input.id}', whose ${axisNames[axis]} are ${size}`, {
      option: 'blockSize',
      notes: [cameFrom(input)],
      fix: `pad or crop the ${axisNames[axis]} to ${nextMultiple(size, r)} (zeroPadding2d, cropping2d), or use another blockSize`,
    });
  }
  const requirements: Requirement[] = [];
  const spatial = parts.spatial.map((i) => blockFoldedLength(i, r, needing(requirements, () => `'${ctx.layer.id}' (blockSize ${r}) to divide ${showDim(i)} evenly`, 'blockSize')));
  const channels = blockSpreadLength(parts.channels, r * r);
  // A symbolic size divided by r is a requirement on its symbols' multipleOf, checked once the model is inferred.
  return { outputShape: join({ batch: parts.batch, spatial, channels }, format), weights: [], macs: 0, ...(requirements.length > 0 ? { requirements } : {}) };
};
