/**
 * The sizes a model may have. Every dimension, weight, parameter count and
 * multiply-add count netspec reports must be finite and exact, and a tensor
 * must be one tfjs can allocate, so a layer that makes anything larger is a
 * located error (NS4018) at that layer rather than an `Infinity` in a summary
 * or a crash in the generated code. See docs/spec-format.md, "Limits".
 */
import { grouped, showShape } from '../diagnostics/describe.js';
import type { Dim, Shape, WeightInfo } from '../ir.js';
import { isAffine } from './affine.js';

/**
 * The most elements one tensor may hold: 2^31 - 1. tfjs-backend-wasm keeps
 * sizes and offsets in 32-bit integers (its heap is a 4 GiB wasm32 memory),
 * and tfjs-core stores shapes and strides as int32 for its kernels; larger
 * tensors cannot be allocated on every backend.
 */
export const maxTensorElements = 2 ** 31 - 1;

/** Parameter and multiply-add counts stay exact integers up to here (2^53 - 1). */
export const maxCount = Number.MAX_SAFE_INTEGER;

/** `more than 2,147,483,647`. */
export const tooMany = (limit: number): string => `more than ${grouped(limit)}`;

/** Why a shape is too large, as the end of "layer 'x': its output ..."; undefined when it fits. */
export function shapeProblem(shape: Shape, what: string): string | undefined {
  const axis = shape.findIndex((d) => typeof d === 'number' && !(d <= maxTensorElements));
  if (axis >= 0) return `${what} would have a dimension (axis ${axis}) of ${tooMany(maxTensorElements)}, the largest tensor tfjs can allocate`;
  const symbolic = shape.findIndex((d) => isAffine(d) && !affineFits(d));
  if (symbolic >= 0) return `${what} has a size (axis ${symbolic}) whose factor, offset or divisor is ${tooMany(maxTensorElements)}, so no size the symbols can take gives a tensor tfjs can allocate`;
  const elements = shape.reduce<number>((n, d) => (typeof d === 'number' ? n * d : n), 1);
  if (!(elements <= maxTensorElements)) {
    const batch = typeof shape[0] === 'number' ? '' : ' per sample';
    return `${what} ${showShape(shape)} would hold ${tooMany(maxTensorElements)} elements${batch}, the largest tensor tfjs can allocate`;
  }
  return undefined;
}

function affineFits(d: Dim): boolean {
  if (!isAffine(d)) return true;
  const fits = (n: number) => Math.abs(n) <= maxTensorElements;
  return fits(d.constant) && fits(d.denominator) && d.terms.every((t) => fits(t.coefficient));
}

/** Why a layer's output, weights or multiply-adds are too large; undefined when they fit. */
export function layerSizeProblem(outputShape: Shape, weights: readonly WeightInfo[], macs: number | null): string | undefined {
  const output = shapeProblem(outputShape, 'its output');
  if (output) return output;
  for (const w of weights) {
    const found = shapeProblem(w.shape, `its ${w.name}`);
    if (found) return found;
  }
  if (macs !== null && !(macs <= maxCount)) return `it would take ${tooMany(maxCount)} multiply-adds per sample, beyond what netspec counts exactly`;
  return undefined;
}

/** Why a model's totals cannot be counted exactly; undefined when they can. */
export function totalsProblem(params: { readonly trainable: number; readonly nonTrainable: number }, macs: number | null): string | undefined {
  if (!(params.trainable + params.nonTrainable <= maxCount)) return `it would have ${tooMany(maxCount)} parameters, beyond what netspec counts exactly`;
  if (macs !== null && !(macs <= maxCount)) return `it would take ${tooMany(maxCount)} multiply-adds per sample, beyond what netspec counts exactly`;
  return undefined;
}
