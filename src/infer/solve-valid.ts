import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { spanWithin } from '../diagnostics/location.js';
import type { ModelIR } from '../ir.js';
import type { GraphPass } from './infer-shapes.js';

/**
 * When a change the solver tries counts as a fix (issue 13): it removes its
 * error and adds no new error where the first pass could already look. Errors
 * that existed before do not count against it, and neither do errors in layers
 * and outputs the first pass skipped because their input was unknown: those lie
 * behind an error and are reported once the fix is applied, as they would be
 * after any other fix. Diagnostics that belong to no layer or output (symbol
 * errors) count against it, to stay on the safe side.
 */

const key = (d: Diagnostic) => `${d.code}@${d.span?.file}:${d.span?.start ?? -1}`;

export type Verdict = (again: GraphPass) => boolean;

export function fixVerdict(model: ModelIR, pass: GraphPass, target: Diagnostic): Verdict {
  const before = new Set(pass.diagnostics.map(key));
  const targetKey = key(target);
  const known = new Set([...model.inputs.map((i) => i.id), ...pass.layers.map((l) => l.layer.id)]);
  const unchecked = model.layers.filter((l) => l.from.some((r) => !known.has(r.id))).map((l) => l.span);
  const uncheckedOutputs = model.outputs.filter((o) => !known.has(o.ref.id)).map((o) => o.shapeSpan ?? o.ref.span);
  const behindAnError = (d: Diagnostic) => [...unchecked, ...uncheckedOutputs].some((span) => spanWithin(d.span, span));
  return (again) => again.diagnostics.every((d) => key(d) !== targetKey && (before.has(key(d)) || behindAnError(d)));
}
