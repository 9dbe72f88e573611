import * as tf from '@tensorflow/tfjs';
import { applySpecFreezing, type SpecFreezing } from './compose.js';

/** The shapes a generated `load<Model>` expects, batch first, in model order (its `<model>InputShapes` and `<model>OutputShapes`). */
export interface SavedModelShapes {
  /** The function that loads, for messages: `loadGenerator`. */
  readonly loader: string;
  readonly inputShapes: readonly (readonly (number | null)[])[];
  readonly outputShapes: readonly (readonly (number | null)[])[];
  /** What the spec freezes; left out, nothing. */
  readonly frozen?: SpecFreezing;
}

/**
 * Loads a model saved with `model.save`, from a URL or an IOHandler as
 * `tf.loadLayersModel` takes them, and checks that it has the input and
 * output shapes `expected` names, with the trainability its build
 * function gives (compose.ts `applySpecFreezing`). The runtime's layer
 * classes are registered by importing this module's package.
 *
 * The weights are written as stored, as Keras' `load_weights` assigns them.
 * tfjs' own loading differs twice: it writes each weight through its
 * constraint (`LayerVariable.write`), which moves even a weight that
 * satisfies it (maxNorm rescales by norm / (norm + 1e-7)), and it matches
 * saved weights to the model's by name (`Container.loadWeights`), so it
 * refuses a composite whose parts have layers of the same name ("Duplicate
 * weight name"). Here the k-th saved weight of a name goes to the k-th
 * weight of that name in the model, in the order `model.save` wrote them.
 */
export async function restoreSavedModel(source: string | tf.io.IOHandler, expected: SavedModelShapes): Promise<tf.LayersModel> {
  const handler = handlerOf(source);
  if (!handler.load) throw new Error(`${expected.loader}: the IOHandler has no load method`);
  const { weightData, weightSpecs, trainingConfig, ...topology } = await handler.load();
  const model = await tf.loadLayersModel(tf.io.fromMemory(topology));
  try {
    checkShapes(model, expected);
    const optimizerWeights = weightData && weightSpecs ? writeStored(model, weightData, weightSpecs, expected.loader) : [];
    // After the weights, whose repeated names are matched in model.weights order, which lists trainable weights
    // first; before compiling, which collects the trainable weights.
    applySpecFreezing(model, expected.frozen ?? {});
    // tfjs-core types the saved optimizer config as {}; tfjs-layers' own loader passes it on as this.
    if (trainingConfig) model.loadTrainingConfig(trainingConfig as Parameters<tf.LayersModel['loadTrainingConfig']>[0]);
    try {
      if (model.optimizer && optimizerWeights.length > 0) await model.optimizer.setWeights(optimizerWeights);
    } finally {
      tf.dispose(optimizerWeights.map((w) => w.tensor));
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** The handler `tf.loadLayersModel` would pick for a URL: the one registered for its scheme, else HTTP. */
function handlerOf(source: string | tf.io.IOHandler): tf.io.IOHandler {
  if (typeof source !== 'string') return source;
  const handlers = tf.io.getLoadHandlers(source);
  if (handlers.length > 1) throw new Error(`found ${handlers.length} load handlers for URL '${source}'`);
  return handlers[0] ?? tf.io.http(source);
}

type Shapes = readonly (readonly (number | null)[])[];

const showShapes = (shapes: Shapes) => `[${shapes.map((s) => `[${s.map((d) => (d === null ? 'null' : d)).join(', ')}]`).join(', ')}]`;

function checkShapes(model: tf.LayersModel, expected: SavedModelShapes): void {
  const inputs = model.inputs.map((i) => i.shape);
  const outputs = model.outputs.map((o) => o.shape);
  if (showShapes(inputs) === showShapes(expected.inputShapes) && showShapes(outputs) === showShapes(expected.outputShapes)) return;
  throw new Error(
    `${expected.loader}: the saved model '${model.name}' takes ${showShapes(inputs)} and gives ${showShapes(outputs)}; ` +
      `expected ${showShapes(expected.inputShapes)} and ${showShapes(expected.outputShapes)}`,
  );
}

/** Writes the saved weights into the model's variables as stored; returns the optimizer's (saved with `includeOptimizer`), for the caller to dispose. */
function writeStored(model: tf.LayersModel, data: tf.io.WeightData, specs: tf.io.WeightsManifestEntry[], loader: string): { name: string; tensor: tf.Tensor }[] {
  // Decoded by position: names may repeat, and the layout does not depend on them.
  const decoded = tf.io.decodeWeights(data, specs.map((spec, i) => ({ ...spec, name: String(i) })));
  const entries = specs.map((spec, i) => ({ spec, value: decoded[String(i)]! }));
  const saved = entries.filter(({ spec }) => spec.group !== 'optimizer');
  try {
    if (saved.length !== model.weights.length) throw new Error(`${loader}: the saved model has ${saved.length} weights, the model it describes ${model.weights.length}`);
    const seen = new Map<string, number>();
    const byName = new Map<string, tf.LayerVariable[]>();
    for (const weight of model.weights) byName.set(weight.originalName, [...(byName.get(weight.originalName) ?? []), weight]);
    for (const { spec, value } of saved) {
      const k = seen.get(spec.name) ?? 0;
      seen.set(spec.name, k + 1);
      const weight = byName.get(spec.name)?.[k];
      if (!weight) throw new Error(`${loader}: the saved weight '${spec.name}' is not a weight of the model`);
      if (weight.shape.join(',') !== value.shape.join(',')) throw new Error(`${loader}: the saved weight '${spec.name}' has shape [${value.shape.join(', ')}], the model's [${weight.shape.join(', ')}]`);
      (weight.read() as tf.Variable).assign(value);
    }
  } catch (error) {
    tf.dispose(entries.map((e) => e.value));
    throw error;
  }
  tf.dispose(saved.map((e) => e.value));
  return entries.filter(({ spec }) => spec.group === 'optimizer').map(({ spec, value }) => ({ name: spec.name, tensor: value }));
}
