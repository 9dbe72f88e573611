import * as tf from '@tensorflow/tfjs';

/** The shapes a generated `load<Model>` expects, batch first, in model order (its `<model>InputShapes` and `<model>OutputShapes`). */
export interface SavedModelShapes {
  /** The function that loads, for messages: `loadGenerator`. */
  readonly loader: string;
  readonly inputShapes: readonly (readonly (number | null)[])[];
  readonly outputShapes: readonly (readonly (number | null)[])[];
}

/**
 * Loads a model saved with `model.save`, from a URL or an IOHandler as
 * `tf.loadLayersModel` takes them, and checks that it has the input and
 * output shapes `expected` names. The runtime's layer classes are
 * registered by importing this module's package.
 *
 * tfjs writes each loaded weight through its constraint (`LayerVariable.write`),
 * which moves even a weight that satisfies it: maxNorm rescales by
 * norm / (norm + 1e-7). Keras' `load_weights` assigns the values as saved,
 * so each constrained weight is written again as stored, and the loaded
 * model predicts exactly as the saved one did.
 */
export async function restoreSavedModel(source: string | tf.io.IOHandler, expected: SavedModelShapes): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  const handler = handlerOf(source);
  const capturing: tf.io.IOHandler = {
    load: async () => {
      if (!handler.load) throw new Error(`${expected.loader}: the IOHandler has no load method`);
      artifacts = await handler.load();
      return artifacts;
    },
  };
  const model = await tf.loadLayersModel(capturing);
  checkShapes(model, expected);
  if (artifacts?.weightData && artifacts.weightSpecs) writeConstrainedAsStored(model, artifacts.weightData, artifacts.weightSpecs);
  return model;
}

/** The handler `tf.loadLayersModel` would pick for a URL: the one registered for its scheme, else HTTP. */
function handlerOf(source: string | tf.io.IOHandler): tf.io.IOHandler {
  if (typeof source !== 'string') return source;
  const handlers = tf.io.getLoadHandlers(source);
  if (handlers.length > 1) throw new Error(`found ${handlers.length} load handlers for URL '${source}'`);
  return handlers[0] ?? tf.io.http(source);
}

const showShapes = (shapes: readonly (readonly (number | null)[])[]) => `[${shapes.map((s) => `[${s.map((d) => (d === null ? 'null' : d)).join(', ')}]`).join(', ')}]`;

function checkShapes(model: tf.LayersModel, expected: SavedModelShapes): void {
  const inputs = model.inputs.map((i) => i.shape);
  const outputs = model.outputs.map((o) => o.shape);
  const same = (a: readonly (readonly (number | null)[])[], b: readonly (readonly (number | null)[])[]) => showShapes(a) === showShapes(b);
  if (same(inputs, expected.inputShapes) && same(outputs, expected.outputShapes)) return;
  model.dispose();
  throw new Error(
    `${expected.loader}: the saved model '${model.name}' takes ${showShapes(inputs)} and gives ${showShapes(outputs)}; ` +
      `expected ${showShapes(expected.inputShapes)} and ${showShapes(expected.outputShapes)}`,
  );
}

function writeConstrainedAsStored(model: tf.LayersModel, data: tf.io.WeightData, specs: tf.io.WeightsManifestEntry[]): void {
  const constrained = model.weights.filter((w) => w.constraint != null);
  if (constrained.length === 0) return;
  const stored = tf.io.decodeWeights(data, specs);
  // tfjs matches saved weights to the model's by originalName (Container.loadWeights).
  for (const weight of constrained) {
    const value = stored[weight.originalName];
    if (value) (weight.read() as tf.Variable).assign(value);
  }
  tf.dispose(Object.values(stored));
}
