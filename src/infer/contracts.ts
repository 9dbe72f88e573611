import { showShape } from '../diagnostics/describe.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ModelShapes, Shape, SpecIR, TensorRef } from '../ir.js';
import { shapeDifference } from './agree.js';

/** An input's shape comes from its declaration, an output's from inference; undefined when errors left it unknown. */
function shapeOf(spec: SpecIR, inferred: ReadonlyMap<string, ModelShapes>, ref: TensorRef): Shape | undefined {
  if (ref.kind === 'output') return inferred.get(ref.model)?.outputs.find((o) => o.name === ref.name)?.shape;
  const input = spec.models.find((m) => m.name === ref.model)?.inputs.find((i) => i.id === ref.name);
  return input ? [input.batchSize, ...input.shape] : undefined;
}

/**
 * Checks the spec's `contracts:`: both sides must have the same shape (see
 * agree.ts). A side whose model has errors is not checked: those errors say why.
 */
export function checkContracts(spec: SpecIR, inferred: ReadonlyMap<string, ModelShapes>): Diagnostic[] {
  return (spec.contracts ?? []).flatMap((contract) => {
    const [left, right] = [shapeOf(spec, inferred, contract.left), shapeOf(spec, inferred, contract.right)];
    if (!left || !right) return [];
    const difference = shapeDifference(left, right);
    if (difference === undefined) return [];
    const side = (ref: TensorRef, shape: Shape) => ({ message: `${ref.kind} '${ref.name}' of '${ref.model}' is ${showShape(shape)}, declared here`, span: ref.declaration });
    const named = (ref: TensorRef) => `${ref.model}.${ref.name}`;
    return [
      diagnostic('NS4017', contract.span, `contract '${contract.text}' does not hold: ${named(contract.left)} is ${showShape(left)} but ${named(contract.right)} is ${showShape(right)} (${difference})`, {
        notes: [side(contract.left, left), side(contract.right, right)],
      }),
    ];
  });
}
