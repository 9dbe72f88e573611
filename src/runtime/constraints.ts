import * as tf from '@tensorflow/tfjs';

type Gradients = Parameters<tf.Optimizer['applyGradients']>[0];

/** Marks a model whose compile and train function are wrapped. */
const WRAPPED = Symbol('netspec.withConstraints');
/** The wrapped models an optimizer projects weights for, on the optimizer itself. */
const MODELS = Symbol('netspec.constrainedModels');

type WrappedModel = tf.LayersModel & { [WRAPPED]?: true };
type ProjectingOptimizer = tf.Optimizer & { [MODELS]?: Set<tf.LayersModel> };
/** `makeTrainFunction` is protected in tfjs' typings; fit, fitDataset and trainOnBatch all call it. */
type TrainFunctionMaker = { makeTrainFunction(): (data: tf.Tensor[]) => tf.Scalar[] };

/**
 * Makes `fit`, `fitDataset` and `trainOnBatch` apply every weight constraint
 * (kernel, bias, beta, gamma; native and runtime layers alike) after each
 * optimizer step, as Keras 3 does in `Optimizer.apply`. tfjs 4.22 never
 * applies them during training (docs/semantics.md).
 *
 * The optimizer the model is compiled with gets its `applyGradients` followed
 * by `w.assign(constraint(w))` for each constrained weight it just updated.
 * The projection writes the underlying `tf.Variable`, not `LayerVariable.write`
 * (which applies the constraint once more), so a non-idempotent projection
 * such as `minMaxNorm` with `rate < 1` runs exactly once per step.
 * Recompiling keeps the behaviour; `predict` is untouched; wrapping twice is a
 * no-op. Returns the same model.
 */
export function withConstraints(model: tf.LayersModel): tf.LayersModel {
  const wrapped = model as WrappedModel;
  if (wrapped[WRAPPED]) return model;
  wrapped[WRAPPED] = true;

  const compile = model.compile.bind(model);
  model.compile = (args) => {
    compile(args);
    attach(model);
  };
  // Covers an optimizer assigned through the `optimizer` setter instead of compile.
  const maker = model as unknown as TrainFunctionMaker;
  const makeTrainFunction = maker.makeTrainFunction.bind(model);
  maker.makeTrainFunction = () => {
    attach(model);
    return makeTrainFunction();
  };
  attach(model);
  return model;
}

function attach(model: tf.LayersModel): void {
  const optimizer = model.optimizer as ProjectingOptimizer | undefined;
  if (!optimizer) return;
  let models = optimizer[MODELS];
  if (!models) {
    models = new Set();
    optimizer[MODELS] = models;
    const applyGradients = optimizer.applyGradients.bind(optimizer);
    const owners = models;
    optimizer.applyGradients = (gradients: Gradients) => {
      applyGradients(gradients);
      project(owners, updatedNames(gradients));
    };
  }
  models.add(model);
}

/** Names of the variables an `applyGradients` call updated (tfjs skips null gradients). */
function updatedNames(gradients: Gradients): Set<string> {
  const entries = Array.isArray(gradients) ? gradients.map((g) => [g.name, g.tensor] as const) : Object.entries(gradients);
  return new Set(entries.filter(([, tensor]) => tensor != null).map(([name]) => name));
}

/**
 * Projects each updated constrained weight once, even when several wrapped
 * models share the layer (a GAN and its generator) or the optimizer.
 */
function project(models: ReadonlySet<tf.LayersModel>, updated: ReadonlySet<string>): void {
  const constrained = new Map<string, tf.LayerVariable>();
  for (const model of models) {
    // LayerVariable.name is its tf.Variable's name; matching on it never reads a disposed model's weights.
    for (const weight of model.weights) if (weight.constraint != null && updated.has(weight.name)) constrained.set(weight.name, weight);
  }
  if (constrained.size === 0) return;
  tf.tidy(() => {
    for (const weight of constrained.values()) {
      const variable = variableOf(weight);
      variable.assign(weight.constraint.apply(variable));
    }
  });
}

/** The tf.Variable under a LayerVariable (tfjs types `read()` as a plain Tensor). */
function variableOf(weight: tf.LayerVariable): tf.Variable {
  return weight.read() as tf.Variable;
}
