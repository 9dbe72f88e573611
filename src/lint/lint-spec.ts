import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { inferGraph } from '../infer/infer-shapes.js';
import type { LayerShapes, ModelShapes, SpecIR } from '../ir.js';
import { ambiguousSize, checkerboard, doubleActivation, unusedLayers, unusedParams, type Finding } from './rules.js';

/**
 * The lints (NS5xxx): likely mistakes that are not errors. The layer's own
 * `lint:` settings win over the spec's; `off` drops a finding, `error` makes
 * it one.
 */
export function lintSpec(spec: SpecIR, models: readonly ModelShapes[], resolvedCleanly: boolean): Diagnostic[] {
  const shapesOf = new Map<string, LayerShapes>();
  for (const m of models) for (const l of m.layers) shapesOf.set(`${m.model.name}/${l.layer.id}`, l);
  // A model with errors has no shapes to report, but the layers before its errors do; the lints read those.
  // One without errors reports only the layers an output depends on; the unused-layer lint reads the others.
  const inferred = new Set(models.filter((m) => m.layers.length === m.model.layers.length).map((m) => m.model.name));
  for (const model of spec.models.filter((m) => !inferred.has(m.name))) {
    for (const l of inferGraph(model).layers) shapesOf.set(`${model.name}/${l.layer.id}`, l);
  }
  // An expression in error may be the one that uses a param.
  const findings: Finding[] = resolvedCleanly ? [...unusedParams(spec)] : [];
  for (const model of spec.models) {
    for (const layer of model.layers) {
      const found = [checkerboard(layer), ambiguousSize(layer, shapesOf.get(`${model.name}/${layer.id}`))];
      findings.push(...found.filter((f): f is Finding => f !== undefined));
    }
    // A model with errors lacks the layers in error: what they would read is not unused.
    if (!model.incomplete) findings.push(...unusedLayers(model, (l) => shapesOf.get(`${model.name}/${l.id}`)));
    findings.push(...doubleActivation(model));
  }
  return findings.flatMap((f) => {
    const own = f.layer?.lint?.[f.code];
    const level = own ?? spec.lint[f.code] ?? 'warning';
    if (level === 'off') return [];
    const raised = level === 'error' ? [{ message: `an error, not a warning, by ${own ? `the lint settings of layer '${f.layer!.id}'` : "the spec's lint settings"}` }] : [];
    const d = diagnostic(f.code, f.span, f.message, { notes: [...(f.notes ?? []), ...raised], ...(f.fix ? { fix: f.fix } : {}), ...(f.fixes ? { fixes: f.fixes } : {}) });
    return [level === 'error' ? { ...d, severity: 'error' as const } : d];
  });
}
