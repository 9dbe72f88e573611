import { expectInputs, weight, type Rule } from './rule.js';

/**
 * embedding: one vector of `outputDim` per index, whatever the input's shape.
 * Source: Keras 3 `Embedding.compute_output_shape` (`input_shape + (output_dim,)`),
 * tfjs-layers `Embedding.computeOutputShape`; weights `embeddings [inputDim, outputDim]`.
 * The indices' values (in [0, inputDim)) are only known at run time.
 */
export const embedding: Rule = (ctx) => {
  if (!expectInputs(ctx, 1)) return undefined;
  const input = ctx.inputs[0]!;
  const inputDim = ctx.layer.args['inputDim'] as number;
  const outputDim = ctx.layer.args['outputDim'] as number;
  return { outputShape: [...input.shape, outputDim], weights: [weight('embeddings', [inputDim, outputDim])], macs: 0 };
};
