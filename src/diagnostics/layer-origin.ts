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
  const repeated = spec.models.flatMap((m) => m.layers).filter((l): l is LayerIR & Required<Pick<LayerIR, 'origin'>> => l.origin !== undefined);
  if (repeated.length === 0) return [...diagnostics];
  return diagnostics.map((d) => {
    const named = repeated
      .map((layer) => ({ layer, at: d.message.indexOf(`'${layer.id}'`) }))
      .filter(({ layer, at }) => at >= 0 && (spanWithin(d.span, layer.span) || d.notes.some((n) => spanWithin(n.span, layer.span))))
      .sort((a, b) => a.at - b.at);
    const origin = named[0]?.layer.origin;
    if (!origin || origin.every((o) => d.notes.some((n) => n.message === o.message && n.span?.start === o.span.start))) return d;
    return { ...d, notes: [...d.notes, ...origin] };
  });
}
