import * as tf from '@tensorflow/tfjs';

/** Marks a layer that setTrainable froze, so that unfreezing restores exactly those and no layer the spec froze itself. */
const FROZEN_HERE = Symbol('netspec.frozenBySetTrainable');

/** `_trainableWeights` is protected in tfjs' typings: the layer's own weights, whatever its flag. */
type Marked = tf.layers.Layer & { [FROZEN_HERE]?: true; _trainableWeights: tf.LayerVariable[] };

/**
 * Freezes (or unfreezes) a model as Keras 3's `model.trainable = false`
 * does: the model and every layer in it, models used as layers included.
 * tfjs' own setter only flips the flags of the weights one level down, so a
 * model inside keeps its weights trainable, and a saved model forgets it was
 * frozen (tfjs writes no `trainable` for a model used as a layer; each inner
 * layer's own flag is what `model.save` keeps).
 *
 * Freezing decides what a model compiled afterwards trains: in Keras,
 * `compile()` keeps the `trainable` values of that moment for the model's
 * lifetime, until it is compiled again (keras-io guides/transfer_learning.py,
 * "compile() and trainable"; Keras 2 training.py `_collected_trainable_weights`).
 * tfjs collects the weights at compile too, but its optimizer also skips
 * any `tf.Variable` whose own flag is off, even in a model compiled while it
 * was on; so the layers' flags go off and their variables' stay on. A
 * discriminator compiled before the GAN froze it then still trains on its
 * own, and the GAN compiled after trains the generator only
 * (docs/semantics.md).
 *
 * The flags live on the layers, which every model built on the same instance
 * shares: a frozen batch normalization normalizes with its moving statistics
 * in every model it is in. Unfreezing restores only what freezing changed:
 * a layer frozen in the spec (`trainable: false`) stays frozen.
 */
export function setTrainable(model: tf.LayersModel, trainable: boolean): void {
  flip(model, trainable);
  // tfjs' setters turned the variables' flags off with the layers'; a compiled model's optimizer reads them.
  if (!trainable) for (const layer of frozenHere(model)) for (const weight of layer._trainableWeights) (weight.read() as tf.Variable).trainable = true;
}

function flip(model: tf.LayersModel, trainable: boolean): void {
  for (const layer of model.layers as Marked[]) {
    if (layer instanceof tf.LayersModel) flip(layer, trainable);
    else if (!trainable && layer.trainable) {
      layer.trainable = false;
      layer[FROZEN_HERE] = true;
    } else if (trainable && layer[FROZEN_HERE]) {
      layer.trainable = true;
      delete layer[FROZEN_HERE];
    }
  }
  model.trainable = trainable;
}

/** The layers setTrainable froze, at every depth. */
function frozenHere(model: tf.LayersModel): Marked[] {
  return (model.layers as Marked[]).flatMap((layer) => (layer instanceof tf.LayersModel ? frozenHere(layer) : layer[FROZEN_HERE] ? [layer] : []));
}

/**
 * Which layers of a model its spec freezes: its own layers with
 * `trainable: false`, and for each model it applies as a layer (by layer
 * id) whether that layer is `trainable: false` and what that model freezes.
 * Left out: nothing.
 */
export interface SpecFreezing {
  /** Ids of the model's own layers with `trainable: false`. */
  readonly layers?: readonly string[];
  /** By the id of a `type: model` layer. */
  readonly models?: Readonly<Record<string, SpecFreezing & { readonly frozen?: boolean }>>;
}

/**
 * Gives a loaded model the trainability its build function gives: the
 * layers the spec freezes frozen, the parts a composite freezes frozen as
 * setTrainable does (so `setTrainable(part, true)` undoes it), every other
 * layer trainable, whatever the flags were when the model was saved. A
 * discriminator saved while a GAN held it frozen thus loads trainable, as
 * its build function makes it.
 */
export function applySpecFreezing(model: tf.LayersModel, spec: SpecFreezing): void {
  const frozen = new Set(spec.layers ?? []);
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) {
      const part = spec.models?.[layer.name] ?? {};
      applySpecFreezing(layer, part);
      if (part.frozen) setTrainable(layer, false);
    } else if (layer.getClassName() !== 'InputLayer' && layer.trainable === frozen.has(layer.name)) {
      layer.trainable = !frozen.has(layer.name);
    }
  }
}
