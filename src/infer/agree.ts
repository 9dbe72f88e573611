import type { Dim, Shape } from '../ir.js';
import { isAffine, sameDim, showDim } from './affine.js';

/**
 * Whether two sizes can be the same: equal, or unknown (null) on either side.
 * A symbolic size against a number is left to run time, like an unknown one.
 */
function agrees(a: Dim | undefined, b: Dim | undefined): boolean {
  return a === null || b === null || sameDim(a, b) || isAffine(a) !== isAffine(b);
}

/**
 * Whether two shapes can be the same tensor, as composition and contracts
 * compare them: equal rank, and on every axis sizes that agree (see above); the
 * batch (axis 0) thus counts only when both fix it. Returns the first
 * difference, for messages, or undefined when they agree.
 */
export function shapeDifference(a: Shape, b: Shape): string | undefined {
  if (a.length !== b.length) return `rank ${a.length} vs rank ${b.length}`;
  const axis = a.findIndex((d, i) => !agrees(d, b[i]));
  if (axis < 0) return undefined;
  return `${axis === 0 ? 'batch' : `axis ${axis}`}: ${showDim(a[axis])} vs ${showDim(b[axis])}`;
}

/** `declared` with its unknown sizes taken from `given`: the shape a model computes on when fed `given`. */
export function refine(declared: Shape, given: Shape): Dim[] {
  return declared.map((d, i) => d ?? given[i] ?? null);
}
