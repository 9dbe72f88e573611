import type { LayerIR, SpecIR } from '../ir.js';
import type { Diagnostic } from './diagnostic.js';
import { spanWithin } from './location.js';

/**
 * Layers a `repeat` made share their template's spans, so a diagnostic's place
 * alone cannot tell which iteration it is about; its message names the layer
 * by its id. A diagnostic that names such a layer (`'up2'`) and points into
 * that layer's template (itself or a note) gets the layer's `origin` notes.
 */
export function withLayerOrigins(diagnostics: readonly Diagnostic[], spec: SpecIR): Diagnostic[] {
  const repeated = new Map<string, (LayerIR & Required<Pick<LayerIR, 'origin'>>)[]>();
  for (const layer of spec.models.flatMap((m) => m.layers)) if (layer.origin !== undefined) repeated.set(layer.id, [...(repeated.get(layer.id) ?? []), layer as LayerIR & Required<Pick<LayerIR, 'origin'>>]);
  if (repeated.size === 0) return [...diagnostics];
  return diagnostics.map((d) => {
    // The names quoted in the message, in order, looked up by id: a spec with thousands of repeated layers stays linear.
    const quoted = [...d.message.matchAll(/'([^'\s]+)'/g)].flatMap((m) => repeated.get(m[1]!) ?? []);
    const named = quoted.find((layer) => spanWithin(d.span, layer.span) || d.notes.some((n) => spanWithin(n.span, layer.span)));
    const origin = named?.origin;
    if (!origin || origin.every((o) => d.notes.some((n) => n.message === o.message && n.span?.start === o.span.start))) return d;
    return { ...d, notes: [...d.notes, ...origin] };
  });
}
