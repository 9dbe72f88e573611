import * as tf from '@tensorflow/tfjs';
import type { ModelShapes, Shape } from '../../src/index.js';
import { exceptionKey, type Failure } from './properties.js';

/**
 * Builds the models of an emitted module on the tfjs cpu backend and
 * compares them with what `check` inferred, as test/gallery/roundtrip.test.ts
 * does for the gallery: the model's output shapes, every layer's output
 * shape, and the parameter counts (trainable and non-trainable). Nothing is
 * predicted, so no activation tensor is made; models with more parameters
 * than `maxParams` are left out, as their weights alone would be slow to make.
 */

/**
 * A layer's output shape in this model. tfjs' `outputShape` throws for a layer
 * applied in several models at different shapes (a model used as a layer with
 * a fixed batch, and also built on its own), so the node of this model is read.
 */
function outputShapeIn(model: tf.LayersModel, layer: tf.layers.Layer): unknown {
  const nodes = (layer as unknown as { inboundNodes: { outputShapes: unknown }[] }).inboundNodes;
  const own = (model as unknown as { containerNodes: Set<string> }).containerNodes;
  const shapes = (nodes.find((_, k) => own.has(`${layer.name}_ib-${k}`)) ?? nodes[0])?.outputShapes as unknown[] | undefined;
  if (!shapes) return layer.outputShape;
  // As tfjs' own getter: one output is the shape itself.
  return shapes.length === 1 ? shapes[0] : shapes;
}

export const maxParams = 200_000;

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
/** The shape tfjs declares: symbolic sizes (affine objects) are unknown until run time. */
const declared = (shape: Shape) => shape.map((d) => (typeof d === 'number' || d === null ? d : null));
const elements = (ws: readonly tf.LayerVariable[]) => ws.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);

export function small(models: readonly ModelShapes[]): boolean {
  return models.every((m) => m.params.trainable + m.params.nonTrainable <= maxParams);
}

let ready: Promise<boolean> | undefined;

/** Imports `file` (a module written by tsc-batch.ts) and checks each of `models` against the model its build function makes. */
export async function buildAndCompare(file: string, models: readonly ModelShapes[]): Promise<Failure[]> {
  ready ??= tf.setBackend('cpu');
  await ready;
  const failures: Failure[] = [];
  const fail = (key: string, message: string) => failures.push({ property: 'tfjs', key, message });
  let module: Record<string, unknown>;
  try {
    module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  } catch (e) {
    const { key, message } = exceptionKey(e);
    fail(`import: ${key}`, message);
    return failures;
  }
  for (const m of models) {
    const build = module[`build${pascal(m.model.name)}`];
    if (typeof build !== 'function') {
      fail('no build function', `build${pascal(m.model.name)} is not exported`);
      continue;
    }
    let model: tf.LayersModel;
    try {
      model = (build as () => tf.LayersModel)();
    } catch (e) {
      const { key, message } = exceptionKey(e);
      fail(`build threw: ${key}`, `build${pascal(m.model.name)}(): ${message}`);
      continue;
    }
    const outputs = (Array.isArray(model.outputShape[0]) || model.outputShape.length === 0 ? model.outputShape : [model.outputShape]) as (number | null)[][];
    const want = m.outputs.map((o) => declared(o.shape));
    if (JSON.stringify(outputs) !== JSON.stringify(want)) fail('model outputShape differs', `${m.model.name}: tfjs ${JSON.stringify(outputs)}, inferred ${JSON.stringify(want)}`);
    let missing = 0;
    for (const l of m.layers) {
      let shape: unknown;
      try {
        shape = outputShapeIn(model, model.getLayer(l.layer.id));
      } catch (e) {
        // tf.model keeps only the layers between inputs and outputs: a layer nothing reads (NS5004) is not there.
        missing++;
        fail('an inferred layer is not in the tfjs model (tfjs: no such layer)', `${m.model.name}.${l.layer.id} (${l.layer.type}): ${(e as Error).message}`);
        continue;
      }
      if (JSON.stringify(shape) !== JSON.stringify(declared(l.outputShape))) {
        fail(`${l.layer.type} layer outputShape differs`, `${m.model.name}.${l.layer.id} (${l.layer.type}): tfjs ${JSON.stringify(shape)}, inferred ${JSON.stringify(declared(l.outputShape))}`);
      }
    }
    const trainable = elements(model.trainableWeights);
    const nonTrainable = elements(model.nonTrainableWeights);
    if (model.countParams() !== m.params.trainable + m.params.nonTrainable || trainable !== m.params.trainable || nonTrainable !== m.params.nonTrainable) {
      const types = [...new Set(m.layers.map((l) => l.layer.type))].sort().join(', ');
      fail(`parameter counts differ${missing > 0 ? ' (inferred layers missing from the tfjs model)' : ''}`, `${m.model.name} (${types}): tfjs countParams ${model.countParams()}, trainable ${trainable}, non-trainable ${nonTrainable}; inferred ${m.params.trainable} + ${m.params.nonTrainable}`);
    }
    try {
      model.dispose();
    } catch {
      // A model that shares layers with one already disposed: its weights are gone already.
    }
  }
  return failures;
}
