import type { Diagnostic, FixEdits } from '../diagnostics/diagnostic.js';
import type { Locator } from '../diagnostics/location.js';
import type { ModelShapes, Shape } from '../ir.js';
import { isAffine, showAffine } from '../infer/affine.js';
import { elementCount } from '../infer/rule.js';

/** One diagnostic in the `check --format json` output (README, CLI), with netspec's notes and fix added. */
export function diagnosticJson(d: Diagnostic, locator: Locator): Record<string, unknown> {
  const where = d.span ? locator.locate(d.span) : undefined;
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(where ?? {}),
    ...(d.notes.length > 0
      ? { notes: d.notes.map((n) => ({ message: n.message, ...(n.span ? locator.locate(n.span) : {}) })) }
      : {}),
    ...(d.fix ? { fix: d.fix } : {}),
    ...(d.fixes ? { fixes: d.fixes.map((f) => fixJson(f, locator)) } : {}),
  };
}

/**
 * A fix as edits: each edit's range as 1-based line and column of its start and
 * end (the end exclusive, as `endColumn` of a diagnostic), the same range as
 * UTF-16 offsets into the file's text, and the text that replaces it.
 */
export function fixJson(fix: FixEdits, locator: Locator): Record<string, unknown> {
  return {
    description: fix.description,
    edits: fix.edits.map((e) => ({ ...locator.locate(e.span), startOffset: e.span.start, endOffset: e.span.end, newText: e.newText })),
  };
}

/** Symbolic dims are strings: `[null, "H/2", "W/2", 64]`. */
function shapeJson(shape: Shape): (number | string | null)[] {
  return shape.map((d) => (isAffine(d) ? showAffine(d) : d));
}

/** One model in the `check --format json` output (README, CLI): shapes include the batch dimension. */
export function modelJson(m: ModelShapes, locator: Locator): Record<string, unknown> {
  return {
    file: m.file,
    name: m.model.name,
    inputs: m.inputs.map((i) => ({ name: i.name, shape: shapeJson(i.shape) })),
    outputs: m.outputs.map((o) => ({ name: o.name, shape: shapeJson(o.shape) })),
    layers: m.layers.map((l) => ({
      id: l.layer.id,
      type: l.layer.type,
      line: locator.locate(l.layer.span).line,
      outputShape: shapeJson(l.outputShape),
      params: l.weights.reduce((sum, w) => sum + elementCount(w.shape), 0),
      macs: l.macs,
    })),
    params: { trainable: m.params.trainable, nonTrainable: m.params.nonTrainable },
  };
}

/** The whole `check --format json` document. */
export function checkJson(diagnostics: readonly Diagnostic[], models: readonly ModelShapes[], locator: Locator): string {
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return JSON.stringify({ ok, diagnostics: diagnostics.map((d) => diagnosticJson(d, locator)), models: models.map((m) => modelJson(m, locator)) }, null, 2) + '\n';
}

/** The `summary --format json` document: every model's shape table. */
export function modelsJson(models: readonly ModelShapes[], locator: Locator): string {
  return JSON.stringify(models.map((m) => modelJson(m, locator)), null, 2) + '\n';
}
