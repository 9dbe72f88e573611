import type { LayerIR, LayerShapes, ModelIR, ModelShapes } from '../ir.js';
import type { Analysis } from './analysis.js';

/** The inferred shapes of a model, when it has them (a model with errors has none). */
export function shapesOf(analysis: Analysis, model: ModelIR): ModelShapes | undefined {
  return analysis.result.models.find((m) => m.model === model);
}

const byLayer = new WeakMap<Analysis, ReadonlyMap<LayerIR, LayerShapes>>();

/** What inference found for one layer of the document, by its IR node; indexed once per analysis, so an outline of 10,000 layers stays linear. */
export function layerShapesOf(analysis: Analysis, layer: LayerIR): LayerShapes | undefined {
  let index = byLayer.get(analysis);
  if (!index) {
    index = new Map(analysis.result.models.flatMap((m) => m.layers.map((l) => [l.layer, l] as const)));
    byLayer.set(analysis, index);
  }
  return index.get(layer);
}
