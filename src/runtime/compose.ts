import * as tf from '@tensorflow/tfjs';

/** Marks a layer that setTrainable froze, so that unfreezing restores exactly those and no layer the spec froze itself. */
const FROZEN_HERE = Symbol('netspec.frozenBySetTrainable');

type Marked = tf.layers.Layer & { [FROZEN_HERE]?: true };

/**
 * Freezes (or unfreezes) a model as Keras 3's `model.trainable = false`
 * does: the model and every layer in it, models used as layers included.
 * tfjs' own setter only flips the flags of the weights one level down, so a
 * model inside keeps its weights trainable, and a saved model forgets it was
 * frozen (tfjs writes no `trainable` for a model used as a layer; each inner
 * layer's own flag is what `model.save` keeps).
 *
 * The flags live on the layers and weights, which every model built on the
 * same instance shares: freezing the discriminator inside a GAN freezes the
 * discriminator you train on its own too, until `setTrainable(discriminator,
 * true)` (docs/semantics.md). Unfreezing restores only what freezing changed:
 * a layer frozen in the spec (`trainable: false`) stays frozen.
 */
export function setTrainable(model: tf.LayersModel, trainable: boolean): void {
  for (const layer of model.layers as Marked[]) {
    if (layer instanceof tf.LayersModel) setTrainable(layer, trainable);
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
