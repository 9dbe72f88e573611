import type { LayerIR, LayerShapes, ModelIR, ModelShapes } from '../ir.js';
import type { Analysis } from './analysis.js';

/** The inferred shapes of a model, when it has them (a model with errors has none). */
export function shapesOf(analysis: Analysis, model: ModelIR): ModelShapes | undefined {
  return analysis.result.models.find((m) => m.model === model);
}

/** What inference found for one layer of the document, by its IR node. */
export function layerShapesOf(analysis: Analysis, layer: LayerIR): LayerShapes | undefined {
  for (const m of analysis.result.models) {
    const found = m.layers.find((l) => l.layer === layer);
    if (found) return found;
  }
  return undefined;
}
